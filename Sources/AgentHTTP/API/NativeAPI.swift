public import AgentCore

/// The native API (`/api/v1`): each route turns HTTP into one call on the session service and its
/// answer into JSON; there is no business logic here.
public struct NativeAPI: Sendable {
    public let service: SessionService
    public let version: String
    /// Browser origins (besides agentd's own) allowed to open the session WebSocket (`CORS_ORIGINS`).
    public let allowedOrigins: [String]
    /// Sessions' JSON, written once per change of the session (lists and reads).
    let sessionJSON = SessionJSONCache()

    public init(service: SessionService, version: String = AgentCoreVersion.string, allowedOrigins: [String] = []) {
        self.service = service
        self.version = version
        self.allowedOrigins = allowedOrigins
    }

    /// Adds every native route to `router`.
    public func register(on router: inout Router) {
        registerSessions(on: &router)
        registerRuns(on: &router)
        registerEvents(on: &router)
        registerWebSocket(on: &router)
    }

    /// The `limit` and `offset` query parameters.
    static func page(_ request: APIRequest, maximum: Int = SessionQuery.maximumLimit) throws(APIError) -> (limit: Int, offset: Int) {
        (try request.integer("limit", in: 1...maximum, default: 50), try request.integer("offset", in: 0...Int.max, default: 0))
    }
}
