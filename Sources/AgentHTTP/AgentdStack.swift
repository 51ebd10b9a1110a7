public import AgentCore

/// agentd's HTTP stack: the native API, its documentation and metrics, seeds 000 and 004, and
/// seed 001 at the root, wrapped (outside in) in security headers, metrics by route, the WebSocket
/// tally, seed 001's rate limits (its routes only), and CORS.
///
/// ```swift
/// let stack = AgentdStack(service: service, corsOrigins: [])
/// let server = HTTPServer(configuration: HTTPServerConfiguration(port: 0), handler: stack.handler)
/// ```
///
/// The daemon serves it behind its access log; tests serve the same stack on an ephemeral port.
public struct AgentdStack: Sendable {
    /// The outermost handler.
    public let handler: any HTTPHandler
    /// Every route the stack answers, in the order added (`/api/v1`, seeds, `/openapi.json`, `/metrics`).
    public let routeTable: [RouteDescription]

    /// - Parameters:
    ///   - metrics: the request counters `/metrics` shows (share them with another listener's stack).
    ///   - settingsFile: where seed 004 keeps its `/api/config` settings (nil: in memory only).
    /// - Throws: when `settingsFile` exists and is unreadable.
    ///   - access: accounts and seed 003's platform; with it, `/api/v1/auth/…`, agents, uploads,
    ///     executions and logs are served, and every request passes ``AuthenticationMiddleware``
    ///     in the access's mode. Without it, nothing is authenticated (the embedded library use).
    ///   - apiRateLimit: requests per minute per client IP on `/api/v1` (health and readiness
    ///     apart); nil, the default, is no limit. Seed 001's own limits are in `cambio`.
    public init(service: SessionService, corsOrigins: [String], cambio: CambioConfiguration = CambioConfiguration(),
                metrics: HTTPMetrics = HTTPMetrics(), settingsFile: String? = nil, access: AgentdAccess? = nil,
                apiRateLimit: Int? = nil) throws {
        var router = Router()
        NativeAPI(service: service, allowedOrigins: corsOrigins).register(on: &router)
        if let access {
            AnymindAPI(accounts: access.accounts, platform: access.platform).register(on: &router)
            TicketsAPI(accounts: access.accounts).register(on: &router)
        }
        AnthropicComputerUseAPI(service: service, allowedOrigins: corsOrigins).register(on: &router)
        try OpenBrowserAPI(service: service, settingsFile: settingsFile).register(on: &router)
        APIDocumentation.register(on: &router)
        MetricsEndpoint(metrics: metrics, service: service).register(on: &router)
        let connections = WebSocketTally()
        let seed001 = CambioAPI(service: service, configuration: cambio, connections: connections)
        seed001.register(on: &router)
        let guarded: any HTTPHandler = access.map { $0.guarding(router) } ?? router
        let cors = CORSMiddleware(wrapping: guarded, allowedOrigins: corsOrigins,
                                  allowedHeaders: ["Authorization", "Content-Type", "Last-Event-ID", "X-Request-ID", "X-API-Key"])
        var limited = seed001.rateLimited(cors)
        if let apiRateLimit {
            limited = RateLimitMiddleware(wrapping: limited, limiter: RateLimiter(limit: apiRateLimit, window: 60),
                                          group: { Self.isRateLimitedAPI($0.path) })
        }
        let counted = WebSocketTallyMiddleware(wrapping: limited, tally: connections)
        handler = SecurityHeadersMiddleware(wrapping: MetricsMiddleware(wrapping: counted, metrics: metrics, routes: router))
        routeTable = router.routeTable
    }

    /// Whether `--api-rate-limit` counts a request to `path`: `/api/v1`, but never health or readiness.
    static func isRateLimitedAPI(_ path: String) -> Bool {
        path.hasPrefix("/api/v1/") && path != "/api/v1/health" && path != "/api/v1/ready"
    }
}
