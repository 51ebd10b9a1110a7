import AgentCore
import AgentHTTP
import AgentTesting
import Testing

/// The native API's session routes: what a client sends and gets back, including every error.
@Suite(.timeLimit(.minutes(1)))
struct NativeAPISessionTests {
    @Test func createGetListUpdateAndDelete() async throws {
        let api = try await APIHarness()
        defer { Task { await api.finish() } }
        let created = try await api.send("POST", "/api/v1/sessions", json: [
            "name": "first", "tags": ["a", "b"], "priority": "high", "max_tokens": 2048,
            "limits": ["max_steps": 7],
        ])
        #expect(created.status == 201)
        let id = try #require(created.json["id"]?.stringValue)
        #expect(created.json["status"] == "idle")
        #expect(created.json["configuration"]?["limits"]?["max_steps"] == 7)
        #expect(created.json["configuration"]?["max_tokens"] == 2048)
        _ = try await api.send("POST", "/api/v1/sessions", json: ["name": "second", "tags": ["b"]])

        #expect(try await api.send("GET", "/api/v1/sessions/\(id)").json["name"] == "first")
        let tagged = try await api.send("GET", "/api/v1/sessions?tag=a&limit=10")
        #expect(tagged.json["total"] == 1 && tagged.json["sessions"]?[0]?["id"] == .string(id))
        let sorted = try await api.send("GET", "/api/v1/sessions?sort=name&order=asc&limit=1&offset=1")
        #expect(sorted.json["sessions"]?[0]?["name"] == "second" && sorted.json["total"] == 2)
        let idle = try await api.send("GET", "/api/v1/sessions?status=idle,running")
        #expect(idle.json["total"] == 2)

        let patched = try await api.send("PATCH", "/api/v1/sessions/\(id)", json: ["name": "renamed", "metadata": ["k": 1]])
        #expect(patched.status == 200 && patched.json["name"] == "renamed" && patched.json["metadata"] == ["k": 1])

        #expect(try await api.send("DELETE", "/api/v1/sessions/\(id)").status == 204)
        let gone = try await api.send("GET", "/api/v1/sessions/\(id)")
        #expect(gone.status == 404)
        #expect(gone.json["detail"] == .string("Session \(id) does not exist"))
        #expect(gone.json["error"] == "not_found" && gone.json["status_code"] == 404)
        #expect(gone.json["request_id"]?.stringValue?.hasPrefix("req_") == true)
        #expect(gone.json["timestamp"]?.stringValue != nil)
    }

    @Test func badInputGetsAClearErrorAndStoresNothing() async throws {
        let api = try await APIHarness()
        defer { Task { await api.finish() } }
        let badTool = try await api.send("POST", "/api/v1/sessions", json: ["tools": ["rm"]])
        #expect(badTool.status == 422 && badTool.json["error"] == "invalid_value")
        #expect(badTool.json["detail"] == "tools: unknown tool 'rm' (known: bash, edit, computer)")
        let notJSON = try await api.send("POST", "/api/v1/sessions", headers: [("Content-Type", "application/json")], rawBody: "{oops")
        #expect(notJSON.status == 400)
        let wrongType = try await api.send("POST", "/api/v1/sessions", headers: [("Content-Type", "text/plain")], rawBody: "hi")
        #expect(wrongType.status == 415)
        let array = try await api.send("POST", "/api/v1/sessions", json: [1, 2])
        #expect(array.status == 400 && array.json["detail"] == "the body must be a JSON object")
        let badStatus = try await api.send("GET", "/api/v1/sessions?status=sleeping")
        #expect(badStatus.status == 422 && badStatus.json["detail"]?.stringValue?.contains("unknown status 'sleeping'") == true)
        let badLimit = try await api.send("GET", "/api/v1/sessions?limit=0")
        #expect(badLimit.status == 422 && badLimit.json["detail"]?.stringValue?.contains("'limit'") == true)
        let badPatch = try await api.send("PATCH", "/api/v1/sessions/x", json: ["status": "completed"])
        #expect(badPatch.status == 400)
        #expect(try await api.send("GET", "/api/v1/sessions").json["total"] == 0)

        let method = try await api.send("PUT", "/api/v1/sessions")
        #expect(method.status == 405 && method.header("Allow") == "POST, GET")
        #expect(try await api.send("GET", "/api/v1/nothing").status == 404)
        #expect(try await api.send("GET", "/api/v1/sessions/%zz").status == 400)
    }

    @Test func requestIDsAreEchoedOrMade() async throws {
        let api = try await APIHarness()
        defer { Task { await api.finish() } }
        let echoed = try await api.send("GET", "/api/v1/health", headers: [("X-Request-ID", "abc-123")])
        #expect(echoed.header("X-Request-ID") == "abc-123")
        #expect(echoed.json["status"] == "ok")
        #expect(echoed.json["database"] == "ok" && echoed.json["active_sessions"] == 0)
        #expect(echoed.json["desktops_available"]?.boolValue != nil)
        let made = try await api.send("GET", "/api/v1/health", headers: [("X-Request-ID", String(repeating: "x", count: 500))])
        #expect(made.header("X-Request-ID")?.hasPrefix("req_") == true)
    }

    @Test func cleanupDeletesOldSessions() async throws {
        let api = try await APIHarness()
        defer { Task { await api.finish() } }
        _ = try await api.send("POST", "/api/v1/sessions", json: [:])
        #expect(try await api.send("POST", "/api/v1/sessions/cleanup").status == 400)
        #expect(try await api.send("POST", "/api/v1/sessions/cleanup?days_old=1").json["count"] == 0)
        #expect(try await api.send("POST", "/api/v1/sessions/cleanup?days_old=0").json["count"] == 1)
    }
}
