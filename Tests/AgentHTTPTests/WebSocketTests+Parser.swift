import AgentHTTP
import Testing

extension WebSocketTests {
    /// The frame parser (RFC 6455 §5). Every input goes through `WebSocketTests.parse`, which
    /// also feeds it split at every point and byte by byte.
    @Suite struct Parser {
        typealias W = WebSocketTests

        // MARK: - Well-formed input

        @Test func maskedTextFromTheRFC() {
            // §5.7: a single-frame masked text message containing "Hello".
            let outcome = W.parse([0x81, 0x85, 0x37, 0xFA, 0x21, 0x3D, 0x7F, 0x9F, 0x4D, 0x51, 0x58])
            #expect(outcome == [W.text("Hello")])
        }

        @Test func severalFramesInOneReadComeOutInOrder() {
            let bytes = W.client(.text("one")) + W.client(.binary([1, 2, 3])) + W.client(.text(""))
                + W.client(.ping(Array("p".utf8))) + W.client(.pong([]))
            #expect(W.parse(bytes) == [W.text("one"), .event(.message(.binary([1, 2, 3]))), W.text(""),
                                       .event(.ping(Array("p".utf8))), .event(.pong([]))])
        }

        @Test func sixteenAndSixtyFourBitLengths() {
            let medium = (0..<300).map { UInt8($0 & 0xFF) }
            #expect(W.parse(W.client(.binary(medium))) == [.event(.message(.binary(medium)))])
            let large = (0..<70_000).map { UInt8($0 % 251) }
            #expect(W.parse(W.client(.binary(large))) == [.event(.message(.binary(large)))])
        }

        @Test func nonMinimalLengthIsAccepted() {
            // 5 bytes announced with the 16-bit form.
            let bytes: [UInt8] = [0x81, 0xFE, 0x00, 0x05, 0, 0, 0, 0] + Array("Hello".utf8)
            #expect(W.parse(bytes) == [W.text("Hello")])
        }

        @Test func fragmentedMessageWithInterleavedPing() {
            // §5.4: control frames may be injected in the middle of a fragmented message.
            let bytes = W.client(fin: false, opcode: 0x1, Array("Hel".utf8))
                + W.client(.ping(Array("mid".utf8)))
                + W.client(fin: false, opcode: 0x0, Array("l".utf8))
                + W.client(.pong([]))
                + W.client(fin: true, opcode: 0x0, Array("o".utf8))
            #expect(W.parse(bytes) == [.event(.ping(Array("mid".utf8))), .event(.pong([])), W.text("Hello")])
        }

        @Test func fragmentedBinaryWithEmptyFragments() {
            let bytes = W.client(fin: false, opcode: 0x2, []) + W.client(fin: false, opcode: 0x0, [7])
                + W.client(fin: true, opcode: 0x0, [])
            #expect(W.parse(bytes) == [.event(.message(.binary([7])))])
        }

        @Test(arguments: ["€", "😀", "aé€😀z"])
        func utf8SplitAcrossFragmentsIsAccepted(_ text: String) {
            let utf8 = Array(text.utf8)
            for cut in 1..<utf8.count {
                let bytes = W.client(fin: false, opcode: 0x1, Array(utf8[..<cut]))
                    + W.client(fin: true, opcode: 0x0, Array(utf8[cut...]))
                #expect(W.parse(bytes) == [W.text(text)], "cut at \(cut)")
            }
        }

        // MARK: - Protocol errors (1002)

        @Test func unmaskedClientFrameIsRefused() {
            // §5.1: the server MUST close the connection upon receiving an unmasked frame.
            #expect(W.errorCode(W.parse(WebSocketFrame.text("Hello").encoded())) == 1002)
            #expect(W.errorCode(W.parse([0x81, 0x05])) == 1002)   // refused from the header alone
        }

        @Test(arguments: [UInt8(0x40), 0x20, 0x10, 0x70])
        func reservedBitsAreRefused(_ rsv: UInt8) {
            #expect(W.errorCode(W.parse(W.client(opcode: 0x1, Array("x".utf8), rsv: rsv))) == 1002)
        }

        @Test(arguments: [UInt8(3), 4, 5, 6, 7, 0xB, 0xC, 0xD, 0xE, 0xF])
        func reservedOpcodesAreRefused(_ opcode: UInt8) {
            #expect(W.errorCode(W.parse(W.client(opcode: opcode, []))) == 1002)
        }

        @Test func controlFrameOver125BytesIsRefused() {
            // §5.5: control frames have a payload length of 125 bytes or less.
            #expect(W.parse(W.client(opcode: 0x9, [UInt8](repeating: 0, count: 125))).count == 1)
            #expect(W.errorCode(W.parse(W.client(opcode: 0x9, [UInt8](repeating: 0, count: 126)))) == 1002)
            #expect(W.errorCode(W.parse(W.client(opcode: 0x8, [UInt8](repeating: 0x41, count: 200)))) == 1002)
        }

        @Test func fragmentedControlFrameIsRefused() {
            #expect(W.errorCode(W.parse(W.client(fin: false, opcode: 0x9, []))) == 1002)
            #expect(W.errorCode(W.parse(W.client(fin: false, opcode: 0x8, [0x03, 0xE8]))) == 1002)
        }

        @Test func sixtyFourBitLengthWithHighBitIsRefused() {
            #expect(W.errorCode(W.parse([0x82, 0xFF, 0x80, 0, 0, 0, 0, 0, 0, 1])) == 1002)
        }

        @Test func continuationWithoutMessageIsRefused() {
            #expect(W.errorCode(W.parse(W.client(opcode: 0x0, Array("x".utf8)))) == 1002)
            let afterComplete = W.client(.text("done")) + W.client(opcode: 0x0, [])
            let outcome = W.parse(afterComplete)
            #expect(outcome.first == W.text("done"))
            #expect(W.errorCode(outcome) == 1002)
        }

        @Test func newDataFrameInsideFragmentedMessageIsRefused() {
            let bytes = W.client(fin: false, opcode: 0x1, Array("a".utf8)) + W.client(.text("b"))
            #expect(W.errorCode(W.parse(bytes)) == 1002)
            let binary = W.client(fin: false, opcode: 0x2, [1]) + W.client(fin: false, opcode: 0x2, [2])
            #expect(W.errorCode(W.parse(binary)) == 1002)
        }

        @Test func closeFrameBodies() {
            #expect(W.parse(W.client(.close(code: nil))) == [.event(.close(code: nil, reason: ""))])
            #expect(W.parse(W.client(.close(code: .goingAway, reason: "bye é")))
                    == [.event(.close(code: .goingAway, reason: "bye é"))])
            #expect(W.parse(W.client(.close(code: .init(rawValue: 4321))))
                    == [.event(.close(code: .init(rawValue: 4321), reason: ""))])
            // §5.5.1: a body is at least the 2-byte code.
            #expect(W.errorCode(W.parse(W.client(opcode: 0x8, [0x03]))) == 1002)
            // §7.4: codes a peer must not send.
            for code: UInt16 in [0, 999, 1004, 1005, 1006, 1015, 2999, 5000] {
                let bytes = W.client(opcode: 0x8, [UInt8(code >> 8), UInt8(code & 0xFF)])
                #expect(W.errorCode(W.parse(bytes)) == 1002, "code \(code)")
            }
            // §5.5.1: the reason is UTF-8.
            #expect(W.errorCode(W.parse(W.client(opcode: 0x8, [0x03, 0xE8, 0xC3]))) == 1007)
        }

        // MARK: - Invalid UTF-8 (1007)

        @Test(arguments: [
            [0xFF], [0xC0, 0x80], [0xC1, 0xBF], [0xE0, 0x80, 0x80], [0xED, 0xA0, 0x80], [0xF0, 0x80, 0x80, 0x80],
            [0xF4, 0x90, 0x80, 0x80], [0xF5, 0x80, 0x80, 0x80], [0x80], [0x61, 0xBF], [0xE2, 0x82], [0xF0, 0x9F, 0x98],
        ] as [[UInt8]])
        func invalidUTF8TextIsRefused(_ payload: [UInt8]) {
            #expect(W.errorCode(W.parse(W.client(opcode: 0x1, payload))) == 1007)
        }

        @Test func invalidUTF8FailsFastBeforeTheLastFragment() {
            let first = W.client(fin: false, opcode: 0x1, [0x61, 0xED, 0xA0])
            let outcome = W.parse(first)
            #expect(outcome.count == 1)
            #expect(outcome.first?.error?.closeCode == .invalidPayload)
        }

        @Test func truncatedSequenceAtMessageEndIsRefused() {
            let bytes = W.client(fin: false, opcode: 0x1, [0x61, 0xE2]) + W.client(fin: true, opcode: 0x0, [0x82])
            #expect(W.errorCode(W.parse(bytes)) == 1007)
        }

        @Test func binaryIsNotCheckedForUTF8() {
            #expect(W.parse(W.client(.binary([0xFF, 0xC0]))) == [.event(.message(.binary([0xFF, 0xC0])))])
        }

        // MARK: - Limits (1009)

        @Test func oversizeFrameIsRefusedFromItsHeader() {
            let limits = WebSocketParserLimits(maxFrameBytes: 100, maxMessageBytes: 1000)
            #expect(W.parse(W.client(.binary([UInt8](repeating: 0, count: 100))), limits: limits).count == 1)
            let header = Array(W.client(.binary([UInt8](repeating: 0, count: 101))).prefix(4))
            #expect(W.errorCode(W.parse(header, limits: limits)) == 1009)
            // A 2 MiB message against the default 1 MiB limit: refused without its payload.
            let twoMiB: [UInt8] = [0x82, 0xFF, 0, 0, 0, 0, 0, 0x20, 0, 0]
            #expect(W.errorCode(W.parse(twoMiB)) == 1009)
        }

        @Test func oversizeMessageAcrossFragmentsIsRefused() {
            let limits = WebSocketParserLimits(maxFrameBytes: 100, maxMessageBytes: 150)
            let chunk = [UInt8](repeating: 0x61, count: 75)
            let exact = W.client(fin: false, opcode: 0x1, chunk) + W.client(fin: true, opcode: 0x0, chunk)
            #expect(W.parse(exact, limits: limits) == [W.text(String(repeating: "a", count: 150))])
            let over = W.client(fin: false, opcode: 0x1, chunk) + W.client(fin: false, opcode: 0x0, chunk)
                + Array(W.client(fin: true, opcode: 0x0, [0x61]).prefix(2))
            #expect(W.errorCode(W.parse(over, limits: limits)) == 1009)
        }

        // MARK: - Parser state

        @Test func errorIsSticky() {
            var parser = WebSocketFrameParser()
            parser.append([0x81, 0x05])
            #expect(throws: WebSocketProtocolError.self) { try parser.next() }
            parser.append(W.client(.text("ok")))
            #expect(throws: WebSocketProtocolError.self) { try parser.next() }
        }

        @Test func bufferHoldsOnlyWhatWasNotConsumed() throws {
            var parser = WebSocketFrameParser()
            for index in 0..<2000 {
                parser.append(W.client(.text("message \(index)")))
                #expect(try parser.next() == .message(.text("message \(index)")))
                #expect(parser.bufferedByteCount == 0)
            }
            parser.append(W.client(fin: false, opcode: 0x1, Array("a".utf8)))
            #expect(try parser.next() == nil)
            #expect(parser.isInsideMessage)
        }
    }
}

extension WebSocketTests.Outcome {
    var error: WebSocketProtocolError? {
        if case .error(let error) = self { return error }
        return nil
    }
}
