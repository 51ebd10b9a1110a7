import AgentCore
import AgentHTTP
import AgentTesting
import Foundation
import Synchronization
import Testing

/// Seed S4 (`004_0c728a73239a0be3.txt`, OpenBrowser "API Reference") against a live server: every
/// endpoint but `/health` (the daemon's merged route), every documented field, every SSE event
/// type, the error envelope.
@Suite(.timeLimit(.minutes(2)))
struct S4ConformanceTests {
    /// The documented error envelope, exactly.
    static func expectError(_ response: SeedResponse, _ status: Int, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(response.status == status, sourceLocation: sourceLocation)
        #expect(Seed.keys(response.json) == ["detail"], sourceLocation: sourceLocation)
        #expect(response.json["detail"]?.stringValue?.isEmpty == false, sourceLocation: sourceLocation)
    }

    @Test func apiInfoCountsValidBrowserConnections() async throws {
        let server = try await SeedServer.start()
        defer { Task { await server.stop() } }
        let info = try await server.get("/api")
        #expect(info.status == 200)
        #expect(Seed.keys(info.json) == ["name", "status", "version", "websocket_connected", "websocket_connections"])
        #expect(info.json["status"] == "running" && info.json["name"]?.stringValue != nil && info.json["version"]?.stringValue != nil)
        #expect(info.json["websocket_connected"] == false && info.json["websocket_connections"] == 0)
        _ = try await server.post("/browsers/register", ["uuid": "b-1", "connection_id": "browser"])
        let after = try await server.get("/api")
        #expect(after.json["websocket_connected"] == true && after.json["websocket_connections"] == 1)
    }

    @Test func settingsOutliveARestartInAPrivateFileAndNeverReachTheDatabase() async throws {
        let server = try await SeedServer.start()
        defer { Task { await server.stop() } }
        let secret = "sk-ant-s4-persisted-canary-0042"
        let cwd = server.directory.file("work")
        try FileManager.default.createDirectory(atPath: cwd, withIntermediateDirectories: true)
        #expect(try await server.post("/api/config/llm", ["model": "claude-kept", "api_key": .string(secret)]).status == 200)
        #expect(try await server.post("/api/config/cwd", ["cwd": .string(cwd)]).status == 200)

        let file = server.directory.file(SeedServer.settingsFileName)
        let mode = try #require(try FileManager.default.attributesOfItem(atPath: file)[.posixPermissions] as? Int)
        #expect(mode == 0o600)
        // A new dialect on the same file (agentd after a restart) has the settings, key masked.
        var router = Router()
        try OpenBrowserAPI(service: server.service, settingsFile: file).register(on: &router)
        let answer = await router.handle(try MiddlewareRequest.make("GET", "/api/config"))
        let config = MiddlewareRequest.json(answer)["config"]
        #expect(config?["llm"]?["model"] == "claude-kept")
        #expect(config?["llm"]?["has_api_key"] == true && config?["llm"]?["api_key"] == "********")
        #expect(config?["default_cwd"] == .string(cwd) && config?["is_configured"] == true)
        #expect(!MiddlewareRequest.text(answer).contains(secret))
        for name in ["agentd.db", "agentd.db-wal"] {
            let bytes = FileManager.default.contents(atPath: server.directory.file(name)) ?? Data()
            #expect(bytes.range(of: Data(secret.utf8)) == nil, "\(name) holds the key")
        }
    }

    @Test func theLLMKeyIsMaskedNeverEchoedAndUsedByNewConversations() async throws {
        let server = try await SeedServer.start()
        defer { Task { await server.stop() } }
        let initial = try await server.get("/api/config/llm")
        #expect(initial.status == 200 && initial.json["success"] == true)
        #expect(Seed.keys(initial.json["config"]) == ["api_key", "base_url", "has_api_key", "model"])
        #expect(initial.json["config"]?["has_api_key"] == false)
        let before = try #require(try await server.post("/agent/conversations", [:]).json["conversation_id"]?.stringValue)

        let secret = "sk-s4-SECRET-0123456789"
        let updated = try await server.post("/api/config/llm", [
            "model": "claude-s4-test-model", "base_url": .string(server.fake.baseURL), "api_key": .string(secret),
        ])
        #expect(updated.status == 200 && !updated.text.contains(secret))
        #expect(updated.json["success"] == true && updated.json["message"] == "LLM configuration updated successfully")
        #expect(updated.json["config"] == [
            "model": "claude-s4-test-model", "base_url": .string(server.fake.baseURL), "api_key": "********", "has_api_key": true,
        ])
        #expect(try await server.get("/api/config/llm").json["config"] == updated.json["config"])
        // Sending the masked key back keeps the key.
        _ = try await server.post("/api/config/llm", ["api_key": "********"])
        let config = try await server.get("/api/config")
        #expect(config.json["success"] == true && !config.text.contains(secret))
        #expect(Seed.keys(config.json["config"]) == ["default_cwd", "is_configured", "llm"])
        #expect(config.json["config"]?["llm"] == updated.json["config"] && config.json["config"]?["is_configured"] == true)
        Self.expectError(try await server.post("/api/config/llm", ["base_url": "ftp://example.com"]), 400)
        Self.expectError(try await server.post("/api/config/llm", ["model": 5]), 400)
        Self.expectError(try await server.request("POST", "/api/config/llm", rawBody: "{oops"), 400)

        // A conversation created now talks with the new key and model; one created before keeps the daemon's.
        let after = try #require(try await server.post("/agent/conversations", [:]).json["conversation_id"]?.stringValue)
        for id in [after, before] {
            let stream = try await server.stream("POST", "/agent/conversations/\(id)/messages", json: ["text": "hello"])
            #expect(try await stream.all().last?.type == "complete")
        }
        let requests = server.fake.requests
        #expect(requests.count == 2)
        #expect(requests.first?.header("x-api-key") == secret && requests.first?.model == "claude-s4-test-model")
        #expect(requests.last?.header("x-api-key") == SeedServer.daemonKey)
    }

    /// A whole turn with a real bash call in the default working directory, streamed as SSE.
    @Test func aTurnStreamsEveryEventTypeAndRunsInTheConfiguredDirectory() async throws {
        let server = try await SeedServer.start()
        defer { Task { await server.stop() } }
        let workspace = try TemporaryDirectory(prefix: "s4-workspace")
        #expect(try await server.get("/api/config/cwd").json == ["success": true, "cwd": .null])
        Self.expectError(try await server.post("/api/config/cwd", ["cwd": .string(workspace.file("missing"))]), 400)
        Self.expectError(try await server.post("/api/config/cwd", [:]), 400)
        let set = try await server.post("/api/config/cwd", ["cwd": .string(workspace.path)])
        #expect(set.status == 200 && set.json["success"] == true && set.json["cwd"] == .string(workspace.path))
        #expect(try await server.get("/api/config/cwd").json["cwd"] == .string(workspace.path))
        #expect(try await server.get("/api/config").json["config"]?["default_cwd"] == .string(workspace.path))

        let created = try await server.post("/agent/conversations", [:])
        #expect(created.status == 200)
        #expect(Seed.keys(created.json) == ["conversation_id", "cwd", "message", "success"])
        let id = try #require(created.json["conversation_id"]?.stringValue)
        #expect(Seed.isUUID(created.json["conversation_id"]) && created.json["cwd"] == .string(workspace.path))
        #expect(created.json["message"]?.stringValue?.hasPrefix("Conversation created: ") == true)

        server.fake.enqueue(.toolUse(name: "bash", input: ["command": "pwd"], text: "I will look around first."))
        server.fake.enqueue(.text("You are in the workspace."))
        let stream = try await server.stream("POST", "/agent/conversations/\(id)/messages", json: ["text": "Where am I?", "cwd": "."])
        #expect(stream.status == 200 && stream.contentType == "text/event-stream")
        let events = try await stream.all()  // the stream ends with the turn
        #expect(events.map(\.type) == ["connected", "thought", "action", "observation", "message", "complete"])
        #expect(events[0].data == ["status": "connected", "conversation_id": .string(id)])
        #expect(events[1].data["content"] == "I will look around first.")
        #expect(events[2].data["action"] == "bash" && events[2].data["params"] == ["command": "pwd"])
        #expect(events[3].data["result"]?["success"] == true)
        #expect(events[3].data["result"]?["output"]?.stringValue?.contains(workspace.path) == true)
        #expect(events[4].data["content"] == "You are in the workspace.")
        #expect(events[5].data == ["conversation_id": .string(id), "status": "completed"])

        // A later message may move the conversation to another existing directory.
        let elsewhere = try TemporaryDirectory(prefix: "s4-elsewhere")
        server.fake.enqueue(.toolUse(name: "bash", input: ["command": "pwd"]))
        server.fake.enqueue(.text("Moved."))
        let moved = try await server.stream("POST", "/agent/conversations/\(id)/messages",
                                            json: ["text": "And now?", "cwd": .string(elsewhere.path)])
        let observation = try #require(try await moved.all().first { $0.type == "observation" })
        #expect(observation.data["result"]?["output"]?.stringValue?.contains(elsewhere.path) == true)
        Self.expectError(try await server.post("/agent/conversations/\(id)/messages", ["text": "x", "cwd": "/no/such/dir"]), 400)
    }

    @Test func conversationsAreListedFilteredReadReplayedAndDeleted() async throws {
        let server = try await SeedServer.start()
        defer { Task { await server.stop() } }
        let id = try #require(try await server.post("/agent/conversations", [:]).json["conversation_id"]?.stringValue)
        let idle = try #require(try await server.post("/agent/conversations", [:]).json["conversation_id"]?.stringValue)
        server.fake.enqueue(.toolUse(name: "bash", input: ["command": "echo replayed"], text: "Checking."))
        server.fake.enqueue(.text("Replayed."))
        _ = try await server.stream("POST", "/agent/conversations/\(id)/messages", json: ["text": "go"]).all()

        let list = try await server.get("/agent/conversations")
        #expect(list.status == 200 && list.json["success"] == true && list.json["filter"] == .null)
        #expect(list.json["count"] == 2 && list.json["conversations"]?.arrayValue?.count == 2)
        let entry = try #require(list.json["conversations"]?.arrayValue?.first { $0["id"]?.stringValue == id })
        #expect(Set(Seed.keys(entry)).isSuperset(of: ["created_at", "id", "message_count", "status"]))
        #expect(entry["status"] == "completed" && entry["message_count"] == 3 && Seed.isDateTime(entry["created_at"]))
        let completed = try await server.get("/agent/conversations?status=completed")
        #expect(completed.json["filter"] == "completed" && completed.json["conversations"]?.arrayValue?.map { $0["id"] } == [.string(id)])
        #expect(try await server.get("/agent/conversations?status=idle").json["conversations"]?[0]?["id"] == .string(idle))
        #expect(try await server.get("/agent/conversations?status=active").json["count"] == 0)
        #expect(try await server.get("/agent/conversations?status=error").json["count"] == 0)
        Self.expectError(try await server.get("/agent/conversations?status=bogus"), 400)

        let one = try await server.get("/agent/conversations/\(id)")
        #expect(one.json["success"] == true && one.json["conversation"]?["id"] == .string(id))
        #expect(one.json["conversation"]?["status"] == "completed" && one.json["conversation"]?["message_count"] == 3)

        let history = try await server.get("/agent/conversations/\(id)/events")
        #expect(Seed.keys(history.json) == ["conversation_id", "count", "events", "success"])
        let types = history.json["events"]?.arrayValue?.compactMap { $0["event_type"]?.stringValue }
        #expect(types == ["thought", "action", "observation", "message", "complete"] && history.json["count"] == 5)
        #expect(history.json["events"]?.arrayValue?.allSatisfy { Seed.keys($0) == ["event_data", "event_type"] } == true)

        let replay = try await server.stream("GET", "/agent/conversations/\(id)/replay")
        #expect(replay.status == 200 && replay.contentType == "text/event-stream")
        let replayed = try await replay.all()
        #expect(replayed.map(\.type) == ["connected"] + (types ?? []))
        #expect(replayed.dropFirst().map(\.data) == history.json["events"]?.arrayValue?.compactMap { $0["event_data"] })

        let messages = try await server.get("/agent/conversations/\(id)/messages")
        #expect(messages.json["success"] == true && messages.json["count"] == 1)
        #expect(messages.json["messages"]?[0]?["role"] == "user" && messages.json["messages"]?[0]?["content"] == "go")

        let deleted = try await server.delete("/agent/conversations/\(id)")
        #expect(deleted.status == 200 && deleted.json["success"] == true)
        for path in ["", "/events", "/replay", "/messages"] {
            Self.expectError(try await server.get("/agent/conversations/\(id)\(path)"), 404)
        }
        Self.expectError(try await server.delete("/agent/conversations/\(id)"), 404)
        Self.expectError(try await server.post("/agent/conversations/\(idle)/messages", [:]), 400)
        Self.expectError(try await server.post("/agent/conversations/\(idle)/messages", ["text": 1]), 400)
        Self.expectError(try await server.post("/agent/conversations", ["cwd": "/no/such/dir"]), 400)
    }

    @Test func aDisconnectedClientLeavesTheConversationRunningAndTheLiveStreamHasHeartbeats() async throws {
        let server = try await SeedServer.start(heartbeat: .milliseconds(50))
        defer { Task { await server.stop() } }
        let id = try #require(try await server.post("/agent/conversations", [:]).json["conversation_id"]?.stringValue)
        let watcher = try await server.stream("GET", "/agent/conversations/\(id)/messages", headers: [("Accept", "text/event-stream")])
        #expect(watcher.status == 200 && watcher.contentType == "text/event-stream")
        #expect(try await watcher.next()?.type == "connected")
        let beat = try #require(try await watcher.next())
        #expect(beat.type == "heartbeat" && Seed.isDateTime(beat.data["timestamp"]))

        server.fake.eventInterval = 0.02  // the reply streams slowly, so the run outlives the client
        server.fake.enqueue(.text("Finished without anyone watching the request."))
        let sender = try await server.stream("POST", "/agent/conversations/\(id)/messages", json: ["text": "go"])
        #expect(try await sender.next()?.type == "connected")
        sender.close()

        let seen = try await watcher.until("complete").filter { $0.type != "heartbeat" }
        #expect(seen.map(\.type) == ["message", "complete"])
        #expect(seen.last?.data == ["conversation_id": .string(id), "status": "completed"])
        #expect(try await server.settle(id).status == .completed)
        watcher.close()
    }

    @Test func browserTokensExpireAndGiveConversationsTheirEnvironment() async throws {
        let clock = Mutex(1_000_000.0)
        let server = try await SeedServer.start(now: { clock.withLock { $0 } })
        defer { Task { await server.stop() } }
        let registered = try await server.post("/browsers/register", ["uuid": "uuid-1", "connection_id": "desktop", "ttl_hours": 1])
        #expect(registered.status == 200 && registered.json["success"] == true && registered.json["uuid"] == "uuid-1")
        let valid = try await server.get("/browsers/uuid-1/valid")
        #expect(valid.json == ["success": true, "uuid": "uuid-1", "valid": true, "message": "Browser UUID is valid"])
        #expect(try await server.get("/browsers/unknown/valid").json["valid"] == false)
        Self.expectError(try await server.post("/browsers/register", ["uuid": "u", "connection_id": "ws-conn-77"]), 400)
        Self.expectError(try await server.post("/browsers/register", ["uuid": "u", "connection_id": "none", "ttl_hours": -1]), 400)
        Self.expectError(try await server.post("/browsers/register", ["connection_id": "none"]), 400)

        // The token's environment becomes the conversation's (no desktop starts until a message runs).
        let created = try await server.post("/agent/conversations", ["browser_id": "uuid-1"])
        let id = try #require(created.json["conversation_id"]?.stringValue)
        #expect(try await server.get("/api/v1/sessions/\(id)").json["configuration"]?["environment"]?["kind"] == "desktop")
        // A message with another token moves the conversation to that token's environment before it runs.
        _ = try await server.post("/browsers/register", ["uuid": "uuid-2", "connection_id": "none"])
        server.fake.enqueue(.text("No screen needed."))
        let turn = try await server.stream("POST", "/agent/conversations/\(id)/messages", json: ["text": "hi", "browser_id": "uuid-2"])
        #expect(try await turn.all().last?.data["status"] == "completed")
        #expect(try await server.get("/api/v1/sessions/\(id)").json["configuration"]?["environment"]?["kind"] == "none")

        clock.withLock { $0 += 3601 }
        #expect(try await server.get("/browsers/uuid-1/valid").json["valid"] == false)
        Self.expectError(try await server.post("/agent/conversations", ["browser_id": "uuid-1"]), 400)
        Self.expectError(try await server.post("/agent/conversations/\(id)/messages", ["text": "x", "browser_id": "uuid-1"]), 400)
    }
}
