/// Settings of one ``WebSocketConnection``.
///
/// ```swift
/// var configuration = WebSocketConfiguration()
/// configuration.pingInterval = .seconds(20)
/// await WebSocketConnection.serve(upgraded, configuration: configuration) { socket in … }
/// ```
public struct WebSocketConfiguration: Sendable, Hashable {
    /// Frame and message size limits for what the peer sends (1009 beyond them).
    public var limits: WebSocketParserLimits
    /// How long ``WebSocketConnection/close(code:reason:)`` waits for the peer's Close before it
    /// closes the connection anyway (RFC 6455 §7.1.1 lets the server close TCP first).
    public var closeTimeout: Duration
    /// When set, a Ping is sent this often; if the previous one is still unanswered, the
    /// connection is failed with 1011. Nil sends no pings.
    public var pingInterval: Duration?
    /// Most received messages waiting for the reader of ``WebSocketConnection/messages``. A peer
    /// that gets further ahead is disconnected with 1008, so memory stays bounded.
    public var maxQueuedMessages: Int

    /// Creates a configuration; every argument has the documented default.
    public init(limits: WebSocketParserLimits = WebSocketParserLimits(), closeTimeout: Duration = .seconds(1),
                pingInterval: Duration? = nil, maxQueuedMessages: Int = 64) {
        self.limits = limits
        self.closeTimeout = closeTimeout
        self.pingInterval = pingInterval
        self.maxQueuedMessages = maxQueuedMessages
    }
}
