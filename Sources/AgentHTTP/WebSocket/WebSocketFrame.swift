/// One WebSocket frame (RFC 6455 §5.2), and its wire form.
///
/// The server sends frames unmasked (§5.1); ``encoded(maskingKey:)`` also writes masked
/// client frames, which tests and fuzzers use to talk to the parser.
///
/// ```swift
/// try await connection.write(WebSocketFrame.text("hello").encoded())
/// try await connection.write(WebSocketFrame.close(code: .normalClosure, reason: "bye").encoded())
/// ```
public struct WebSocketFrame: Sendable, Hashable {
    /// The frame type (RFC 6455 §5.2 "Opcode"); an open set of 4-bit values.
    public struct Opcode: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
        public let rawValue: UInt8
        public init(rawValue: UInt8) { self.rawValue = rawValue & 0x0F }

        /// 0x0: a continuation of a fragmented message (§5.4).
        public static let continuation = Opcode(rawValue: 0x0)
        /// 0x1: a text message (UTF-8, §5.6).
        public static let text = Opcode(rawValue: 0x1)
        /// 0x2: a binary message (§5.6).
        public static let binary = Opcode(rawValue: 0x2)
        /// 0x8: Close (§5.5.1).
        public static let close = Opcode(rawValue: 0x8)
        /// 0x9: Ping (§5.5.2).
        public static let ping = Opcode(rawValue: 0x9)
        /// 0xA: Pong (§5.5.3).
        public static let pong = Opcode(rawValue: 0xA)

        /// Control frames have the high bit of the opcode set (RFC 6455 §5.5).
        public var isControl: Bool { rawValue & 0x8 != 0 }
        /// Whether RFC 6455 defines this opcode; 0x3–0x7 and 0xB–0xF are reserved (§5.2).
        public var isDefined: Bool { rawValue <= 0x2 || (0x8...0xA).contains(rawValue) }

        public var description: String {
            switch rawValue {
            case 0x0: "continuation"
            case 0x1: "text"
            case 0x2: "binary"
            case 0x8: "close"
            case 0x9: "ping"
            case 0xA: "pong"
            default: "reserved(0x\(String(rawValue, radix: 16)))"
            }
        }
    }

    /// FIN: this is the final fragment of a message (§5.2).
    public var fin: Bool
    public var opcode: Opcode
    /// The application data, unmasked.
    public var payload: [UInt8]

    public init(fin: Bool = true, opcode: Opcode, payload: [UInt8]) {
        self.fin = fin
        self.opcode = opcode
        self.payload = payload
    }

    // MARK: - Frames the server sends

    /// A whole text message in one frame.
    public static func text(_ text: String) -> WebSocketFrame { .init(opcode: .text, payload: Array(text.utf8)) }
    /// A whole binary message in one frame.
    public static func binary(_ bytes: [UInt8]) -> WebSocketFrame { .init(opcode: .binary, payload: bytes) }
    /// A Ping; at most 125 bytes of payload are kept (RFC 6455 §5.5).
    public static func ping(_ payload: [UInt8] = []) -> WebSocketFrame {
        .init(opcode: .ping, payload: Array(payload.prefix(maxControlPayload)))
    }
    /// A Pong; it echoes the Ping's payload (RFC 6455 §5.5.3), at most 125 bytes.
    public static func pong(_ payload: [UInt8] = []) -> WebSocketFrame {
        .init(opcode: .pong, payload: Array(payload.prefix(maxControlPayload)))
    }

    /// A Close frame: the code as a big-endian 16-bit integer, then the UTF-8 reason (RFC 6455 §5.5.1).
    /// The reason is cut at a character boundary to fit the 125-byte control frame limit.
    /// With `code` nil the frame has no body (the peer reports 1005).
    public static func close(code: WebSocketCloseCode?, reason: String = "") -> WebSocketFrame {
        guard let code else { return .init(opcode: .close, payload: []) }
        var payload = [UInt8(code.rawValue >> 8), UInt8(code.rawValue & 0xFF)]
        var reasonBytes = 0
        for character in reason {
            let utf8 = character.utf8
            if reasonBytes + utf8.count > maxControlPayload - 2 { break }
            payload.append(contentsOf: utf8)
            reasonBytes += utf8.count
        }
        return .init(opcode: .close, payload: payload)
    }

    /// The largest control frame payload (RFC 6455 §5.5: "125 bytes or less").
    public static let maxControlPayload = 125

    // MARK: - Wire form

    /// The frame's bytes (RFC 6455 §5.2). The server passes no key: server frames are not masked
    /// (§5.1). With `maskingKey` (the four key bytes, big-endian) the MASK bit is set and the
    /// payload is masked as a client must (§5.3). RSV1–3 are 0 (no extensions are negotiated).
    public func encoded(maskingKey: UInt32? = nil) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(payload.count + 14)
        bytes.append((fin ? 0x80 : 0) | opcode.rawValue)
        let maskBit: UInt8 = maskingKey == nil ? 0 : 0x80
        // §5.2 Payload length: 7 bits, or 126 + 16 bits, or 127 + 64 bits; the minimal form is used.
        switch payload.count {
        case ...125:
            bytes.append(maskBit | UInt8(payload.count))
        case ...0xFFFF:
            bytes.append(maskBit | 126)
            bytes.append(UInt8(payload.count >> 8))
            bytes.append(UInt8(payload.count & 0xFF))
        default:
            bytes.append(maskBit | 127)
            let length = UInt64(payload.count)
            for shift in stride(from: 56, through: 0, by: -8) { bytes.append(UInt8((length >> UInt64(shift)) & 0xFF)) }
        }
        guard let maskingKey else {
            bytes.append(contentsOf: payload)
            return bytes
        }
        let key = [UInt8(maskingKey >> 24), UInt8((maskingKey >> 16) & 0xFF),
                   UInt8((maskingKey >> 8) & 0xFF), UInt8(maskingKey & 0xFF)]
        bytes.append(contentsOf: key)
        // §5.3: transformed-octet-i = original-octet-i XOR masking-key-octet-(i MOD 4).
        for (index, byte) in payload.enumerated() { bytes.append(byte ^ key[index & 3]) }
        return bytes
    }
}
