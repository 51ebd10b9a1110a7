import AgentCore
import AgentHTTP
import AgentTesting
import CommandLineSupport
import Testing
@testable import agentd

/// Seed 001 in the daemon: its rate-limit settings (flags beat the environment, which beats the
/// document's defaults) and its routes in `Daemon.handler` beside the native API.
struct DaemonSeed001Tests {
    func parse(_ arguments: [String], _ environment: [String: String] = [:]) throws -> DaemonConfiguration {
        var cursor = ArgumentCursor(arguments)
        return try DaemonConfiguration(parsing: &cursor, environment: environment, currentDirectory: "/srv/app")
    }

    @Test func rateLimitsDefaultToTheDocumentAndFlagsBeatTheEnvironment() throws {
        #expect(try parse([]).rateLimits == DaemonConfiguration.RateLimits())
        let defaults = try parse([]).rateLimits
        #expect(defaults.requests == 100 && defaults.sessions == 10 && defaults.webSockets == 5)
        let environment = ["RATE_LIMIT_REQUESTS": "7", "RATE_LIMIT_SESSIONS": "3", "RATE_LIMIT_WEBSOCKETS": "2"]
        let fromEnvironment = try parse([], environment).rateLimits
        #expect(fromEnvironment.requests == 7 && fromEnvironment.sessions == 3 && fromEnvironment.webSockets == 2)
        let fromFlags = try parse(["--rate-limit", "50", "--session-rate-limit=4", "--ws-rate-limit", "9"], environment).rateLimits
        #expect(fromFlags.requests == 50 && fromFlags.sessions == 4 && fromFlags.webSockets == 9)
        #expect(throws: UsageError.self) { try parse(["--rate-limit", "0"]) }
        #expect(throws: DaemonError.self) { try parse([], ["RATE_LIMIT_SESSIONS": "many"]) }
        // /api/v1 has no limit unless one is asked for.
        #expect(defaults.api == nil)
        #expect(try parse([], ["RATE_LIMIT_API": "600"]).rateLimits.api == 600)
        #expect(try parse(["--api-rate-limit", "60"], ["RATE_LIMIT_API": "600"]).rateLimits.api == 60)
        #expect(throws: DaemonError.self) { try parse([], ["RATE_LIMIT_API": "0"]) }
    }

    @Test func theDaemonServesSeed001BesideTheNativeAPI() async throws {
        let sessions = try await ScriptedSessions(prefix: "agentd-s1-daemon")
        let handler = try Daemon.handler(service: sessions.service, corsOrigins: [],
                                     cambio: CambioConfiguration(sessionCreationsPerWindow: 1))
        func send(_ method: String, _ path: String) async throws -> HTTPResponse {
            var parser = HTTPRequestParser()
            parser.append(Array("\(method) \(path) HTTP/1.1\r\nHost: localhost\r\nContent-Length: 0\r\n\r\n".utf8))
            guard case .head(let head)? = try parser.next() else { throw CancellationError() }
            return await handler.handle(HTTPRequest(head: head, remoteAddress: "127.0.0.1:40000"))
        }
        func json(_ response: HTTPResponse) -> JSONValue {
            guard case .bytes(let bytes) = response.body else { return .null }
            return (try? JSONValue(parsing: bytes)) ?? .null
        }
        let created = try await send("POST", "/sessions")
        #expect(created.status == 200 && json(created)["status"] == "active")
        let refused = try await send("POST", "/sessions")
        #expect(refused.status == 429 && json(refused)["error"] == "rate_limited")
        #expect(try await send("POST", "/api/v1/sessions").status == 201)
        let health = json(try await send("GET", "/health"))
        #expect(health["status"] == "healthy" && health["websocket_connections"] == 0)
        #expect(health["services"]?["model_provider"] == "configured")
        #expect(try await send("GET", "/api/v1/health").status == 200)
        await sessions.finish()
    }
}
