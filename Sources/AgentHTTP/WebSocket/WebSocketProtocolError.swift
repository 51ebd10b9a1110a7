/// Why the peer's input broke RFC 6455, and the close code to fail the connection with (§7.1.7).
///
/// The reason is a short fixed phrase chosen by the parser; it never contains bytes from the
/// peer, so it is safe to send in the Close frame or to log. After an error the parser stays
/// failed: the stream's framing can no longer be trusted.
public struct WebSocketProtocolError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The code to close with: 1002, 1007 or 1009.
    public let closeCode: WebSocketCloseCode
    /// A short, fixed explanation (never echoes input; fits a Close frame).
    public let reason: String

    init(_ closeCode: WebSocketCloseCode, _ reason: String) {
        self.closeCode = closeCode
        self.reason = reason
    }

    public var description: String { "\(closeCode) \(reason)" }

    /// 1002 Protocol Error.
    static func protocolError(_ reason: String) -> WebSocketProtocolError { .init(.protocolError, reason) }
    /// 1007 for text that is not UTF-8 (RFC 6455 §8.1).
    static let invalidUTF8 = WebSocketProtocolError(.invalidPayload, "invalid UTF-8 in a text message")
    /// 1007 for a Close reason that is not UTF-8 (RFC 6455 §5.5.1).
    static let invalidCloseReason = WebSocketProtocolError(.invalidPayload, "invalid UTF-8 in a close reason")
    /// 1009 for a single frame over the limit.
    static let frameTooBig = WebSocketProtocolError(.messageTooBig, "frame exceeds the limit")
    /// 1009 for a (reassembled) message over the limit.
    static let messageTooBig = WebSocketProtocolError(.messageTooBig, "message exceeds the limit")
}
