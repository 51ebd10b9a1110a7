/// Settings of the seed-001 dialect (``CambioAPI``): its rate limits, WebSocket heartbeat, allowed
/// browser origins and what `/health` reports about the model provider.
///
/// The defaults are the document's (seed 001, "Rate Limiting"): 100 requests, 10 session
/// creations and 5 WebSocket connections per minute per client IP.
public struct CambioConfiguration: Sendable {
    /// Requests per window per client on the dialect's routes other than session creation and
    /// WebSockets (seed 001, "General API").
    public var requestsPerWindow: Int
    /// `POST /sessions` per window per client (seed 001, "Session Creation").
    public var sessionCreationsPerWindow: Int
    /// `/ws/{id}` and `/vnc/{id}` handshakes per window per client (seed 001, "WebSocket Connections").
    public var webSocketConnectionsPerWindow: Int
    /// The rate-limit window in seconds (60: "per minute").
    public var rateLimitWindow: Double
    /// How often `/ws/{id}` sends a `heartbeat` message.
    public var heartbeatInterval: Duration
    /// Browser origins (besides agentd's own) allowed to open the dialect's WebSockets.
    public var allowedOrigins: [String]
    /// What `/health` reports as `services.model_provider`: `configured` (an API key is set; it is
    /// not probed), `scripted` (`--script`), or `missing_api_key`.
    public var modelProvider: String
    /// The `version` `/health` reports.
    public var version: String
    /// What `/health` reports as `services.sandbox`: how seed 003's agent code is isolated
    /// (`bubblewrap`, `namespaces`, `none`), or nil when the platform is not served.
    public var sandboxIsolation: String?
    /// What `/health` reports as `auth`: `none` or `required`.
    public var authMode: String

    public init(
        requestsPerWindow: Int = 100, sessionCreationsPerWindow: Int = 10, webSocketConnectionsPerWindow: Int = 5,
        rateLimitWindow: Double = 60, heartbeatInterval: Duration = .seconds(30), allowedOrigins: [String] = [],
        modelProvider: String = "configured", version: String = "1.0.0", sandboxIsolation: String? = nil,
        authMode: String = "none"
    ) {
        self.sandboxIsolation = sandboxIsolation
        self.authMode = authMode
        self.requestsPerWindow = requestsPerWindow
        self.sessionCreationsPerWindow = sessionCreationsPerWindow
        self.webSocketConnectionsPerWindow = webSocketConnectionsPerWindow
        self.rateLimitWindow = rateLimitWindow
        self.heartbeatInterval = heartbeatInterval
        self.allowedOrigins = allowedOrigins
        self.modelProvider = modelProvider
        self.version = version
    }
}
