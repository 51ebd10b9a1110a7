import AgentHTTP
import Testing

extension WebSocketTests {
    /// Server frames on the wire (RFC 6455 §5.2, §5.7 examples) and close codes (§7.4).
    @Suite struct Frame {
        @Test func unmaskedTextMatchesTheRFCExample() {
            #expect(WebSocketFrame.text("Hello").encoded() == [0x81, 0x05, 0x48, 0x65, 0x6C, 0x6C, 0x6F])
        }

        @Test func maskedTextMatchesTheRFCExample() {
            #expect(WebSocketFrame.text("Hello").encoded(maskingKey: WebSocketTests.key)
                    == [0x81, 0x85, 0x37, 0xFA, 0x21, 0x3D, 0x7F, 0x9F, 0x4D, 0x51, 0x58])
        }

        @Test func lengthsUseSevenSixteenOrSixtyFourBits() {
            #expect(WebSocketFrame.binary([UInt8](repeating: 1, count: 125)).encoded().prefix(2) == [0x82, 125])
            #expect(WebSocketFrame.binary([UInt8](repeating: 1, count: 126)).encoded().prefix(4) == [0x82, 126, 0, 126])
            #expect(WebSocketFrame.binary([UInt8](repeating: 1, count: 256)).encoded().prefix(4) == [0x82, 0x7E, 0x01, 0x00])
            #expect(WebSocketFrame.binary([UInt8](repeating: 1, count: 65535)).encoded().prefix(4) == [0x82, 0x7E, 0xFF, 0xFF])
            let big = WebSocketFrame.binary([UInt8](repeating: 1, count: 65536)).encoded()
            #expect(big.prefix(10) == [0x82, 0x7F, 0, 0, 0, 0, 0, 0x01, 0x00, 0x00])
            #expect(big.count == 65546)
        }

        @Test func controlFrames() {
            #expect(WebSocketFrame.ping(Array("Hello".utf8)).encoded() == [0x89, 0x05, 0x48, 0x65, 0x6C, 0x6C, 0x6F])
            #expect(WebSocketFrame.pong([]).encoded() == [0x8A, 0x00])
            #expect(WebSocketFrame.ping([UInt8](repeating: 0, count: 300)).payload.count == 125)
            #expect(WebSocketFrame.close(code: nil).encoded() == [0x88, 0x00])
            #expect(WebSocketFrame.close(code: .normalClosure, reason: "bye").encoded() == [0x88, 0x05, 0x03, 0xE8, 0x62, 0x79, 0x65])
            #expect(WebSocketFrame.close(code: .messageTooBig).encoded() == [0x88, 0x02, 0x03, 0xF1])
        }

        @Test func longCloseReasonIsCutAtACharacterBoundary() throws {
            let frame = WebSocketFrame.close(code: .policyViolation, reason: String(repeating: "é", count: 100))
            #expect(frame.payload.count == 124)   // 2 + 61 × 2 bytes; a 62nd "é" would make 126
            let outcome = WebSocketTests.run([WebSocketTests.client(frame)[...]])
            #expect(outcome == [.event(.close(code: .policyViolation, reason: String(repeating: "é", count: 61)))])
        }

        @Test func fragmentHasFinClear() {
            #expect(WebSocketFrame(fin: false, opcode: .text, payload: Array("Hel".utf8)).encoded()
                    == [0x01, 0x03, 0x48, 0x65, 0x6C])
            #expect(WebSocketFrame(opcode: .continuation, payload: Array("lo".utf8)).encoded() == [0x80, 0x02, 0x6C, 0x6F])
        }

        @Test func closeCodesValidOnTheWire() {
            for valid: UInt16 in [1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014, 3000, 4000, 4999] {
                #expect(WebSocketCloseCode(rawValue: valid).isValidOnTheWire, "\(valid)")
            }
            for invalid: UInt16 in [0, 999, 1004, 1005, 1006, 1015, 1016, 2000, 2999, 5000, 65535] {
                #expect(!WebSocketCloseCode(rawValue: invalid).isValidOnTheWire, "\(invalid)")
            }
        }

        @Test func opcodes() {
            #expect(WebSocketFrame.Opcode.ping.isControl && !WebSocketFrame.Opcode.text.isControl)
            #expect((0...15).filter { WebSocketFrame.Opcode(rawValue: UInt8($0)).isDefined } == [0, 1, 2, 8, 9, 10])
        }
    }
}
