import AgentCore
import AgentHTTP
import AgentTesting
import Testing

/// The session WebSocket: events out, commands in, origin check.
@Suite(.timeLimit(.minutes(1)))
struct NativeAPIWebSocketTests {
    static let upgrade: [(String, String)] = [
        ("Upgrade", "websocket"), ("Connection", "Upgrade"), ("Sec-WebSocket-Version", "13"),
        ("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ=="),
    ]

    @Test func aClientSendsAMessageAndReceivesTheRunsEventsLive() async throws {
        let api = try await APIHarness(script: NativeAPIRunTests.script, tools: [ToolLoopResponder.noteTool])
        defer { Task { await api.finish() } }
        let id = try #require(try await api.send("POST", "/api/v1/sessions", json: [:]).json["id"]?.stringValue)
        let answer = try await api.send("GET", "/api/v1/sessions/\(id)/ws", headers: Self.upgrade)
        #expect(answer.status == 101)
        guard case .upgrade(let serve) = answer.response.body else {
            Issue.record("no upgrade")
            return
        }
        let connection = InMemoryUpgradedConnection()
        let server = Task { await serve(connection) }
        var client = TestClient(connection)
        await client.send(.text(#"{"type": "message", "content": "note hello"}"#))
        var seen: [String] = []
        var replied = false
        while let frame = await client.receive() {
            guard let json = try? JSONValue(parsing: frame.payload), let type = json["type"]?.stringValue else { continue }
            if type == "reply" { replied = json["command"] == "message" }
            seen.append(type)
            if type == "status", json["data"] == nil, json["status"] == "completed" { break }
        }
        #expect(replied)
        #expect(seen.first == "session_created")  // from after=0: the stored history first
        #expect(seen.contains("tool_call_finished") && seen.contains("text_delta"))

        await client.send(.text(#"{"type": "pause"}"#))
        var error: JSONValue?
        while let frame = await client.receive() {
            if let json = try? JSONValue(parsing: frame.payload), json["type"] == "error" { error = json; break }
        }
        #expect(error?["error"] == "invalid_state" && error?["status_code"] == 409)
        await client.send(.close(code: .normalClosure, reason: ""))
        await server.value
    }

    @Test func anUnknownSessionIs404AndAForeignOriginIsRefused() async throws {
        let api = try await APIHarness()
        defer { Task { await api.finish() } }
        #expect(try await api.send("GET", "/api/v1/sessions/nope/ws", headers: Self.upgrade).status == 404)
        let id = try #require(try await api.send("POST", "/api/v1/sessions", json: [:]).json["id"]?.stringValue)
        let evil = try await api.send("GET", "/api/v1/sessions/\(id)/ws", headers: Self.upgrade + [("Origin", "https://evil.example")])
        #expect(evil.status == 403)
        let own = try await api.send("GET", "/api/v1/sessions/\(id)/ws", headers: Self.upgrade + [("Origin", "http://localhost")])
        #expect(own.status == 101)
        #expect(try await api.send("GET", "/api/v1/sessions/\(id)/ws").status == 426)
    }
}
