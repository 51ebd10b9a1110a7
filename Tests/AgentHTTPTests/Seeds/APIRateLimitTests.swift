import AgentCore
import AgentHTTP
import Testing

/// `/api/v1` is not rate-limited unless the operator asks (`--api-rate-limit`); then the native
/// API and seed 003's routes share one per-client budget, and health and readiness stay open.
@Suite(.timeLimit(.minutes(1)))
struct APIRateLimitTests {
    @Test func theAPIIsNotLimitedByDefault() async throws {
        let server = try await S3Server.start()
        defer { Task { await server.stop() } }
        for _ in 0..<120 {
            let listed = try await server.request("GET", "/api/v1/sessions")
            #expect(listed.status == 200)
            #expect(listed.header("X-RateLimit-Limit") == nil)
        }
    }

    @Test func aConfiguredLimitRefusesTheAPIButNotHealth() async throws {
        let server = try await S3Server.start(apiRateLimit: 3)
        defer { Task { await server.stop() } }
        for index in 0..<3 {
            let listed = try await server.request("GET", "/api/v1/sessions")
            #expect(listed.status == 200 && listed.header("X-RateLimit-Limit") == "3")
            #expect(listed.header("X-RateLimit-Remaining") == String(2 - index))
        }
        let refused = try await server.request("GET", "/api/v1/sessions")
        #expect(refused.status == 429 && refused.json["error"] == "rate_limited")
        #expect(Int(refused.header("Retry-After") ?? "") != nil)
        let login = try await server.request("POST", "/api/v1/auth/login", json: ["username": "x", "password": "y"])
        #expect(login.status == 429, "seed 003's routes share the budget")
        #expect(try await server.request("GET", "/api/v1/health").status == 200)
        #expect(try await server.request("GET", "/api/v1/ready").status == 200)
        #expect(try await server.request("GET", "/api/sessions").status == 200, "seed 000's routes are not /api/v1")
    }
}
