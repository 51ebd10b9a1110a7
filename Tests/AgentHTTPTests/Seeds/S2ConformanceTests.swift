import AgentCore
import AgentHTTP
import AgentStore
import AgentTesting
import Foundation
import Testing

/// Seed S2 (`002_d374a4bec04980c4.txt`, the Computer Use Agent's API) against a live listener:
/// creating tasks with every documented field, their status, the session management endpoints,
/// health, and the `{success, message, data}` envelope on every answer. Control, safety checks
/// and limits are in ``S2ControlTests``.
@Suite(.timeLimit(.minutes(2)))
struct S2ConformanceTests {
    @Test func healthAnswersInTheEnvelope() async throws {
        let server = try await S2Server.start()
        defer { Task { await server.stop() } }
        let health = try await server.get("/api/health")
        S2.expectOK(health)
        #expect(health.json["message"] == "API is healthy")
        #expect(Seed.keys(health.json["data"]) == ["active_sessions", "browser_environment", "status", "version"])
        #expect(health.json["data"]?["status"] == "ok" && health.json["data"]?["active_sessions"] == 0)
        #expect(health.json["data"]?["version"]?.stringValue?.isEmpty == false)
        #expect(["chromium", "unavailable"].contains(health.json["data"]?["browser_environment"]?.stringValue ?? ""))
    }

    /// The document's defaults (a 1024×768 headless browser at Google), a real computer call
    /// (a screenshot of the real Chromium) through the fake model, and what status and details show.
    @Test func aBrowserTaskRunsAWholeTurnWithARealToolCall() async throws {
        let server = try await S2Server.start()
        defer { Task { await server.stop() } }
        server.fake.enqueue(.toolUse(name: "computer", input: ["action": "screenshot"], text: "I'll look at the browser first."))
        server.fake.enqueue(.text("The browser shows the starting page."))
        let created = try await server.post("/api/tasks", ["task": "Search for the best pizza in New York"])
        S2.expectOK(created)
        #expect(created.json["message"] == "Task started successfully")
        #expect(Seed.keys(created.json["data"]) == ["session_id", "session_url", "status", "task_id"])
        let data = try #require(created.json["data"])
        let id = try #require(data["session_id"]?.stringValue)
        let taskID = try #require(data["task_id"]?.stringValue)
        #expect(Seed.isUUID(data["session_id"]) && data["status"] == "running")
        #expect(taskID.wholeMatch(of: /t[0-9a-f]{32}/) != nil)
        #expect(data["session_url"]?.stringValue == "http://127.0.0.1:\(server.port)/api/sessions/\(id)/details")
        #expect(try await server.settle(id).status == .completed)

        // The model saw the document's default screen and the task.
        let first = try #require(server.fake.requests.first)
        let computer = try #require(first.tools.first { $0["name"] == "computer" })
        #expect(computer["display_width_px"] == 1024 && computer["display_height_px"] == 768)
        #expect(first.tools.count == 1)
        #expect(first.messages.first?.text == "Search for the best pizza in New York")

        let status = try await server.get("/api/status/\(id)/\(taskID)")
        S2.expectOK(status)
        #expect(status.json["message"] == "Session status retrieved")
        let body = try #require(status.json["data"])
        #expect(Seed.keys(body) == ["current_screenshot", "logs", "pending_safety_checks", "reasoning", "session_id",
                                    "status", "status_reason", "task_id"])
        #expect(body["session_id"] == .string(id) && body["task_id"] == .string(taskID) && body["status"] == "completed")
        #expect(body["pending_safety_checks"] == .null)
        #expect(S2.isPNG(body["current_screenshot"]))
        let logs = try #require(body["logs"]?.arrayValue).compactMap(\.stringValue)
        #expect(logs.contains("Task: Search for the best pizza in New York"))
        #expect(logs.contains("Action: computer screenshot") && logs.contains("Result: screenshot taken"))
        #expect(logs.last?.hasPrefix("Status: completed") == true)
        let reasoning = try #require(body["reasoning"]?.arrayValue)
        #expect(reasoning.map { $0["id"] } == ["reason_1", "reason_2"])
        #expect(reasoning[0]["content"] == [["type": "text", "text": "I'll look at the browser first."]])
        #expect(reasoning[1]["content"]?[0]?["text"] == "The browser shows the starting page.")
        #expect(reasoning.allSatisfy { Seed.isDateTime($0["timestamp"]) })

        // The system's own path answers the same.
        let again = try await server.get("/api/sessions/\(id)/status?task_id=\(taskID)")
        #expect(again.json["data"]?["logs"] == body["logs"] && again.json["data"]?["status"] == "completed")

        let details = try await server.get("/api/sessions/\(id)/details")
        S2.expectOK(details)
        #expect(details.json["message"] == .string("Retrieved details for session \(id)"))
        let info = try #require(details.json["data"])
        #expect(Seed.keys(info) == ["is_active", "latest_screenshot", "logs_count", "screenshots_count", "session"])
        #expect(info["is_active"] == false && info["screenshots_count"] == 1)
        #expect(info["latest_screenshot"] == body["current_screenshot"])
        #expect(info["logs_count"] == .int(logs.count))
        let session = try #require(info["session"])
        #expect(Seed.keys(session) == (S2.summaryKeys + ["actions", "browser_config", "environment", "logs", "reasoning_data",
                                                         "status_reason"]).sorted())
        #expect(session["task"] == "Search for the best pizza in New York" && session["environment"] == "browser")
        #expect(session["browser_config"] == ["display_width": 1024, "display_height": 768, "headless": true,
                                              "starting_url": "https://www.google.com"])
        #expect(session["logs"] == body["logs"] && session["reasoning_data"] == body["reasoning"])
        #expect(Seed.isDateTime(session["created_at"]) && Seed.isDateTime(session["completed_at"]))
        let action = try #require(session["actions"]?.arrayValue?.first)
        #expect(session["actions"]?.arrayValue?.count == 1)
        #expect(action["type"] == "screenshot" && action["tool"] == "computer" && action["status"] == "completed")
        #expect(Seed.isDateTime(action["timestamp"]))
    }

    /// Every documented field of `POST /api/tasks` reaches the session; the per-task `api_key`
    /// talks to the model and is never echoed or stored.
    @Test func everyCreateFieldIsMappedAndTheKeyStaysSecret() async throws {
        let server = try await S2Server.start()
        defer { Task { await server.stop() } }
        let secret = "sk-ant-s2-PER-TASK-SECRET-0123456789"
        server.fake.enqueue(.text("Done without a screen."))
        let created = try await server.post("/api/tasks", [
            "task": "Summarise the page", "environment": "none", "display_width": 1280, "display_height": 720,
            "headless": false, "starting_url": "https://www.example.com/start", "api_key": .string(secret),
            "user_id": "user123", "session_name": "Pizza Search", "tags": ["food", "search"], "priority": "high",
            "timeout_seconds": 120, "max_actions": 7,
        ])
        S2.expectOK(created)
        #expect(!created.text.contains(secret))
        let id = try #require(created.json["data"]?["session_id"]?.stringValue)
        let taskID = try #require(created.json["data"]?["task_id"]?.stringValue)
        #expect(try await server.settle(id).status == .completed)

        let record = try await server.service.session(id)
        #expect(record.owner == "user123" && record.name == "Pizza Search" && record.tags == ["food", "search"])
        #expect(record.priority == "high" && record.configuration.environment == .none)
        #expect(record.configuration.limits.timeout == 120 && record.configuration.limits.maxSteps == 7)
        #expect(record.configuration.approvalPolicy.rules == [ApprovalRule(allowedHosts: ["example.com"])])
        #expect(server.fake.requests.first?.header("x-api-key") == secret)

        for path in ["/api/status/\(id)/\(taskID)", "/api/sessions/\(id)/details", "/api/sessions", "/api/sessions/active"] {
            let answer = try await server.get(path)
            // Only the status route, which is asked with the task id, shows it.
            #expect(answer.status == 200 && !answer.text.contains(secret))
            #expect(answer.text.contains(taskID) == path.hasPrefix("/api/status/"))
        }
        let details = try await server.get("/api/sessions/\(id)/details")
        #expect(details.json["data"]?["session"]?["browser_config"] == [
            "display_width": .null, "display_height": .null, "headless": false, "starting_url": .null,
        ])
        #expect(details.json["data"]?["session"]?["user_id"] == "user123")
        // Neither the key nor the task id is in the database (only the task id's digest).
        await server.service.shutdown()
        server.store.close()
        for suffix in ["", "-wal"] {
            let bytes = (try? Data(contentsOf: URL(fileURLWithPath: server.directory.file("agentd.db") + suffix))) ?? Data()
            let text = String(decoding: bytes, as: UTF8.self)
            #expect(!text.contains(secret) && !text.contains(taskID))
        }
    }

    @Test func badCreateRequestsAre400InTheEnvelope() async throws {
        let server = try await S2Server.start()
        defer { Task { await server.stop() } }
        let bad: [JSONValue] = [
            [:], ["task": ""], ["task": 5], ["task": "x", "environment": "mars"], ["task": "x", "display_width": "wide"],
            ["task": "x", "display_width": 10], ["task": "x", "headless": "yes"], ["task": "x", "starting_url": "ftp://example.com"],
            ["task": "x", "tags": "food"], ["task": "x", "priority": "urgent"], ["task": "x", "timeout_seconds": 0],
            ["task": "x", "timeout_seconds": "long"], ["task": "x", "max_actions": 0], ["task": "x", "max_actions": 1.5],
            ["task": "x", "user_id": 7], ["task": "x", "session_name": ["a"]], ["task": "x", "api_key": 1],
        ]
        for body in bad {
            S2.expectError(try await server.post("/api/tasks", body), 400)
        }
        S2.expectError(try await server.request("POST", "/api/tasks", rawBody: "{not json"), 400)
        #expect(try await server.service.list(SessionQuery()).total == 0)
        #expect(server.fake.requests.isEmpty)
    }

    @Test func listingsFilterSortAndLimit() async throws {
        let server = try await S2Server.start()
        defer { Task { await server.stop() } }
        server.fake.setResponder { _ in .text("ok") }
        let a = try await server.task(["task": "first", "environment": "none", "session_name": "alpha", "user_id": "u1",
                                       "tags": ["food", "search"]])
        let b = try await server.task(["task": "second", "environment": "none", "session_name": "bravo", "user_id": "u2",
                                       "tags": ["search"]])
        for id in [a.id, b.id] { #expect(try await server.settle(id).status == .completed) }
        server.fake.enqueue(.error(status: 400, type: "invalid_request_error", message: "refused"))
        let c = try await server.task(["task": "third", "environment": "none", "session_name": "charlie", "user_id": "u1"])
        #expect(try await server.settle(c.id).status == .error)

        let all = try await server.get("/api/sessions")
        S2.expectOK(all)
        #expect(all.json["message"] == "Retrieved 3 sessions" && Seed.keys(all.json["data"]) == ["sessions"])
        let sessions = try #require(all.json["data"]?["sessions"]?.arrayValue)
        #expect(sessions.map { $0["id"] } == [.string(c.id), .string(b.id), .string(a.id)])  // newest first
        #expect(sessions.allSatisfy { Seed.keys($0) == S2.summaryKeys })
        let alpha = try #require(sessions.last)
        #expect(alpha["name"] == "alpha" && alpha["task"] == "first" && alpha["status"] == "completed")
        #expect(alpha["user_id"] == "u1" && alpha["tags"] == ["food", "search"] && alpha["priority"] == "normal")
        #expect(Seed.isDateTime(alpha["created_at"]) && Seed.isDateTime(alpha["completed_at"]))

        func ids(_ path: String) async throws -> [String] {
            let answer = try await server.get(path)
            S2.expectOK(answer)
            return answer.json["data"]?["sessions"]?.arrayValue?.compactMap { $0["id"]?.stringValue } ?? []
        }
        #expect(try await ids("/api/sessions?user_id=u1") == [c.id, a.id])
        #expect(try await ids("/api/sessions?tag=food") == [a.id])
        #expect(try await ids("/api/sessions?status=completed") == [b.id, a.id])
        #expect(try await ids("/api/sessions?status=error") == [c.id])
        #expect(try await ids("/api/sessions?limit=1") == [c.id])
        #expect(try await ids("/api/sessions?sort_field=name&sort_direction=asc") == [a.id, b.id, c.id])
        #expect(try await ids("/api/sessions?sort_field=created_at&sort_direction=asc&limit=2") == [a.id, b.id])
        for query in ["sort_field=colour", "sort_direction=up", "status=bogus", "limit=0", "limit=many"] {
            S2.expectError(try await server.get("/api/sessions?\(query)"), 400)
        }

        func batch(_ body: JSONValue) async throws -> [String] {
            let answer = try await server.post("/api/sessions/batch", body)
            S2.expectOK(answer)
            return answer.json["data"]?["sessions"]?.arrayValue?.compactMap { $0["id"]?.stringValue } ?? []
        }
        #expect(try await batch([:]) == [c.id, b.id, a.id])
        #expect(try await batch([
            "limit": 100, "filter_by": ["created_after": "2025-03-01T00:00:00Z", "created_before": "2999-03-10T23:59:59Z",
                                        "duration_less_than": 3600, "has_errors": false],
            "sort_field": "duration", "sort_direction": "asc", "user_id": "u1", "tags": ["search"], "status": "completed",
        ]) == [a.id])
        #expect(try await batch(["filter_by": ["has_errors": true]]) == [c.id])
        #expect(try await batch(["filter_by": ["created_after": "2999-01-01T00:00:00Z"]]) == [])
        #expect(try await batch(["filter_by": ["duration_less_than": 0]]) == [])
        #expect(try await batch(["tags": ["search", "food"]]) == [a.id])
        #expect(try await batch(["status": ["completed", "error"], "sort_field": "name", "sort_direction": "asc", "limit": 2])
            == [a.id, b.id])
        #expect(Set(try await batch(["sort_field": "completed_at"])) == [a.id, b.id, c.id])
        for body: JSONValue in [["filter_by": ["colour": "red"]], ["filter_by": ["created_after": "yesterday"]],
                                ["filter_by": ["has_errors": "no"]], ["filter_by": 3], ["sort_field": "colour"], ["limit": 0],
                                ["status": 4], ["tags": "search"]] {
            S2.expectError(try await server.post("/api/sessions/batch", body), 400)
        }
    }

    @Test func detailsUpdateActiveAndCleanup() async throws {
        let server = try await S2Server.start()
        defer { Task { await server.stop() } }
        server.fake.setResponder { _ in .text("ok") }
        let task = try await server.task(["task": "label me", "environment": "none", "session_name": "old"])
        #expect(try await server.settle(task.id).status == .completed)

        let updated = try await server.put("/api/sessions/\(task.id)", [
            "name": "Updated Session Name", "tags": ["new-tag", "updated"], "priority": "high", "user_id": "user456",
        ])
        S2.expectOK(updated)
        #expect(updated.json["message"] == .string("Session \(task.id) updated successfully"))
        #expect(updated.json["data"] == ["session_id": .string(task.id), "updates": [
            "name": "Updated Session Name", "tags": ["new-tag", "updated"], "priority": "high", "user_id": "user456",
        ]])
        let listed = try await server.get("/api/sessions?user_id=user456")
        let entry = try #require(listed.json["data"]?["sessions"]?[0])
        #expect(entry["name"] == "Updated Session Name" && entry["tags"] == ["new-tag", "updated"] && entry["priority"] == "high")
        S2.expectError(try await server.put("/api/sessions/\(task.id)", [:]), 400)
        S2.expectError(try await server.put("/api/sessions/\(task.id)", ["priority": "urgent"]), 400)
        S2.expectError(try await server.put("/api/sessions/\(task.id)", ["tags": "x"]), 400)
        let missing = try await server.put("/api/sessions/no-such-session", ["name": "x"])
        S2.expectError(missing, 404)
        #expect(missing.json["message"] == "Session not found")
        #expect(missing.json["data"]?["error"] == "Session with ID no-such-session does not exist")
        S2.expectError(try await server.get("/api/sessions/no-such-session/details"), 404)

        let active = try await server.get("/api/sessions/active")
        S2.expectOK(active)
        #expect(active.json["message"] == "Found 0 active sessions" && active.json["data"] == ["active_sessions": []])

        S2.expectError(try await server.post("/api/sessions/cleanup?days_old=-1", [:]), 400)
        S2.expectError(try await server.post("/api/sessions/cleanup?days_old=soon", [:]), 400)
        let kept = try await server.post("/api/sessions/cleanup", [:])
        S2.expectOK(kept)
        #expect(kept.json["message"] == "Cleaned up 0 sessions older than 7 days" && kept.json["data"] == ["cleaned_count": 0])
        let cleaned = try await server.post("/api/sessions/cleanup?days_old=0", [:])
        #expect(cleaned.json["message"] == "Cleaned up 1 sessions older than 0 days" && cleaned.json["data"] == ["cleaned_count": 1])
        S2.expectError(try await server.get("/api/sessions/\(task.id)/details"), 404)
    }

    /// Answers that come from no S2 route are in S2's envelope too, and the main port's routes are absent.
    @Test func unknownRoutesAndMethodsUseTheEnvelope() async throws {
        let server = try await S2Server.start()
        defer { Task { await server.stop() } }
        S2.expectError(try await server.get("/api/nothing-here"), 404)
        S2.expectError(try await server.get("/api/v1/health"), 404)
        let wrongMethod = try await server.get("/api/tasks")
        S2.expectError(wrongMethod, 405)
        #expect(wrongMethod.header("Allow") == "POST")
        S2.expectError(try await server.request("DELETE", "/api/sessions/abc"), 405)
        S2.expectError(try await server.get("/api/sessions/%ZZ/details"), 400)
        let unsupported = try await server.request("POST", "/api/tasks", rawBody: "task=x", headers: [("Content-Type", "text/plain")])
        S2.expectError(unsupported, 415)
    }
}
