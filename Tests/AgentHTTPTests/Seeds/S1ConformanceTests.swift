import AgentCore
import AgentHTTP
import AgentTesting
import Foundation
import Testing

/// Seed 001 (`shared/seeds/001_ec639234b8e3f7d5.txt`), checked from the document against a live
/// agentd HTTP stack: every endpoint, documented field and type, WebSocket message type, the error
/// envelope and the documented status codes.
@Suite(.serialized, .timeLimit(.minutes(2)))
struct S1ConformanceTests {
    /// `2024-01-15T10:30:00Z`, as the document writes timestamps.
    static func isTimestamp(_ value: JSONValue?) -> Bool {
        guard let text = value?.stringValue else { return false }
        return text.wholeMatch(of: /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z/) != nil
    }

    /// The document's error envelope: `{error, message, details, timestamp, request_id}`.
    static func isEnvelope(_ json: JSONValue) -> Bool {
        json["error"]?.stringValue != nil && json["message"]?.stringValue != nil && json["details"]?.objectValue != nil
            && isTimestamp(json["timestamp"]) && json["request_id"]?.stringValue != nil
    }

    // MARK: Sessions

    @Test func createSessionAnswersTheDocumentedFields() async throws {
        try await CambioServer.run { server in
            let response = try await server.request(
                "POST", "/sessions", json: ["name": "My Agent Session", "config": ["timeout": 3600, "max_messages": 100]])
            #expect(response.status == 200)
            let json = response.json
            let id = try #require(json["id"]?.stringValue)
            #expect(UUID(uuidString: id) != nil)
            #expect(json["status"] == "active")
            #expect(json["vnc_url"]?.stringValue == "/vnc/\(id)")
            #expect(json["websocket_url"]?.stringValue == "/ws/\(id)")
            #expect(Self.isTimestamp(json["created_at"]))
            #expect(json["name"] == "My Agent Session")
            #expect(json["config"]?["timeout"] == 3600 && json["config"]?["max_messages"] == 100)
            #expect(response.header("X-RateLimit-Limit") == "10")
            #expect(response.header("X-RateLimit-Remaining") == "9")
            #expect(response.header("X-RateLimit-Reset").flatMap(Int.init) != nil)

            // The document's cURL example: only a timeout; and an empty body.
            #expect(try await server.request("POST", "/sessions", json: ["name": "Test Session", "config": ["timeout": 1800]]).status == 200)
            #expect(try await server.request("POST", "/sessions").json["status"] == "active")
        }
    }

    @Test func createSessionValidationAnswers422And400InTheEnvelope() async throws {
        try await CambioServer.run { server in
            for (body, field) in [(["config": ["timeout": "soon"]], "config.timeout"), (["config": ["timeout": -1]], "config.timeout"),
                                  (["config": ["max_messages": 0]], "config.max_messages"), (["name": 5], "name"),
                                  (["config": "x"], "config")] as [(JSONValue, String)] {
                let response = try await server.request("POST", "/sessions", json: body)
                #expect(response.status == 422)
                #expect(Self.isEnvelope(response.json))
                #expect(response.json["error"] == "validation_error")
                #expect(response.json["details"]?["field"]?.stringValue == field)
            }
            let client = try RawHTTPClient(port: server.port)
            try await client.send("POST /sessions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 5\r\n\r\n{nope")
            let malformed = CambioResponse(raw: try await client.response())
            #expect(malformed.status == 400 && Self.isEnvelope(malformed.json))
        }
    }

    @Test func getSessionDetailsAndUnknownSessions() async throws {
        try await CambioServer.run { server in
            let id = try await server.createSession(["name": "details"])
            let response = try await server.request("GET", "/sessions/\(id)")
            #expect(response.status == 200)
            let json = response.json
            #expect(json["id"]?.stringValue == id && json["status"] == "active")
            #expect(json["vnc_url"]?.stringValue == "/vnc/\(id)" && json["websocket_url"]?.stringValue == "/ws/\(id)")
            #expect(Self.isTimestamp(json["created_at"]))
            // No containers here, and no live view until a viewer connects: both documented fields are null.
            #expect(json["container_id"] == .null && json["vnc_port"] == .null)

            let missing = try await server.request("GET", "/sessions/nope", headers: [("X-Request-ID", "req-123456")])
            #expect(missing.status == 404)
            #expect(Self.isEnvelope(missing.json))
            #expect(missing.json["error"] == "not_found" && missing.json["request_id"] == "req-123456")
            #expect(missing.header("X-Request-ID") == "req-123456")
        }
    }

    @Test func listSessionsPaginatesFiltersAndSorts() async throws {
        try await CambioServer.run { server in
            var ids: [String] = []
            for index in 0..<3 { ids.append(try await server.createSession(["name": .string("s\(index)")])) }

            let first = try await server.request("GET", "/sessions?limit=2&offset=0").json
            #expect(first["sessions"]?.arrayValue?.count == 2)
            #expect(first["total"] == 3 && first["limit"] == 2 && first["offset"] == 0)
            #expect(first["data"] == first["sessions"])
            #expect(first["pagination"] == ["limit": 2, "offset": 0, "total": 3, "has_next": true, "has_prev": false])
            let entry = try #require(first["sessions"]?[0])
            #expect(entry["id"]?.stringValue != nil && entry["status"] == "active" && Self.isTimestamp(entry["created_at"]))
            let last = try await server.request("GET", "/sessions?limit=2&offset=2").json
            #expect(last["sessions"]?.arrayValue?.count == 1)
            #expect(last["pagination"]?["has_next"] == false && last["pagination"]?["has_prev"] == true)
            #expect(try await server.request("GET", "/sessions").json["limit"] == 50)

            #expect(try await server.request("GET", "/sessions?status=active&limit=10").json["total"] == 3)
            #expect(try await server.request("GET", "/sessions?status=inactive").json["total"] == 0)
            #expect(try await server.request("GET", "/sessions?status=error").json["total"] == 0)
            #expect(try await server.request("GET", "/sessions?created_after=2024-01-01").json["total"] == 3)
            #expect(try await server.request("GET", "/sessions?created_after=2999-01-01T00:00:00Z").json["total"] == 0)

            func order(_ sort: String) async throws -> [String] {
                try await server.request("GET", "/sessions?sort=\(sort)").json["sessions"]?.arrayValue?
                    .compactMap { $0["name"]?.stringValue } ?? []
            }
            #expect(try await order("name:asc") == ["s0", "s1", "s2"])
            #expect(try await order("name:desc") == ["s2", "s1", "s0"])
            #expect(try await order("status:asc,name:desc") == ["s2", "s1", "s0"])

            for bad in ["status=bogus", "sort=color:asc", "sort=name:sideways", "limit=0", "limit=x", "created_after=yesterday"] {
                let response = try await server.request("GET", "/sessions?\(bad)")
                #expect(response.status == 422, "\(bad)")
                #expect(Self.isEnvelope(response.json))
            }
        }
    }

    @Test func endSessionAnswersEndedAtAndTheSessionIsGone() async throws {
        try await CambioServer.run { server in
            let id = try await server.createSession()
            let ended = try await server.request("DELETE", "/sessions/\(id)")
            #expect(ended.status == 200)
            #expect(ended.json["message"] == "Session ended successfully" && ended.json["session_id"]?.stringValue == id)
            #expect(Self.isTimestamp(ended.json["ended_at"]))
            #expect(try await server.request("GET", "/sessions/\(id)").status == 404)
            #expect(try await server.request("DELETE", "/sessions/\(id)").status == 404)
        }
    }

    // MARK: WebSocket and history

    @Test func aFullAgentTurnWithARealToolCallIsSeenThroughTheWebSocket() async throws {
        try await CambioServer.run { server in
            server.model.enqueue(.toolUse(name: "bash", input: ["command": "echo s1-tool-ran"], text: "I'll run it."))
            server.model.enqueue(.text("All done."))
            let id = try await server.createSession(["name": "turn"])
            let socket = try await LiveWebSocket(port: server.port, path: "/ws/\(id)")
            #expect(socket.handshake.status == 101)
            let greeting = try await socket.receiveJSON()
            #expect(greeting["type"] == "status" && greeting["status"] == "active" && Self.isTimestamp(greeting["timestamp"]))

            try await socket.send(text: #"{"content": "Run a command", "metadata": {"timestamp": "2024-01-15T10:31:00Z"}}"#)
            let messages = try await socket.receive { $0["type"] == "agent_response" && $0["content"] == "All done." }
            let types = messages.compactMap { $0["type"]?.stringValue }
            #expect(types.contains("status") && types.contains("tool_execution") && types.contains("agent_response"))
            #expect(messages.contains { $0["type"] == "status" && $0["agent_status"] == "running" && $0["status"] == "active" })

            let tools = messages.filter { $0["type"] == "tool_execution" }
            #expect(tools.map { $0["status"]?.stringValue } == ["started", "completed"])
            #expect(tools.allSatisfy { $0["tool"] == "bash" && Self.isTimestamp($0["timestamp"]) })
            #expect(tools.last?["result"]?["output"]?.stringValue?.contains("s1-tool-ran") == true)

            let responses = messages.filter { $0["type"] == "agent_response" }
            #expect(responses.map { $0["content"]?.stringValue } == ["I'll run it.", "All done."])
            #expect(responses.first?["metadata"]?["tool_calls"] == ["bash"])
            #expect(responses.allSatisfy { Self.isTimestamp($0["timestamp"]) && $0["metadata"]?["processing_time"]?.doubleValue != nil })
            try await socket.close()

            // The history: the user's message and both replies, with the tool named.
            let history = try await server.request("GET", "/sessions/\(id)/history").json
            #expect(history["total"] == 3 && history["session_id"]?.stringValue == id)
            let entries = try #require(history["messages"]?.arrayValue)
            #expect(entries.map { $0["role"]?.stringValue } == ["user", "assistant", "assistant"])
            #expect(entries.map { $0["content"]?.stringValue } == ["Run a command", "I'll run it.", "All done."])
            #expect(entries[1]["metadata"]?["tool_calls"] == ["bash"] && entries[0]["metadata"] == [:])
            #expect(entries.allSatisfy { ($0["id"]?.stringValue?.hasPrefix("msg-") ?? false) && Self.isTimestamp($0["timestamp"]) })
            #expect(try await server.request("GET", "/sessions/\(id)/history?role=user").json["total"] == 1)
            let page = try await server.request("GET", "/sessions/\(id)/history?role=assistant&limit=1&offset=1").json
            #expect(page["messages"]?.arrayValue?.map { $0["content"] } == ["All done."] && page["total"] == 2)
            #expect(page["pagination"]?["has_prev"] == true && page["pagination"]?["has_next"] == false)
            #expect(try await server.request("GET", "/sessions/\(id)/history?role=tool").status == 422)

            let cleared = try await server.request("DELETE", "/sessions/\(id)/history")
            #expect(cleared.status == 200)
            #expect(cleared.json == ["message": "Chat history cleared", "session_id": .string(id), "cleared_messages": 3])
            #expect(try await server.request("GET", "/sessions/\(id)/history").json["total"] == 0)
            #expect(try await server.request("GET", "/sessions/nope/history").status == 404)
        }
    }

    @Test func theWebSocketAnswersBadMessagesWithErrorsAndBeatsAHeartbeat() async throws {
        var configuration = CambioConfiguration()
        configuration.heartbeatInterval = .milliseconds(100)
        try await CambioServer.run(configuration) { server in
            let id = try await server.createSession()
            let socket = try await LiveWebSocket(port: server.port, path: "/ws/\(id)")
            _ = try await socket.receiveJSON()   // the greeting status
            try await socket.send(text: "not json")
            let error = try #require(try await socket.receive { $0["type"] == "error" }.last)
            #expect(error["error"]?.stringValue != nil && error["details"]?.stringValue != nil && Self.isTimestamp(error["timestamp"]))
            try await socket.send(text: #"{"metadata": {}}"#)
            #expect(try await socket.receive { $0["type"] == "error" }.last?["details"]?.stringValue?.contains("content") == true)
            let beat = try #require(try await socket.receive { $0["type"] == "heartbeat" }.last)
            #expect(Self.isTimestamp(beat["timestamp"]))
            try await socket.close()

            let unknown = try await LiveWebSocket(port: server.port, path: "/ws/nope")
            #expect(unknown.handshake.status == 404)
            #expect(Self.isEnvelope(try JSONValue(parsing: unknown.handshake.body)))
        }
    }

    @Test func maxMessagesAndTimeoutAreEnforcedSessionLimits() async throws {
        try await CambioServer.run { server in
            let id = try await server.createSession(
                ["config": ["timeout": 1800, "max_messages": 1, "environment": "none", "tools": ["bash"]]])
            let session = try await server.request("GET", "/sessions/\(id)").json
            #expect(session["config"]?["timeout"]?.doubleValue == 1800 && session["config"]?["max_messages"] == 1)
            // The native view shows where they went: the session's run limits.
            let native = try await server.request("GET", "/api/v1/sessions/\(id)").json
            #expect(native["configuration"]?["limits"]?["timeout_seconds"]?.doubleValue == 1800)
            #expect(native["configuration"]?["limits"]?["max_messages"] == 1)

            let socket = try await LiveWebSocket(port: server.port, path: "/ws/\(id)")
            _ = try await socket.receiveJSON()
            try await socket.send(text: #"{"content": "first"}"#)
            _ = try await socket.receive { $0["type"] == "agent_response" }
            _ = try await socket.receive { $0["type"] == "status" && $0["agent_status"] == "completed" }
            try await socket.send(text: #"{"content": "second"}"#)
            let refused = try #require(try await socket.receive { $0["type"] == "error" }.last)
            #expect(refused["error"] == "conflict")
            #expect(refused["details"]?.stringValue?.contains("max_messages") == true)
            try await socket.close()
            #expect(try await server.request("GET", "/sessions/\(id)/history?role=user").json["total"] == 1)
        }
    }

    // MARK: System endpoints

    @Test func healthReportsRealServicesAndCountsLiveWebSockets() async throws {
        try await CambioServer.run { server in
            let health = try await server.request("GET", "/health")
            #expect(health.status == 200)
            let json = health.json
            #expect(json["status"] == "healthy" && Self.isTimestamp(json["timestamp"]) && json["version"]?.stringValue != nil)
            #expect(json["services"]?["database"] == "up")
            #expect(json["services"]?["desktops"] == "up" && json["services"]?["live_view"] == "up")
            #expect(json["services"]?["model_provider"]?.stringValue != nil)
            #expect(json["services"]?["redis"] == nil && json["services"]?["docker"] == nil)
            #expect(json["websocket_connected"] == false && json["websocket_connections"] == 0)
            #expect(health.header("X-RateLimit-Limit") == nil)

            let id = try await server.createSession()
            let socket = try await LiveWebSocket(port: server.port, path: "/ws/\(id)")
            _ = try await socket.receiveJSON()
            let open = try await server.request("GET", "/health").json
            #expect(open["websocket_connected"] == true && open["websocket_connections"] == 1)
            try await socket.close()
            #expect(await pollUntil { (try? await server.request("GET", "/health").json["websocket_connections"]) == 0 })
        }
    }

    @Test func metricsCountRequestsByMethodAndEndpoint() async throws {
        try await CambioServer.run { server in
            _ = try await server.createSession()
            _ = try await server.request("GET", "/sessions")
            _ = try await server.request("GET", "/sessions")
            let metrics = try await server.request("GET", "/metrics")
            #expect(metrics.status == 200)
            let text = metrics.raw.text
            #expect(text.contains("# TYPE http_requests_total counter"))
            #expect(text.contains(#"http_requests_total{method="GET",endpoint="/sessions"} 2"#))
            #expect(text.contains(#"http_requests_total{method="POST",endpoint="/sessions"} 1"#))
            #expect(metrics.header("X-RateLimit-Limit") == nil)
        }
    }
}
