/// An incremental, server-side WebSocket frame parser (RFC 6455 §5) that refuses what a client
/// must not send and never buffers beyond one frame of the configured size.
///
/// Feed it bytes as they arrive with ``append(_:)``, then call ``next()`` until it returns nil
/// (more bytes needed). Fragmented messages are reassembled (§5.4) and handed out whole;
/// control frames come out as they arrive, also between a message's fragments.
///
/// ```swift
/// var parser = WebSocketFrameParser()
/// parser.append(bytesFromPeer)
/// do {
///     while let event = try parser.next() {
///         switch event {
///         case .message(let message): deliver(message)
///         case .ping(let payload): try await send(WebSocketFrame.pong(payload))
///         case .pong: break
///         case .close(let code, _): echoClose(code)
///         }
///     }
/// } catch {
///     failConnection(error.closeCode, error.reason)   // 1002, 1007 or 1009
/// }
/// ```
///
/// Refused with a ``WebSocketProtocolError`` (the parser then stays failed):
/// - 1002: an unmasked frame (§5.1), RSV bits set (§5.2; no extension is ever negotiated), a
///   reserved opcode (§5.2), a fragmented or over-125-byte control frame (§5.5), a 64-bit length
///   with the high bit set (§5.2), a continuation with nothing to continue or a new data frame
///   inside a fragmented message (§5.4), a 1-byte Close body or an invalid close code (§5.5.1, §7.4).
/// - 1007: text (or a Close reason) that is not UTF-8 (§8.1), checked fragment by fragment.
/// - 1009: a frame over ``WebSocketParserLimits/maxFrameBytes`` or a message over
///   ``WebSocketParserLimits/maxMessageBytes``, refused from the header before the payload arrives.
///
/// Non-minimal length encodings are accepted (the "minimal number of bytes" rule binds senders).
public struct WebSocketFrameParser: Sendable {
    /// The limits in force; a change applies from the next frame header on.
    public var limits: WebSocketParserLimits

    private var buffer: [UInt8] = []
    /// First unconsumed byte of `buffer`.
    private var readIndex = 0
    /// The data message whose final fragment has not arrived yet (§5.4).
    private var fragmented: PartialMessage?
    private var failure: WebSocketProtocolError?

    /// A data message being reassembled.
    private struct PartialMessage {
        var isText: Bool
        var bytes: [UInt8]
        var validator = UTF8Validator()
    }

    /// A frame's header, decoded once enough bytes have arrived.
    private struct FrameHeader {
        var fin: Bool
        var opcode: WebSocketFrame.Opcode
        /// Header bytes including the masking key.
        var headerLength: Int
        var payloadLength: Int
    }

    public init(limits: WebSocketParserLimits = WebSocketParserLimits()) {
        self.limits = limits
    }

    // MARK: - Input

    /// Appends bytes received from the peer.
    public mutating func append(_ bytes: some Collection<UInt8>) {
        compact()
        buffer.append(contentsOf: bytes)
    }

    /// Bytes appended but not yet consumed by ``next()``.
    public var bufferedByteCount: Int { buffer.count - readIndex }

    /// Whether a fragmented message has started and not finished.
    public var isInsideMessage: Bool { fragmented != nil }

    // MARK: - Parsing

    /// Returns the next message or control frame, or nil when more bytes are needed.
    ///
    /// - Throws: ``WebSocketProtocolError`` for input a client must not send or that exceeds the
    ///   limits; every later call throws the same error.
    public mutating func next() throws(WebSocketProtocolError) -> WebSocketParserEvent? {
        if let failure { throw failure }
        do {
            while let frame = try nextFrame() {
                if let event = try handle(frame) { return event }
            }
            return nil
        } catch {
            failure = error
            buffer = []
            readIndex = 0
            fragmented = nil
            throw error
        }
    }

    /// The next whole frame, unmasked, or nil when its bytes have not all arrived.
    private mutating func nextFrame() throws(WebSocketProtocolError) -> WebSocketFrame? {
        guard let header = try readHeader() else { return nil }
        guard bufferedByteCount >= header.headerLength + header.payloadLength else { return nil }
        let keyStart = readIndex + header.headerLength - 4
        let payloadStart = readIndex + header.headerLength
        var payload = [UInt8](repeating: 0, count: header.payloadLength)
        buffer.withUnsafeBufferPointer { input in
            payload.withUnsafeMutableBufferPointer { output in
                let key = (input[keyStart], input[keyStart + 1], input[keyStart + 2], input[keyStart + 3])
                // §5.3: original-octet-i = transformed-octet-i XOR masking-key-octet-(i MOD 4).
                var index = 0
                while index < output.count {
                    let mask = switch index & 3 { case 0: key.0; case 1: key.1; case 2: key.2; default: key.3 }
                    output[index] = input[payloadStart + index] ^ mask
                    index += 1
                }
            }
        }
        readIndex = payloadStart + header.payloadLength
        return WebSocketFrame(fin: header.fin, opcode: header.opcode, payload: payload)
    }

    /// Decodes and checks the header at `readIndex`; nil until all of it has arrived. Checks run
    /// in a fixed order as bytes arrive, so any split of the same input fails the same way.
    private func readHeader() throws(WebSocketProtocolError) -> FrameHeader? {
        guard bufferedByteCount >= 2 else { return nil }
        let first = buffer[readIndex], second = buffer[readIndex + 1]
        let fin = first & 0x80 != 0
        // §5.2: RSV1–3 MUST be 0 unless an extension defines them; we negotiate none.
        guard first & 0x70 == 0 else { throw .protocolError("reserved bits set") }
        let opcode = WebSocketFrame.Opcode(rawValue: first & 0x0F)
        // §5.2: reserved opcodes MUST fail the connection.
        guard opcode.isDefined else { throw .protocolError("reserved opcode") }
        // §5.1: a server MUST close the connection when a client frame is not masked.
        guard second & 0x80 != 0 else { throw .protocolError("client frame not masked") }
        let shortLength = Int(second & 0x7F)
        if opcode.isControl {
            // §5.5: control frames MUST NOT be fragmented and carry at most 125 bytes.
            guard fin else { throw .protocolError("fragmented control frame") }
            guard shortLength <= WebSocketFrame.maxControlPayload else {
                throw .protocolError("control frame too long")
            }
        } else if opcode == .continuation {
            // §5.4: a continuation only continues a fragmented message.
            guard fragmented != nil else { throw .protocolError("continuation frame without a message") }
        } else {
            // §5.4: the fragments of one message are not interleaved with another message.
            guard fragmented == nil else { throw .protocolError("new message inside a fragmented message") }
        }

        var headerLength = 2
        let payloadLength: UInt64
        switch shortLength {
        case 126:
            // §5.2: 126 means the length is the next 16 bits, big-endian.
            guard bufferedByteCount >= 4 else { return nil }
            payloadLength = UInt64(buffer[readIndex + 2]) << 8 | UInt64(buffer[readIndex + 3])
            headerLength = 4
        case 127:
            // §5.2: 127 means the next 64 bits, big-endian, most significant bit 0.
            guard bufferedByteCount >= 10 else { return nil }
            var length: UInt64 = 0
            for offset in 2..<10 { length = length << 8 | UInt64(buffer[readIndex + offset]) }
            guard length >> 63 == 0 else { throw .protocolError("payload length has the high bit set") }
            payloadLength = length
            headerLength = 10
        default:
            payloadLength = UInt64(shortLength)
        }
        guard payloadLength <= UInt64(limits.maxFrameBytes) else { throw .frameTooBig }
        if !opcode.isControl {
            let soFar = UInt64(fragmented?.bytes.count ?? 0)
            guard soFar + payloadLength <= UInt64(limits.maxMessageBytes) else { throw .messageTooBig }
        }
        return FrameHeader(fin: fin, opcode: opcode, headerLength: headerLength + 4, payloadLength: Int(payloadLength))
    }

    // MARK: - Frames to events

    /// The event a frame completes, or nil for a data fragment that is not the last.
    private mutating func handle(_ frame: WebSocketFrame) throws(WebSocketProtocolError) -> WebSocketParserEvent? {
        switch frame.opcode {
        case .ping: return .ping(frame.payload)
        case .pong: return .pong(frame.payload)
        case .close: return try Self.closeEvent(frame.payload)
        case .continuation:
            guard var message = fragmented else { throw .protocolError("continuation frame without a message") }
            fragmented = nil
            message.bytes.append(contentsOf: frame.payload)
            return try advance(message, with: frame.payload, fin: frame.fin)
        default:
            let message = PartialMessage(isText: frame.opcode == .text, bytes: frame.payload)
            return try advance(message, with: frame.payload, fin: frame.fin)
        }
    }

    /// Validates a message's newest fragment; returns the message when `fin`, else keeps it.
    private mutating func advance(_ message: PartialMessage, with fragment: [UInt8],
                                  fin: Bool) throws(WebSocketProtocolError) -> WebSocketParserEvent? {
        var message = message
        // §8.1: text MUST be UTF-8; checking each fragment fails fast. A character split across
        // fragments is fine: the validator carries the open sequence over.
        if message.isText {
            guard message.validator.validate(fragment) else { throw .invalidUTF8 }
        }
        guard fin else {
            fragmented = message
            return nil
        }
        if message.isText {
            guard message.validator.isComplete else { throw .invalidUTF8 }
            return .message(.text(String(decoding: message.bytes, as: UTF8.self)))
        }
        return .message(.binary(message.bytes))
    }

    /// §5.5.1: an empty body, or a 2-byte code and a UTF-8 reason; §7.4: only valid codes.
    private static func closeEvent(_ payload: [UInt8]) throws(WebSocketProtocolError) -> WebSocketParserEvent {
        if payload.isEmpty { return .close(code: nil, reason: "") }
        guard payload.count >= 2 else { throw .protocolError("close frame body of one byte") }
        let code = WebSocketCloseCode(rawValue: UInt16(payload[0]) << 8 | UInt16(payload[1]))
        guard code.isValidOnTheWire else { throw .protocolError("invalid close code") }
        var validator = UTF8Validator()
        let reason = payload[2...]
        guard validator.validate(reason), validator.isComplete else { throw .invalidCloseReason }
        return .close(code: code, reason: String(decoding: reason, as: UTF8.self))
    }

    /// Drops consumed bytes so the buffer does not grow across a long connection.
    private mutating func compact() {
        if BufferCompaction.compact(&buffer, consumed: readIndex) > 0 { readIndex = 0 }
    }
}
