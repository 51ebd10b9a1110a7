/// Thrown by ``WebSocketConnection`` sends once the closing handshake has started or the
/// connection has ended: RFC 6455 §5.5.1 forbids data frames after a Close.
public struct WebSocketClosedError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Why the connection closed (see ``WebSocketConnection/closeCode``).
    public let closeCode: WebSocketCloseCode?

    public var description: String { "WebSocket closed (\(closeCode.map(String.init(describing:)) ?? "closing"))" }
}
