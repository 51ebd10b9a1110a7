import AgentHTTP
import Synchronization
import Testing

extension HTTPServerTests {
    @Suite("HTTPServer: streams, upgrades, timeouts, shutdown", .timeLimit(.minutes(1)))
    struct Streaming {
        @Test func streamedChunksArriveWhileHandlerIsStillProducing() async throws {
            let secondChunkAllowed = TestGate()
            let handler = ClosureHandler { _ in
                HTTPResponse(status: 200, headers: ["Content-Type": "text/event-stream"], body: .stream { writer in
                    try? await writer.write(Array("one".utf8))
                    await secondChunkAllowed.wait()
                    try? await writer.write(Array("two".utf8))
                })
            }
            try await withServer(handler: handler) { port, _ in
                let client = try RawHTTPClient(port: port)
                try await client.send(get("/events"))
                let head = try await client.run { try $0.readHead() }
                #expect(head.header("Transfer-Encoding") == "chunked")
                #expect(head.header("Content-Length") == nil)
                // The first chunk is readable while the handler is parked at the gate.
                let first = try await client.run { try $0.readChunk() }
                #expect(first == Array("one".utf8))
                #expect(!secondChunkAllowed.isOpen)
                secondChunkAllowed.open()
                #expect(try await client.run { try $0.readChunk() } == Array("two".utf8))
                #expect(try await client.run { try $0.readChunk() } == nil)
                // The connection stays usable after the terminating chunk.
                try await client.send(get("/events", close: true))
                #expect(try await client.response().text == "onetwo")
            }
        }

        @Test func streamWriterThrowsAfterClientDisconnects() async throws {
            let firstWritten = TestGate()
            let threw = TestGate()
            let handler = ClosureHandler { _ in
                HTTPResponse(status: 200, body: .stream { writer in
                    do {
                        try await writer.write(Array("first".utf8))
                        firstWritten.open()
                        // Bounded: the server must notice the disconnect long before 100k chunks.
                        for _ in 0..<100_000 {
                            try await writer.write(Array(repeating: UInt8(ascii: "x"), count: 1024))
                        }
                    } catch {
                        threw.open()
                    }
                })
            }
            try await withServer(handler: handler) { port, _ in
                var client: RawHTTPClient? = try RawHTTPClient(port: port)
                try await client!.send(get("/s"))
                _ = try await client!.run { try $0.readHead() }
                await firstWritten.wait()
                client = nil        // closes the socket
                await threw.wait()
                #expect(threw.isOpen)
            }
        }

        @Test func upgradedConnectionEchoesBytes() async throws {
            let handler = ClosureHandler { _ in
                HTTPResponse(status: 101, headers: ["Upgrade": "echo", "Connection": "Upgrade"], body: .upgrade { connection in
                    while let bytes = await connection.read() {
                        if bytes == Array("bye".utf8) { break }
                        try? await connection.write(bytes)
                    }
                    await connection.close()
                })
            }
            try await withServer(handler: handler) { port, _ in
                let client = try RawHTTPClient(port: port)
                // Bytes right behind the head belong to the new protocol.
                try await client.send("GET /ws HTTP/1.1\r\nHost: t\r\nUpgrade: echo\r\nConnection: Upgrade\r\n\r\nearly")
                let head = try await client.run { try $0.readHead() }
                #expect(head.status == 101)
                #expect(head.header("Connection") == "Upgrade")
                #expect(try await client.run { try $0.readExactly(5) } == Array("early".utf8))
                try await client.send("hello")
                #expect(try await client.run { try $0.readExactly(5) } == Array("hello".utf8))
                try await client.send("bye")
                #expect(try await client.closedWithin(seconds: 2))
            }
        }

        @Test func slowHeaderIsAnswered408AndClosed() async throws {
            try await withServer({
                $0.timeouts.headerRead = .milliseconds(200)
                $0.timeouts.sweepInterval = .milliseconds(50)
            }) { port, _ in
                let client = try RawHTTPClient(port: port)
                try await client.send("GET / HTTP/1.1\r\nHost: t\r\n")       // never finished
                let delay = try #require(try await client.closeDelay(within: 5))
                #expect(delay < 2)
                #expect(client.unread.hasPrefix("HTTP/1.1 408 "))
            }
        }

        @Test func idleKeepAliveConnectionIsClosed() async throws {
            try await withServer({
                $0.timeouts.keepAliveIdle = .milliseconds(200)
                $0.timeouts.sweepInterval = .milliseconds(50)
            }) { port, _ in
                let client = try RawHTTPClient(port: port)
                try await client.send(get("/"))
                #expect(try await client.response().status == 200)
                #expect(try await client.closedWithin(seconds: 3))
                #expect(client.unread.isEmpty)
            }
        }

        @Test func gracefulShutdownFinishesInFlightRequestThenRefuses() async throws {
            let entered = TestGate()
            let release = TestGate()
            let handler = ClosureHandler { _ in
                entered.open()
                await release.wait()
                return HTTPResponse(status: 200, body: .bytes(Array("done".utf8)))
            }
            var configuration = HTTPServerConfiguration(host: "127.0.0.1", port: 0)
            configuration.eventLoopCount = 2
            let server = HTTPServer(configuration: configuration, handler: handler)
            let port = try server.start()

            let inFlight = try RawHTTPClient(port: port)
            try await inFlight.send(get("/slow"))
            await entered.wait()
            let finished = Mutex(false)
            let shutdown = Task {
                await server.shutdown(gracePeriod: .seconds(10))
                finished.withLock { $0 = true }
            }
            // New connections are refused once the listener is closed (bounded polling).
            let refused = try await offPool { () -> Bool in
                let deadline = monotonicSeconds() + 20  // a hang check: generous for a loaded machine
                while monotonicSeconds() < deadline {
                    guard let probe = try? RawHTTPClient(port: port, receiveTimeout: 1) else { return true }
                    _ = probe
                }
                return false
            }
            #expect(refused)
            #expect(!finished.withLock { $0 })
            release.open()
            let response = try await inFlight.response()
            #expect(response.text == "done")
            #expect(response.header("Connection") == "close")
            await shutdown.value
            #expect(finished.withLock { $0 })
        }
    }
}
