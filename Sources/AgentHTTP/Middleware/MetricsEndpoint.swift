public import AgentCore

/// `GET /metrics` in the Prometheus text format 0.0.4: the HTTP metrics, sessions per status, and
/// the service's token, tool-call and retry counters.
///
/// Only loopback peers get an answer unless `allowsRemotePeers` is set (OWASP API9: metrics need
/// authentication or loopback); others get the same 404 as a path that does not exist.
///
/// ```swift
/// MetricsEndpoint(metrics: metrics, service: service).register(on: &router)
/// ```
public struct MetricsEndpoint: Sendable {
    public let metrics: HTTPMetrics
    public let service: SessionService?
    public var allowsRemotePeers: Bool

    public init(metrics: HTTPMetrics, service: SessionService?, allowsRemotePeers: Bool = false) {
        self.metrics = metrics
        self.service = service
        self.allowsRemotePeers = allowsRemotePeers
    }

    /// Adds `GET /metrics`.
    public func register(on router: inout Router) {
        let endpoint = self
        router.add("GET", "/metrics") { request in
            guard endpoint.allowsRemotePeers || ClientAddress(request.http.remoteAddress).isLoopback else {
                throw APIError.notFound("no route for \(request.http.method) \(request.http.path)")
            }
            let text = try await endpoint.render()
            return HTTPResponse(status: 200, headers: ["Content-Type": PrometheusText.contentType, "Cache-Control": "no-store"],
                                body: .bytes(Array(text.utf8)))
        }
    }

    /// The exposition text.
    /// - Throws: `SessionError.storage` when the session counts cannot be read.
    public func render() async throws -> String {
        var text = PrometheusText()
        metrics.write(to: &text)
        guard let service else { return text.output }
        let counts = try await service.statusCounts()
        text.family("agentd_sessions", .gauge, "Sessions by status.")
        for status in SessionStatus.allCases {
            text.sample("agentd_sessions", ["status": status.rawValue], value: Double(counts[status] ?? 0))
        }
        let snapshot = service.metrics.snapshot
        text.family("agentd_model_tokens_total", .counter, "Model tokens used since the daemon started, by kind.")
        for (kind, count) in snapshot.tokens.sorted(by: { $0.key < $1.key }) {
            text.sample("agentd_model_tokens_total", ["kind": kind], value: Double(count))
        }
        text.family("agentd_tool_calls_total", .counter, "Tool calls that finished since the daemon started.")
        text.sample("agentd_tool_calls_total", value: Double(snapshot.toolCalls))
        text.family("agentd_model_retries_total", .counter, "Model calls retried since the daemon started.")
        text.sample("agentd_model_retries_total", value: Double(snapshot.modelRetries))
        return text.output
    }
}
