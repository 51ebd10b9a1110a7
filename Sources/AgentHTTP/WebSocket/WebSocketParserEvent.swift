/// What ``WebSocketFrameParser`` produces: whole messages (fragments already joined) and
/// control frames (RFC 6455 §5.5), which may arrive between a message's fragments.
public enum WebSocketParserEvent: Sendable, Hashable {
    /// A data message, reassembled from its fragments.
    case message(WebSocketMessage)
    /// A Ping; answer with a Pong carrying the same payload (§5.5.2).
    case ping([UInt8])
    /// A Pong (§5.5.3), solicited or not.
    case pong([UInt8])
    /// A Close frame (§5.5.1): `code` nil when the frame had no body (reported as 1005),
    /// and the reason, already checked to be UTF-8.
    case close(code: WebSocketCloseCode?, reason: String)
}
