import AgentCore
import AgentHTTP
import AgentTesting
import Foundation
import Testing

/// Seed S2's session control against a live listener: the `task_id` secret (403), stop, pause,
/// resume, safety checks confirmed and declined through a real pending approval, resource
/// clean-up, `timeout_seconds` and `max_actions` enforced, and the inactivity timeout.
@Suite(.timeLimit(.minutes(2)))
struct S2ControlTests {
    /// The control actions at the document's paths and at the system's own.
    static let controlPaths: [@Sendable (String) -> String] = [
        { "/api/stop/\($0)" }, { "/api/pause/\($0)" }, { "/api/resume/\($0)" }, { "/api/confirm_safety_check/\($0)" },
        { "/api/cleanup_session/\($0)" }, { "/api/sessions/\($0)/stop" }, { "/api/sessions/\($0)/pause" },
        { "/api/sessions/\($0)/resume" }, { "/api/sessions/\($0)/confirm-safety-check" }, { "/api/sessions/\($0)/cleanup" },
    ]

    @Test func theTaskIDIsTheControlSecret() async throws {
        let server = try await S2Server.start()
        defer { Task { await server.stop() } }
        server.fake.setResponder { _ in .text("ok") }
        let task = try await server.task(["task": "guarded", "environment": "none"])
        let other = try await server.task(["task": "another", "environment": "none"])
        for id in [task.id, other.id] { #expect(try await server.settle(id).status == .completed) }

        let wrong = try await server.get("/api/status/\(task.id)/t00000000000000000000000000000000")
        S2.expectError(wrong, 403)
        #expect(wrong.json["message"] == "Invalid task ID")
        S2.expectError(try await server.get("/api/status/\(task.id)/\(other.taskID)"), 403)
        S2.expectError(try await server.get("/api/sessions/\(task.id)/status?task_id=\(other.taskID)"), 403)
        S2.expectError(try await server.get("/api/sessions/\(task.id)/status"), 400)
        S2.expectError(try await server.get("/api/status/no-such-session/\(task.taskID)"), 404)
        S2.expectOK(try await server.get("/api/status/\(task.id)/\(task.taskID)"))

        for path in Self.controlPaths {
            S2.expectError(try await server.post(path(task.id), ["session_id": .string(task.id), "task_id": .string(other.taskID),
                                                                 "confirm": true]), 403)
            S2.expectError(try await server.post(path(task.id), ["session_id": .string(task.id)]), 400)
            S2.expectError(try await server.post(path(task.id), ["session_id": .string(other.id), "task_id": .string(task.taskID)]), 400)
            S2.expectError(try await server.post(path("no-such-session"), ["task_id": .string(task.taskID)]), 404)
        }
        #expect(try await server.service.session(task.id).status == .completed)

        // A session made through another API has no task secret: it is listed, not controlled.
        let native = try await server.service.create(SessionRequest(name: "native"))
        S2.expectError(try await server.post("/api/stop/\(native.id)", ["task_id": .string(task.taskID)]), 403)
        let listed = try await server.get("/api/sessions")
        #expect(listed.json["data"]?["sessions"]?.arrayValue?.first { $0["id"] == .string(native.id) }?["status"] == "pending")
    }

    /// Pause, resume and stop a run that is in the middle of a model call, by both path styles.
    @Test func pauseResumeAndStop() async throws {
        let server = try await S2Server.start()
        defer { Task { await server.stop() } }
        server.fake.enqueue(.stall(afterEvents: 2))
        let task = try await server.task(["task": "take your time", "environment": "none"])
        #expect(await server.fake.waitUntil { $0.requestCount >= 1 })
        let secret: JSONValue = ["session_id": .string(task.id), "task_id": .string(task.taskID)]

        let paused = try await server.post("/api/pause/\(task.id)", secret)
        S2.expectOK(paused)
        #expect(paused.json["message"] == "Session paused")
        #expect(paused.json["data"] == ["session_id": .string(task.id), "status": "paused"])
        #expect(try await server.status(task.id, task.taskID)["status"] == "paused")
        let active = try await server.get("/api/sessions/active")
        let entry = try #require(active.json["data"]?["active_sessions"]?[0])
        #expect(Seed.keys(entry) == ["id", "name", "started_at", "status", "task", "task_id"])
        #expect(entry["id"] == .string(task.id) && entry["task_id"] == .null && entry["status"] == "paused")
        #expect(entry["task"] == "take your time" && Seed.isDateTime(entry["started_at"]))
        #expect(try await server.get("/api/health").json["data"]?["active_sessions"] == 1)

        let resumed = try await server.post("/api/sessions/\(task.id)/resume", ["task_id": .string(task.taskID)])
        S2.expectOK(resumed)
        #expect(resumed.json["message"] == "Session resumed" && resumed.json["data"]?["status"] == "running")
        S2.expectError(try await server.post("/api/resume/\(task.id)", secret), 409)

        let stopped = try await server.post("/api/sessions/\(task.id)/stop?task_id=\(task.taskID)", [:])
        S2.expectOK(stopped)
        #expect(stopped.json["message"] == "Session stopped")
        #expect(stopped.json["data"] == ["session_id": .string(task.id), "status": "stopped"])
        #expect(try await server.status(task.id, task.taskID)["status"] == "stopped")
        S2.expectError(try await server.post("/api/pause/\(task.id)", secret), 409)
        // Stopping again is harmless: the session stays stopped.
        #expect(try await server.post("/api/stop/\(task.id)", secret).json["data"]?["status"] == "stopped")
        #expect(try await server.get("/api/sessions/active").json["data"]?["active_sessions"] == [])

        let cleaned = try await server.post("/api/cleanup_session/\(task.id)", secret)
        S2.expectOK(cleaned)
        #expect(cleaned.json["message"] == "Session cleaned up")
        #expect(cleaned.json["data"] == ["session_id": .string(task.id), "status": "cleaned"])
        #expect(try await server.status(task.id, task.taskID)["status"] == "stopped")
    }

    /// The default safety check (a URL outside the starting site) holds the call until it is
    /// confirmed; a URL inside the site runs at once.
    @Test func aConfirmedSafetyCheckContinuesTheTask() async throws {
        let server = try await S2Server.start()
        defer { Task { await server.stop() } }
        server.fake.enqueue(.toolUse(name: "bash", input: ["command": "echo inside https://docs.example.com/a"]))
        server.fake.enqueue(.toolUse(name: "bash", input: ["command": "echo outside https://elsewhere.test/page"],
                                     text: "I need another site."))
        server.fake.enqueue(.text("Both pages were visited."))
        let task = try await server.task(["task": "visit", "environment": "none", "starting_url": "https://www.example.com"])
        #expect(try await server.settle(task.id).status == .awaitingApproval)

        let waiting = try await server.status(task.id, task.taskID)
        #expect(waiting["status"] == "awaiting_safety_confirmation")
        let checks = try #require(waiting["pending_safety_checks"]?.arrayValue)
        #expect(checks.count == 1)
        #expect(checks[0]["code"] == "irrelevant_domain" && checks[0]["tool"] == "bash")
        #expect(checks[0]["message"]?.stringValue?.contains("elsewhere.test") == true)
        #expect(checks[0]["id"]?.stringValue?.isEmpty == false)
        #expect(waiting["logs"]?.arrayValue?.contains { $0.stringValue?.hasPrefix("Safety check: bash reaches elsewhere.test") == true } == true)
        let executions = try await server.service.toolExecutions(task.id)
        #expect(executions.map(\.status) == [.succeeded])  // the call inside the site ran at once

        let secret: JSONValue = ["session_id": .string(task.id), "task_id": .string(task.taskID)]
        S2.expectError(try await server.post("/api/confirm_safety_check/\(task.id)", secret), 400)
        S2.expectError(try await server.post("/api/confirm_safety_check/\(task.id)", ["task_id": .string(task.taskID), "confirm": "yes"]), 400)
        let confirmed = try await server.post("/api/confirm_safety_check/\(task.id)",
                                              ["session_id": .string(task.id), "task_id": .string(task.taskID), "confirm": true])
        S2.expectOK(confirmed)
        #expect(confirmed.json["message"] == "Safety checks confirmed")
        #expect(confirmed.json["data"] == ["session_id": .string(task.id), "status": "running"])
        #expect(try await server.settle(task.id).status == .completed)

        let done = try await server.status(task.id, task.taskID)
        #expect(done["status"] == "completed" && done["pending_safety_checks"] == .null)
        let logs = done["logs"]?.arrayValue?.compactMap(\.stringValue) ?? []
        #expect(logs.contains("Safety check confirmed"))
        #expect(logs.contains("Result: outside https://elsewhere.test/page"))
        S2.expectError(try await server.post("/api/sessions/\(task.id)/confirm-safety-check",
                                              ["task_id": .string(task.taskID), "confirm": true]), 409)
    }

    /// `confirm: false` stores the refusal and stops the task with the reason; the call never runs
    /// and the model is not asked again.
    @Test func aDeclinedSafetyCheckStopsTheTask() async throws {
        let server = try await S2Server.start()
        defer { Task { await server.stop() } }
        server.fake.enqueue(.toolUse(name: "bash", input: ["command": "curl -s https://evil.test/steal"], text: "Fetching."))
        let task = try await server.task(["task": "fetch", "environment": "none", "starting_url": "https://www.example.com"])
        #expect(try await server.settle(task.id).status == .awaitingApproval)

        let declined = try await server.post("/api/sessions/\(task.id)/confirm-safety-check", [
            "session_id": .string(task.id), "task_id": .string(task.taskID), "confirm": false, "reason": "not that site",
        ])
        S2.expectOK(declined)
        #expect(declined.json["message"] == "Safety checks declined; session stopped")
        #expect(declined.json["data"] == ["session_id": .string(task.id), "status": "stopped"])

        let status = try await server.status(task.id, task.taskID)
        #expect(status["status"] == "stopped" && status["pending_safety_checks"] == .null)
        #expect(status["status_reason"] == "safety check declined: not that site")
        let logs = status["logs"]?.arrayValue?.compactMap(\.stringValue) ?? []
        #expect(logs.contains("Safety check declined: not that site"))
        #expect(try await server.service.toolExecutions(task.id).allSatisfy { $0.status != .succeeded })
        #expect(server.fake.requests.count == 1)
    }

    @Test func timeoutSecondsEndsTheRunWithStatusTimeout() async throws {
        let server = try await S2Server.start()
        defer { Task { await server.stop() } }
        server.fake.enqueue(.stall(afterEvents: 2))
        let task = try await server.task(["task": "never finishes", "environment": "none", "timeout_seconds": 0.5])
        #expect(try await server.settle(task.id).status == .timeout)
        let status = try await server.status(task.id, task.taskID)
        #expect(status["status"] == "timeout")
        #expect(status["status_reason"]?.stringValue?.contains("limit") == true)
    }

    @Test func maxActionsStopsTheRunAfterThatManyActions() async throws {
        let server = try await S2Server.start()
        defer { Task { await server.stop() } }
        server.fake.enqueue(.toolUse(name: "bash", input: ["command": "echo one"]))
        server.fake.enqueue(.toolUse(name: "bash", input: ["command": "echo two"]))
        server.fake.enqueue(.text("never reached"))
        let task = try await server.task(["task": "count", "environment": "none", "max_actions": 1])
        #expect(try await server.settle(task.id).status == .stopped)
        let details = try await server.get("/api/sessions/\(task.id)/details")
        #expect(details.json["data"]?["session"]?["status"] == "stopped")
        #expect(details.json["data"]?["session"]?["actions"]?.arrayValue?.count == 1)
        #expect(details.json["data"]?["session"]?["status_reason"]?.stringValue?.contains("limit of 1") == true)
        #expect(server.fake.requests.count == 1)
    }

    /// Seed 002 "Automatic Session Timeout", with the 5 minutes shortened: a task waiting for a
    /// safety confirmation that nobody gives ends with status `timeout` and a log entry.
    @Test func inactivityEndsTheTaskWithStatusTimeout() async throws {
        let server = try await S2Server.start(inactivityTimeout: 0.3)
        defer { Task { await server.stop() } }
        server.fake.enqueue(.toolUse(name: "bash", input: ["command": "echo https://far.test"]))
        let task = try await server.task(["task": "wait for me", "environment": "none", "starting_url": "https://example.com"])
        #expect(try await server.settle(task.id).status == .awaitingApproval)
        let ended = try await pollUntil(timeout: .seconds(20)) {
            try await server.status(task.id, task.taskID)["status"] == "timeout"
        }
        #expect(ended)
        let status = try await server.status(task.id, task.taskID)
        #expect(status["pending_safety_checks"] == .null)
        #expect(status["logs"]?.arrayValue?.contains { $0.stringValue?.hasPrefix("Session timed out: no activity") == true } == true)
        S2.expectError(try await server.post("/api/confirm_safety_check/\(task.id)",
                                              ["task_id": .string(task.taskID), "confirm": true]), 409)
    }
}
