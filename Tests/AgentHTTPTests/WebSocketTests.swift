import AgentHTTP
import Testing

/// WebSocket (RFC 6455): handshake, frame parser, frame encoder and connection. The parts are
/// nested suites in `WebSocketTests+*.swift`; this file holds the shared helpers.
@Suite struct WebSocketTests {
    /// What the parser produced for one input, ending at the first error.
    enum Outcome: Equatable, CustomStringConvertible {
        case event(WebSocketParserEvent)
        case error(WebSocketProtocolError)

        var description: String {
            switch self {
            case .event(let event): "\(event)"
            case .error(let error): "error(\(error))"
            }
        }
    }

    /// The RFC 6455 §5.7 masking key (0x37fa213d).
    static let key: UInt32 = 0x37FA_213D

    /// A client frame: masked, as a client must send it (§5.3).
    static func client(_ frame: WebSocketFrame, key: UInt32 = key) -> [UInt8] { frame.encoded(maskingKey: key) }

    /// A masked client frame built from parts, including ones a client must not send.
    static func client(fin: Bool = true, opcode: UInt8, _ payload: [UInt8], rsv: UInt8 = 0) -> [UInt8] {
        var bytes = WebSocketFrame(fin: fin, opcode: .init(rawValue: opcode), payload: payload).encoded(maskingKey: key)
        bytes[0] = bytes[0] & 0x8F | rsv | opcode & 0x0F
        return bytes
    }

    /// Feeds `pieces` one after another, pulling every event after each, stopping at the first error.
    static func run(_ pieces: [ArraySlice<UInt8>], limits: WebSocketParserLimits = WebSocketParserLimits()) -> [Outcome] {
        var parser = WebSocketFrameParser(limits: limits)
        var outcomes: [Outcome] = []
        for piece in pieces {
            parser.append(piece)
            do {
                while let event = try parser.next() { outcomes.append(.event(event)) }
            } catch {
                outcomes.append(.error(error))
                return outcomes
            }
        }
        return outcomes
    }

    /// Parses `bytes` whole, then split in two at every point (sampled for long inputs) and byte
    /// by byte; expects the same outcome each time and returns it.
    static func parse(_ bytes: [UInt8], limits: WebSocketParserLimits = WebSocketParserLimits(),
                      sourceLocation: SourceLocation = #_sourceLocation) -> [Outcome] {
        let whole = run([bytes[...]], limits: limits)
        let step = max(1, bytes.count / 512)
        for split in stride(from: 1, to: bytes.count, by: step) {
            let outcome = run([bytes[..<split], bytes[split...]], limits: limits)
            #expect(outcome == whole, "split at \(split)", sourceLocation: sourceLocation)
            if outcome != whole { break }
        }
        if bytes.count <= 70_000 {
            let byteByByte = run(bytes.indices.map { bytes[$0...$0] }, limits: limits)
            #expect(byteByByte == whole, "byte by byte", sourceLocation: sourceLocation)
        }
        return whole
    }

    /// The close code of the error the outcome ended in, if any.
    static func errorCode(_ outcomes: [Outcome]) -> UInt16? {
        if case .error(let error) = outcomes.last { return error.closeCode.rawValue }
        return nil
    }

    static func text(_ string: String) -> Outcome { .event(.message(.text(string))) }
}
