import AgentCore
import AgentHTTP
import AgentTesting
import Foundation
import Testing
@testable import AgentHTTP

/// Seed S0 (`000_a4af3379017e4080.txt`, "API Reference") against a live server: every endpoint,
/// every documented field and type, every WebSocket message type, the error envelope.
@Suite(.timeLimit(.minutes(2)))
struct S0ConformanceTests {
    static let sessionKeys = ["created_at", "id", "message_count", "name", "status", "updated_at"]
    static let messageKeys = ["content", "id", "message_metadata", "role", "session_id", "timestamp", "tool_executions"]
    static let executionKeys = ["completed_at", "created_at", "execution_time", "id", "message_id", "status", "tool_input",
                                "tool_name", "tool_output"]

    /// The documented error envelope, exactly.
    static func expectError(_ response: SeedResponse, _ status: Int, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(response.status == status, sourceLocation: sourceLocation)
        #expect(Seed.keys(response.json) == ["detail", "status_code", "timestamp"], sourceLocation: sourceLocation)
        #expect(response.json["status_code"] == .int(status), sourceLocation: sourceLocation)
        #expect(response.json["detail"]?.stringValue?.isEmpty == false, sourceLocation: sourceLocation)
        #expect(Seed.isDateTime(response.json["timestamp"]), sourceLocation: sourceLocation)
    }

    @Test func healthSaysHealthyWithATimestampAndVersion() async throws {
        let server = try await SeedServer.start()
        defer { Task { await server.stop() } }
        let health = try await server.get("/api/health")
        #expect(health.status == 200)
        #expect(Seed.keys(health.json) == ["status", "timestamp", "version"])
        #expect(health.json["status"] == "healthy")
        #expect(Seed.isDateTime(health.json["timestamp"]))
        #expect(health.json["version"]?.stringValue?.isEmpty == false)
    }

    @Test func sessionsAreCreatedListedReadAndDeleted() async throws {
        let server = try await SeedServer.start()
        defer { Task { await server.stop() } }
        let created = try await server.post("/api/sessions", ["name": "Session Name"])
        #expect(created.status == 201)
        #expect(Seed.keys(created.json) == Self.sessionKeys)
        #expect(Seed.isUUID(created.json["id"]))
        #expect(created.json["name"] == "Session Name" && created.json["status"] == "active")
        #expect(Seed.isDateTime(created.json["created_at"]) && Seed.isDateTime(created.json["updated_at"]))
        #expect(created.json["message_count"] == 0)
        let id = try #require(created.json["id"]?.stringValue)

        let list = try await server.get("/api/sessions")
        #expect(list.status == 200)
        let listed = try #require(list.json.arrayValue?.first { $0["id"]?.stringValue == id })
        #expect(Seed.keys(listed) == Self.sessionKeys)

        let one = try await server.get("/api/sessions/\(id)")
        #expect(one.status == 200)
        #expect(Seed.keys(one.json) == (Self.sessionKeys + ["messages"]).sorted())
        #expect(one.json["messages"] == [])

        let deleted = try await server.delete("/api/sessions/\(id)")
        #expect(deleted.status == 200)
        #expect(deleted.json == ["message": .string("Session \(id) deleted successfully")])
        Self.expectError(try await server.get("/api/sessions/\(id)"), 404)
        Self.expectError(try await server.delete("/api/sessions/\(id)"), 404)
        #expect(try await server.get("/api/sessions").json.arrayValue?.contains { $0["id"]?.stringValue == id } == false)
    }

    @Test func badInputIsA400InTheDocumentedEnvelope() async throws {
        let server = try await SeedServer.start()
        defer { Task { await server.stop() } }
        Self.expectError(try await server.post("/api/sessions", ["name": 5]), 400)
        Self.expectError(try await server.request("POST", "/api/sessions", rawBody: "{not json"), 400)
        let id = try #require(try await server.post("/api/sessions", ["name": "x"]).json["id"]?.stringValue)
        Self.expectError(try await server.post("/api/sessions/\(id)/messages", [:]), 400)
        Self.expectError(try await server.post("/api/sessions/\(id)/messages", ["content": ""]), 400)
        Self.expectError(try await server.post("/api/sessions/\(id)/messages", ["content": 3]), 400)
        Self.expectError(try await server.post("/api/sessions/no-such-session/messages", ["content": "hi"]), 404)
        Self.expectError(try await server.get("/api/sessions/no-such-session/messages"), 404)
    }

    /// A whole turn with a real bash call, seen through the WebSocket and then through the REST models.
    @Test func aTurnWithAToolCallStreamsEveryMessageTypeAndIsStored() async throws {
        let server = try await SeedServer.start()
        defer { Task { await server.stop() } }
        let id = try #require(try await server.post("/api/sessions", ["name": "turn", "tools": ["bash"]]).json["id"]?.stringValue)
        let socket = try await server.webSocket("/api/ws/\(id)")
        #expect(socket.status == 101)
        let hello = try #require(try await socket.message())
        #expect(hello == ["type": "connection", "data": ["message": "Connected to session", "session_id": .string(id)]])

        server.fake.enqueue(.toolUse(name: "bash", input: ["command": "echo s0-$((6*7))"], text: "Let me run it."))
        server.fake.enqueue(.text("The shell printed s0-42."))
        let sent = try await server.post("/api/sessions/\(id)/messages", ["content": "Run the command"])
        #expect(sent.status == 200)
        #expect(Seed.keys(sent.json) == Self.messageKeys)
        #expect(sent.json["id"] == "processing" && sent.json["session_id"] == .string(id) && sent.json["role"] == "user")
        #expect(sent.json["content"] == "Run the command" && sent.json["tool_executions"] == [])
        #expect(sent.json["message_metadata"] == ["status": "processing"])
        #expect(Seed.isDateTime(sent.json["timestamp"]))

        let seen = try await socket.messages(until: "agent_progress") { $0["data"]?["step"] == "completed" }
        let types = Set(seen.compactMap { $0["type"]?.stringValue })
        #expect(types == ["agent_progress", "tool_execution", "agent_response"])
        for message in seen {
            #expect(Seed.keys(message) == ["data", "type"])
        }
        let progress = seen.filter { $0["type"] == "agent_progress" }.compactMap { $0["data"] }
        for data in progress {
            #expect(data["message"]?.stringValue != nil && data["step"]?.stringValue != nil)
            #expect((0...1).contains(data["progress"]?.doubleValue ?? -1))
        }
        let values = progress.compactMap { $0["progress"]?.doubleValue }
        #expect(values == values.sorted() && values.last == 1)
        let finished = try #require(seen.last { $0["type"] == "tool_execution" }?["data"])
        #expect(finished["tool_name"] == "bash" && finished["status"] == "completed")
        #expect(finished["tool_input"] == ["command": "echo s0-$((6*7))"])
        #expect(finished["tool_output"]?["status"] == "completed")
        #expect(finished["tool_output"]?["result"]?.stringValue?.contains("s0-42") == true)
        #expect(seen.first { $0["type"] == "tool_execution" }?["data"]?["status"] == "running")
        let response = try #require(seen.first { $0["type"] == "agent_response" }?["data"])
        #expect(response["content"] == "The shell printed s0-42.")
        #expect(Seed.isUUID(response["message_id"]))
        try await socket.close()

        // The same turn through REST: the Message and Tool Execution models.
        let messages = try await server.get("/api/sessions/\(id)/messages")
        #expect(messages.status == 200)
        let list = try #require(messages.json.arrayValue)
        #expect(list.map { $0["role"] } == ["user", "assistant", "assistant"])
        for message in list {
            #expect(Seed.keys(message) == Self.messageKeys)
            #expect(Seed.isUUID(message["id"]) && message["session_id"] == .string(id))
            #expect(Seed.isDateTime(message["timestamp"]) && message["message_metadata"]?.objectValue != nil)
        }
        #expect(list[0]["content"] == "Run the command" && list[1]["content"] == "Let me run it.")
        #expect(list[2]["id"] == response["message_id"] && list[2]["content"] == "The shell printed s0-42.")
        let execution = try #require(list[1]["tool_executions"]?[0])
        #expect(Seed.keys(execution) == Self.executionKeys)
        #expect(Seed.isUUID(execution["id"]) && execution["message_id"] == list[1]["id"])
        #expect(execution["id"] == finished["id"])
        #expect(execution["tool_name"] == "bash" && execution["status"] == "completed")
        #expect(execution["tool_input"] == ["command": "echo s0-$((6*7))"])
        #expect(execution["tool_output"]?["result"]?.stringValue?.contains("s0-42") == true)
        #expect((execution["execution_time"]?.doubleValue ?? -1) >= 0)
        #expect(Seed.isDateTime(execution["created_at"]) && Seed.isDateTime(execution["completed_at"]))
        #expect(list[0]["tool_executions"] == [] && list[2]["tool_executions"] == [])

        let session = try await server.get("/api/sessions/\(id)")
        #expect(session.json["status"] == "completed" && session.json["message_count"] == 3)
        #expect(session.json["messages"] == messages.json)
    }

    @Test func aFailedModelCallIsAnErrorMessageWithACode() async throws {
        let server = try await SeedServer.start()
        defer { Task { await server.stop() } }
        let id = try #require(try await server.post("/api/sessions", ["name": "fails"]).json["id"]?.stringValue)
        let socket = try await server.webSocket("/api/ws/\(id)")
        #expect(try await socket.message()?["type"] == "connection")
        server.fake.enqueue(.error(status: 400, type: "invalid_request_error", message: "bad request for the test"))
        #expect(try await server.post("/api/sessions/\(id)/messages", ["content": "hi"]).status == 200)
        let error = try #require(try await socket.messages(until: "error").last)
        #expect(error["type"] == "error")
        #expect(Seed.keys(error["data"]) == ["error_code", "message"])
        #expect(error["data"]?["error_code"] == "API_ERROR")
        #expect(error["data"]?["message"]?.stringValue?.isEmpty == false)
        #expect(try await server.settle(id).status == .error)
        #expect(try await server.get("/api/sessions/\(id)").json["status"] == "error")
    }

    @Test func theWebSocketAnswersAnUnknownSessionWithAnErrorAndTakesMessages() async throws {
        let server = try await SeedServer.start()
        defer { Task { await server.stop() } }
        let unknown = try await server.webSocket("/api/ws/no-such-session")
        #expect(unknown.status == 101)
        let error = try #require(try await unknown.message())
        #expect(error["type"] == "error" && error["data"]?["error_code"] == "SESSION_NOT_FOUND")
        #expect(try await unknown.message() == nil)

        let id = try #require(try await server.post("/api/sessions", ["name": "ws"]).json["id"]?.stringValue)
        let socket = try await server.webSocket("/api/ws/\(id)")
        #expect(try await socket.message()?["type"] == "connection")
        try await socket.send(["type": "nonsense"])
        #expect(try await socket.message()?["data"]?["error_code"] == "INVALID_REQUEST")
        server.fake.enqueue(.text("Hello over the socket."))
        try await socket.send(["type": "message", "content": "Say hello"])
        let response = try #require(try await socket.messages(until: "agent_response").last)
        #expect(response["data"]?["content"] == "Hello over the socket.")
        try await socket.close()
    }

    @Test(arguments: [
        (SessionStatus.idle, "active"), (.running, "active"), (.paused, "active"), (.awaitingApproval, "active"),
        (.completed, "completed"), (.error, "error"), (.interrupted, "error"), (.stopped, "cancelled"), (.timeout, "cancelled"),
    ])
    func everyStatusMapsToADocumentedOne(status: SessionStatus, documented: String) {
        #expect(ComputerUseModels.status(status) == documented)
    }
}
