public import AgentCore

/// Seed 001 (the CambioML Computer Use Agent Backend API reference,
/// `shared/seeds/001_ec639234b8e3f7d5.txt`) served at the root, as a thin mapping onto
/// ``SessionService``: each route turns the document's request into one service call and the
/// answer into the document's JSON.
///
/// Routes: `POST /sessions`, `GET /sessions`, `GET`/`DELETE /sessions/{session_id}`,
/// `GET`/`DELETE /sessions/{session_id}/history`, `GET /health` (also seed 004's health fields),
/// WebSockets `/ws/{session_id}` (the agent) and `/vnc/{session_id}` (the live desktop).
/// `GET /metrics` is ``MetricsEndpoint``'s, which carries the document's `http_requests_total`.
///
/// Where the document contradicts itself, both readings are served when they can coexist:
/// - **Create status.** The status table lists `201 Created`, but the document's Python client
///   accepts only `200` (`if response.status == 200`) and its JavaScript client any 2xx.
///   Only one status can be sent: `POST /sessions` answers **200**, so both printed clients work.
/// - **List shape.** "List Sessions" answers `{sessions, total, limit, offset}`; "Pagination"
///   says list endpoints answer `{data, pagination: {limit, offset, total, has_next, has_prev}}`.
///   `GET /sessions` and `GET /sessions/{id}/history` carry both in one object (`sessions` or
///   `messages` and `data` hold the same page).
/// - **Health.** Seed 001's `{status, timestamp, services, version}` and seed 004's
///   `{status: "healthy", websocket_connected, websocket_connections}` are one object;
///   `services` lists what agentd really has (`database`, `desktops`, `live_view`,
///   `model_provider`), never the document's Redis or Docker.
/// - **Statuses.** The document's session statuses (`active`, `inactive`, `error`) are a
///   projection of agentd's nine (see ``CambioStatus``); the native one is `agent_status`, and the
///   `status` filter takes either vocabulary.
/// - **Live-view fields.** `container_id` is always null (sessions run on private Xvfb desktops,
///   not containers); `vnc_port` is the loopback port of the session's x11vnc while it runs, else
///   null. It is password-protected and reachable only from this machine: viewers use `vnc_url`.
///
/// Sessions created here default to a desktop environment with the `computer`, `bash` and `edit`
/// tools (the document's agent takes screenshots); `config` may carry any native configuration
/// field (`environment`, `tools`, `model`, …) to change that. Errors use the document's envelope
/// (``CambioError``).
public struct CambioAPI: Sendable {
    public let service: SessionService
    public let configuration: CambioConfiguration
    /// The live WebSocket connections `/health` reports.
    public let connections: WebSocketTally
    let health: HealthProbe

    public init(service: SessionService, configuration: CambioConfiguration = CambioConfiguration(),
                connections: WebSocketTally) {
        self.service = service
        self.configuration = configuration
        self.connections = connections
        health = HealthProbe(service: service)
    }

    /// Adds every route of the dialect to `router`.
    public func register(on router: inout Router) {
        registerHealth(on: &router)
        registerSessions(on: &router)
        registerHistory(on: &router)
        registerAgentSocket(on: &router)
        registerLiveView(on: &router)
    }

    /// The answer to an error a route throws: the dialect's envelope (the router's own answers,
    /// 404 and 405, stay in the native one).
    static let errors: @Sendable (any Error, APIRequest) -> HTTPResponse = { error, request in
        CambioError(any: error).response(requestID: request.requestID)
    }

    /// The WebSocket origin policy: no `Origin` (not a browser), an allowed origin, or agentd's own.
    static func originPolicy(allowed: [String], host: String?) -> @Sendable (String?) -> Bool {
        { origin in
            guard let origin else { return true }
            return allowed.contains(origin) || host.map { origin == "http://\($0)" || origin == "https://\($0)" } == true
        }
    }

    /// An integer query parameter within `range`, or `fallback` when absent; 422 otherwise.
    static func integer(_ request: APIRequest, _ name: String, in range: ClosedRange<Int>, default fallback: Int)
        throws(CambioError) -> Int
    {
        guard let text = request.query[name] else { return fallback }
        guard let value = Int(text), range.contains(value) else {
            throw .validation(name, "query parameter '\(name)' must be an integer in \(range.lowerBound)...\(range.upperBound)")
        }
        return value
    }

    /// `{limit, offset, total, has_next, has_prev}` (seed 001, "Pagination").
    static func pagination(limit: Int, offset: Int, total: Int) -> JSONValue {
        ["limit": .int(limit), "offset": .int(offset), "total": .int(total),
         "has_next": .bool(offset + limit < total), "has_prev": .bool(offset > 0)]
    }
}
