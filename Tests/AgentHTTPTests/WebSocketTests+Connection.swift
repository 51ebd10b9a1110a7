import AgentHTTP
import Testing

extension WebSocketTests {
    /// `WebSocketConnection` driven over an in-memory `UpgradedConnection`, the test acting as client.
    @Suite(.timeLimit(.minutes(1))) struct Connection {
        /// A connection with its read loop running in `group`, and the client end.
        static func start(_ configuration: WebSocketConfiguration = WebSocketConfiguration(),
                          in group: inout TaskGroup<Void>) -> (WebSocketConnection, TestClient) {
            let pipe = InMemoryUpgradedConnection()
            let socket = WebSocketConnection(pipe, configuration: configuration)
            group.addTask { await socket.run() }
            return (socket, TestClient(pipe))
        }

        static func closeFrame(_ code: WebSocketCloseCode, _ reason: String = "") -> WebSocketFrame {
            .close(code: code, reason: reason)
        }

        @Test func echoesTextAndBinaryThroughServe() async {
            let pipe = InMemoryUpgradedConnection()
            var client = TestClient(pipe)
            await withTaskGroup(of: Void.self) { group in
                group.addTask {
                    await WebSocketConnection.serve(pipe) { socket in
                        for await message in socket.messages { try? await socket.send(message) }
                    }
                }
                await client.send(.text("hello ✓"))
                #expect(await client.receive() == .text("hello ✓"))
                await client.send(WebSocketFrame(fin: false, opcode: .binary, payload: [1, 2]))
                await client.send(WebSocketFrame(opcode: .continuation, payload: [3]))
                #expect(await client.receive() == .binary([1, 2, 3]))
                await client.send(Self.closeFrame(.normalClosure, "done"))
                #expect(await client.receive() == Self.closeFrame(.normalClosure))
                #expect(await client.receive() == nil)   // the server closed the connection
            }
        }

        @Test func answersPingWithPong() async {
            await withTaskGroup(of: Void.self) { group in
                let (socket, clientEnd) = Self.start(in: &group)
                var client = clientEnd
                await client.send(.ping(Array("are you there".utf8)))
                #expect(await client.receive() == .pong(Array("are you there".utf8)))
                // Between fragments too (§5.4).
                await client.send(WebSocketFrame(fin: false, opcode: .text, payload: Array("a".utf8)))
                await client.send(.ping([9]))
                #expect(await client.receive() == .pong([9]))
                await client.send(WebSocketFrame(opcode: .continuation, payload: Array("b".utf8)))
                var messages = socket.messages.makeAsyncIterator()
                #expect(await messages.next() == .text("ab"))
                await client.send(Self.closeFrame(.goingAway))
                #expect(await client.receive() == Self.closeFrame(.goingAway))
                #expect(await messages.next() == nil)
                #expect(await socket.closeCode == .goingAway)
            }
        }

        @Test func peerCloseWithoutCodeIsEchoedWithoutCode() async {
            await withTaskGroup(of: Void.self) { group in
                let (socket, clientEnd) = Self.start(in: &group)
                var client = clientEnd
                await client.send(.close(code: nil))
                #expect(await client.receive() == .close(code: nil))
                #expect(await client.receive() == nil)
                await group.waitForAll()
                #expect(await socket.closeCode == .noStatusReceived)
            }
        }

        @Test func serverCloseWaitsForThePeersClose() async throws {
            await withTaskGroup(of: Void.self) { group in
                let (socket, clientEnd) = Self.start(in: &group)
                var client = clientEnd
                async let closing: Void = socket.close(code: .goingAway, reason: "shutting down")
                #expect(await client.receive() == Self.closeFrame(.goingAway, "shutting down"))
                // §5.5.1: no data frames after a Close.
                await #expect(throws: WebSocketClosedError.self) { try await socket.send(text: "late") }
                await client.send(Self.closeFrame(.goingAway))
                await closing
                #expect(await client.receive() == nil)
                #expect(await socket.closeCode == .goingAway)
                #expect(await socket.closeReason == "shutting down")
            }
        }

        @Test func serverCloseTimesOutWhenThePeerNeverAnswers() async {
            var configuration = WebSocketConfiguration()
            configuration.closeTimeout = .milliseconds(50)
            await withTaskGroup(of: Void.self) { group in
                let (socket, clientEnd) = Self.start(configuration, in: &group)
                var client = clientEnd
                await socket.close(code: .policyViolation)
                #expect(await client.receive() == Self.closeFrame(.policyViolation))
                #expect(await client.receive() == nil)
                #expect(await socket.closeCode == .policyViolation)
            }
        }

        @Test func serveClosesNormallyWhenTheBodyReturns() async {
            let pipe = InMemoryUpgradedConnection()
            var client = TestClient(pipe)
            await withTaskGroup(of: Void.self) { group in
                group.addTask {
                    await WebSocketConnection.serve(pipe) { socket in try? await socket.send(text: "bye") }
                }
                #expect(await client.receive() == .text("bye"))
                #expect(await client.receive() == Self.closeFrame(.normalClosure))
                await client.send(Self.closeFrame(.normalClosure))
                #expect(await client.receive() == nil)
            }
        }

        @Test(arguments: [
            (WebSocketFrame.text("x").encoded(), UInt16(1002)),                                      // unmasked
            (WebSocketTests.client(opcode: 0x1, [0xC3, 0x28]), UInt16(1007)),                        // bad UTF-8
            (WebSocketTests.client(opcode: 0x2, [UInt8](repeating: 0, count: 2000)), UInt16(1009)),  // too big
            (WebSocketTests.client(opcode: 0x9, [UInt8](repeating: 0, count: 126)), UInt16(1002)),   // long ping
        ])
        func protocolErrorsCloseWithTheirCode(_ bytes: [UInt8], _ code: UInt16) async {
            var configuration = WebSocketConfiguration()
            configuration.limits = WebSocketParserLimits(maxFrameBytes: 1000, maxMessageBytes: 1000)
            await withTaskGroup(of: Void.self) { group in
                let (socket, clientEnd) = Self.start(configuration, in: &group)
                var client = clientEnd
                await client.send(bytes: bytes)
                let frame = await client.receive()
                #expect(frame?.opcode == .close)
                #expect(frame?.payload.prefix(2) == [UInt8(code >> 8), UInt8(code & 0xFF)])
                #expect(await client.receive() == nil)   // failed: closed without waiting (§7.1.7)
                #expect(await socket.closeCode?.rawValue == code)
                await #expect(throws: WebSocketClosedError.self) { try await socket.send(text: "late") }
            }
        }

        @Test func lostConnectionReports1006() async {
            await withTaskGroup(of: Void.self) { group in
                let (socket, client) = Self.start(in: &group)
                await client.send(.text("one"))
                await client.drop()
                var received: [WebSocketMessage] = []
                for await message in socket.messages { received.append(message) }
                #expect(received == [.text("one")])
                #expect(await socket.closeCode == .abnormalClosure)
            }
        }

        @Test func unreadMessagesOverTheCapClose1008() async {
            var configuration = WebSocketConfiguration()
            configuration.maxQueuedMessages = 2
            await withTaskGroup(of: Void.self) { group in
                let (socket, clientEnd) = Self.start(configuration, in: &group)
                var client = clientEnd
                for index in 0..<3 { await client.send(.text("\(index)")) }
                #expect(await client.receive() == Self.closeFrame(.policyViolation, "too many unread messages"))
                #expect(await socket.closeCode == .policyViolation)
            }
        }

        @Test func keepAlivePingsAndFailsWithoutPong() async {
            var configuration = WebSocketConfiguration()
            configuration.pingInterval = .seconds(3)  // long enough that the Pong is read before the next tick, even on a loaded machine
            await withTaskGroup(of: Void.self) { group in
                let (socket, clientEnd) = Self.start(configuration, in: &group)
                var client = clientEnd
                #expect(await client.receive() == .ping())
                await client.send(.pong())
                #expect(await client.receive() == .ping())
                // No Pong this time: the next tick fails the connection.
                #expect(await client.receive() == Self.closeFrame(.internalError, "keep-alive ping timeout"))
                #expect(await client.receive() == nil)
                #expect(await socket.closeCode == .internalError)
            }
        }
    }
}
