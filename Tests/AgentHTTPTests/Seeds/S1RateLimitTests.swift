import AgentCore
import AgentHTTP
import AgentTesting
import Testing

/// Seed 001's "Rate Limiting": per-client limits on its routes, the `X-RateLimit-*` headers, 429
/// in the document's envelope; never on `/health`, `/metrics` or the native `/api/v1` routes.
@Suite(.serialized, .timeLimit(.minutes(1)))
struct S1RateLimitTests {
    static let small = CambioConfiguration(requestsPerWindow: 3, sessionCreationsPerWindow: 2, webSocketConnectionsPerWindow: 1)

    @Test func theDocumentedDefaultsAre100And10And5PerMinute() {
        let defaults = CambioConfiguration()
        #expect(defaults.requestsPerWindow == 100 && defaults.sessionCreationsPerWindow == 10)
        #expect(defaults.webSocketConnectionsPerWindow == 5 && defaults.rateLimitWindow == 60)
    }

    @Test func sessionCreationIsLimitedWithHeadersAnd429InTheEnvelope() async throws {
        try await CambioServer.run(Self.small) { server in
            var remaining: [String?] = []
            for _ in 0..<2 {
                let response = try await server.request("POST", "/sessions", json: [:])
                #expect(response.status == 200)
                #expect(response.header("X-RateLimit-Limit") == "2")
                remaining.append(response.header("X-RateLimit-Remaining"))
            }
            #expect(remaining == ["1", "0"])
            let refused = try await server.request("POST", "/sessions", json: [:])
            #expect(refused.status == 429)
            #expect(S1ConformanceTests.isEnvelope(refused.json) && refused.json["error"] == "rate_limited")
            #expect(refused.header("Retry-After").flatMap(Int.init).map { (1...60).contains($0) } == true)
            #expect(refused.header("X-RateLimit-Remaining") == "0")
            #expect(refused.header("X-RateLimit-Reset").flatMap(Int.init).map { (1...60).contains($0) } == true)
            // The native API is not limited: it still creates.
            let native = try await server.request("POST", "/api/v1/sessions", json: [:])
            #expect(native.status == 201 && native.header("X-RateLimit-Limit") == nil)
        }
    }

    @Test func generalRequestsAreLimitedButHealthAndMetricsNever() async throws {
        try await CambioServer.run(Self.small) { server in
            var statuses: [Int] = []
            for _ in 0..<4 { statuses.append(try await server.request("GET", "/sessions").status) }
            #expect(statuses == [200, 200, 200, 429])
            #expect(try await server.request("GET", "/sessions/some-id").status == 429)
            for _ in 0..<6 {
                let health = try await server.request("GET", "/health")
                #expect(health.status == 200 && health.header("X-RateLimit-Limit") == nil)
                let metrics = try await server.request("GET", "/metrics")
                #expect(metrics.status == 200 && metrics.header("X-RateLimit-Limit") == nil)
                #expect(try await server.request("GET", "/api/v1/sessions").status == 200)
            }
        }
    }

    @Test func webSocketConnectionsAreLimited() async throws {
        try await CambioServer.run(Self.small) { server in
            let id = try await server.createSession()
            let first = try await LiveWebSocket(port: server.port, path: "/ws/\(id)")
            #expect(first.handshake.status == 101 && first.handshake.header("X-RateLimit-Limit") == "1")
            let second = try await LiveWebSocket(port: server.port, path: "/ws/\(id)")
            #expect(second.handshake.status == 429)
            #expect(S1ConformanceTests.isEnvelope(try JSONValue(parsing: second.handshake.body)))
            let viewer = try await LiveWebSocket(port: server.port, path: "/vnc/\(id)")
            #expect(viewer.handshake.status == 429)
            try await first.close()
        }
    }
}
