/// A complete WebSocket message: text (valid UTF-8, RFC 6455 §5.6) or binary.
public enum WebSocketMessage: Sendable, Hashable {
    case text(String)
    case binary([UInt8])
}
