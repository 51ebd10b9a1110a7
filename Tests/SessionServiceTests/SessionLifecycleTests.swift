import AgentCore
import AgentStore
import AgentTesting
import Foundation
import Testing

/// Creating, listing, updating, running and deleting sessions, and the state machine's refusals.
@Suite(.timeLimit(.minutes(1)))
struct SessionLifecycleTests {
    @Test func createListUpdateAndDelete() async throws {
        let h = try await ServiceHarness(model: try scripted("[]"))
        defer { Task { await h.finish() } }
        let a = try await h.service.create(SessionRequest(owner: "ann", name: "first", tags: ["x", "y"], priority: "high"))
        let b = try await h.service.create(SessionRequest(owner: "bob", name: "second", tags: ["y"]))
        #expect(a.status == .idle)
        #expect(a.configuration.model == ModelCatalog.defaultModel)

        let tagged = try await h.service.list(SessionQuery(tag: "x"))
        #expect(tagged.sessions.map(\.id) == [a.id])
        let bobs = try await h.service.list(SessionQuery(owner: "bob"))
        #expect(bobs.sessions.map(\.id) == [b.id] && bobs.total == 1)
        let paged = try await h.service.list(SessionQuery(sort: .name, descending: false, limit: 1, offset: 1))
        #expect(paged.sessions.map(\.name) == ["second"] && paged.total == 2)

        let renamed = try await h.service.update(a.id, SessionUpdate(name: "renamed", tags: ["z"], metadata: ["k": "v"]))
        #expect(renamed.name == "renamed" && renamed.tags == ["z"] && renamed.metadata == ["k": "v"])
        #expect(try await h.service.session(a.id).name == "renamed")
        await #expect(throws: SessionError.invalidValue("priority must be low, normal or high")) {
            try await h.service.update(a.id, SessionUpdate(priority: "urgent"))
        }
        #expect(types(try await h.service.events(a.id)) == ["session_created", "session_updated"])

        try await h.service.delete(a.id)
        await #expect(throws: SessionError.notFound(id: a.id)) { try await h.service.session(a.id) }
        #expect(try await h.service.list(SessionQuery()).total == 1)
    }

    @Test func badConfigurationIsRefusedWithAClearMessage() async throws {
        let h = try await ServiceHarness(model: try scripted("[]"))
        defer { Task { await h.finish() } }
        await #expect(throws: SessionError.invalidValue("tools: the computer tool needs an environment with a screen (desktop or browser)")) {
            try await h.service.create(SessionRequest(configuration: ["tools": ["computer"]]))
        }
        await #expect(throws: SessionError.invalidValue("tools: unknown tool 'rm' (known: bash, edit, computer)")) {
            try await h.service.create(SessionRequest(configuration: ["tools": ["rm"]]))
        }
        await #expect(throws: SessionError.self) {
            try await h.service.create(SessionRequest(id: "../etc"))
        }
        #expect(try await h.service.list(SessionQuery()).total == 0)
    }

    @Test func aRunIsStoredStepByStepWithContiguousSequenceNumbers() async throws {
        let echo = ClosureTool("echo") { input in ToolOutput(output: "echo: \(input["word"]?.stringValue ?? "")") }
        let model = try scripted(#"""
        [{"text": "Echoing.", "tool_use": [{"name": "echo", "input": {"word": "hi"}}], "usage": {"input_tokens": 100, "output_tokens": 20}},
         {"text": "Done.", "usage": {"input_tokens": 150, "output_tokens": 10, "cache_read_input_tokens": 50}}]
        """#)
        let h = try await ServiceHarness(model: model, tools: [echo])
        defer { Task { await h.finish() } }
        let session = try await h.service.create(SessionRequest(name: "run"))
        let subscription = try await h.service.subscribe(session.id)
        #expect(try await h.service.send(session.id, Message.user("say hi")) == .started)
        var live: [String] = []
        for await item in subscription {
            guard case .event(let event) = item else { break }
            live.append(event.type)
            if event.type == "status", event.data["status"] == "completed" { break }
        }
        let done = try await h.waitFor(session.id, .completed)
        // Token deltas reach subscribers live, in their place, and are not stored.
        let firstTurn = Array(live.drop { $0 != "turn_started" }.prefix { $0 != "assistant_message" })
        #expect(firstTurn.first == "turn_started" && firstTurn.dropFirst().allSatisfy { $0 == "text_delta" } && firstTurn.count > 1)
        #expect(live.filter { $0 != "text_delta" } == types(try await h.service.events(session.id)))

        let events = try await h.service.events(session.id)
        #expect(events.map(\.seq) == Array(1...events.count))
        #expect(types(events) == [
            "session_created", "status", "user_message", "turn_started", "assistant_message", "usage",
            "tool_call_started", "tool_call_finished", "tool_results", "turn_started", "assistant_message", "usage",
            "finished", "status",
        ])
        let messages = try await h.service.messages(session.id)
        #expect(messages.count == 4)
        #expect(pairingProblems(messages).isEmpty)
        #expect(messages.last?.text == "Done.")
        #expect(done.usage.totalTokens == 330)
        #expect(done.costUSD > 0)
        #expect(try await h.service.usage(session.id).map(\.usage.inputTokens) == [100, 150])
        let executions = try await h.service.toolExecutions(session.id)
        #expect(executions.map(\.status) == [.succeeded])
        #expect(executions.first?.output == "echo: hi")
        #expect(done.lastSeq == events.last?.seq)
    }

    @Test func illegalTransitionsAreRefusedAndNothingChanges() async throws {
        let h = try await ServiceHarness(model: try scripted(#"[{"text": "ok"}]"#))
        defer { Task { await h.finish() } }
        let s = try await h.service.create(SessionRequest())
        await #expect(throws: SessionError.invalidTransition(id: s.id, from: .idle, action: "pause")) {
            try await h.service.pause(s.id)
        }
        await #expect(throws: SessionError.noPendingApproval(id: s.id)) { try await h.service.approve(s.id) }
        await #expect(throws: SessionError.invalidTransition(id: s.id, from: .idle, action: "resume without an instruction")) {
            try await h.service.resume(s.id)
        }
        _ = try await h.service.send(s.id, Message.user("hello"))
        try await h.waitFor(s.id, .completed)
        await #expect(throws: SessionError.invalidTransition(id: s.id, from: .completed, action: "stop")) {
            try await h.service.stop(s.id)
        }
        #expect(try await h.service.session(s.id).status == .completed)
        // Every status and move of the documented machine.
        #expect(SessionStatus.idle.canMove(to: .running) && !SessionStatus.idle.canMove(to: .paused))
        #expect(!SessionStatus.completed.canMove(to: .paused) && SessionStatus.interrupted.canMove(to: .running))
        #expect(SessionStatus.running.canMove(to: .interrupted) && !SessionStatus.running.canMove(to: .idle))
    }

    @Test func messagesSentWhileRunningAreQueuedAndRunInOrder() async throws {
        let slow = GatedTool(output: "slow done")
        let model = try scripted(#"""
        [{"tool_use": [{"name": "slow", "input": {}}]}, {"text": "first done"}, {"text": "second done"}, {"text": "third done"}]
        """#)
        let h = try await ServiceHarness(model: model, tools: [slow.tool])
        defer { Task { await h.finish() } }
        let s = try await h.service.create(SessionRequest())
        _ = try await h.service.send(s.id, Message.user("first"))
        await slow.entered.wait()
        #expect(try await h.service.send(s.id, Message.user("second")) == .queued(position: 1))
        #expect(try await h.service.send(s.id, Message.user("third")) == .queued(position: 2))
        #expect(try await h.service.session(s.id).queue.count == 2)
        slow.release.open()
        try await eventually("both queued messages ran") {
            try await h.service.messages(s.id).last?.text == "third done"
        }
        try await h.waitFor(s.id, .completed)
        let userTexts = try await h.service.messages(s.id).filter { $0.role == .user }.map(\.text).filter { !$0.isEmpty }
        #expect(userTexts == ["first", "second", "third"])
        #expect(try await h.service.session(s.id).queue.isEmpty)

    }

    @Test func aSessionThatRejectsMessagesWhileRunningSaysBusy() async throws {
        let slow = GatedTool()
        let h = try await ServiceHarness(model: try scripted(#"[{"tool_use": [{"name": "slow", "input": {}}]}, {"text": "done"}]"#),
                                         tools: [slow.tool])
        defer { Task { await h.finish() } }
        let strict = try await h.service.create(SessionRequest(configuration: ["message_policy": "reject"]))
        _ = try await h.service.send(strict.id, Message.user("one"))
        await slow.entered.wait()
        await #expect(throws: SessionError.busy(id: strict.id)) { try await h.service.send(strict.id, Message.user("two")) }
        slow.release.open()
        try await h.waitFor(strict.id, .completed)
        #expect(!(try await h.service.messages(strict.id).contains { $0.text == "two" }))
    }

    @Test func cleanUpDeletesOldEndedSessionsAndClearHistoryKeepsNumbering() async throws {
        let h = try await ServiceHarness(model: try scripted(#"[{"text": "a"}, {"text": "b"}]"#))
        defer { Task { await h.finish() } }
        let s = try await h.service.create(SessionRequest())
        _ = try await h.service.send(s.id, Message.user("one"))
        try await h.waitFor(s.id, .completed)
        let before = try await h.service.session(s.id).lastSeq
        try await h.service.clearHistory(s.id)
        #expect(try await h.service.messages(s.id).isEmpty)
        let after = try await h.service.events(s.id)
        #expect(after.map(\.type) == ["history_cleared"])
        #expect(after.first?.seq == before + 1)
        _ = try await h.service.send(s.id, Message.user("two"))
        try await h.waitFor(s.id, .completed)
        #expect(try await h.service.messages(s.id).map(\.text) == ["two", "b"])

        let other = try await h.service.create(SessionRequest())
        #expect(try await h.service.cleanUp(olderThanDays: 1).isEmpty)
        let deleted = try await h.service.cleanUp(olderThanDays: 0)
        #expect(Set(deleted) == [s.id, other.id])
        #expect(try await h.service.list(SessionQuery()).total == 0)
    }

    @Test func anInactiveSessionTimesOutAndFreesItsEnvironment() async throws {
        let h = try await ServiceHarness(model: try scripted(#"[{"text": "hi"}]"#), tools: [], configure: { $0.inactivityTimeout = 0.3 })
        defer { Task { await h.finish() } }
        let idle = try await h.service.create(SessionRequest())
        let used = try await h.service.create(SessionRequest())
        _ = try await h.service.send(used.id, Message.user("hello"))
        try await h.waitFor(used.id, .completed)
        #expect(h.environments.liveCount == 1)
        let timedOut = try await h.waitFor(idle.id, .timeout)
        #expect(timedOut.statusReason?.contains("no activity") == true)
        try await eventually("the completed session's environment is freed") { h.environments.liveCount == 0 }
        #expect(try await h.service.session(used.id).status == .completed)
    }
}

/// Waits until `condition` holds; records an issue naming `what` and throws when `timeout` seconds pass first.
func eventually(_ what: String, timeout: Double = 10, _ condition: () async throws -> Bool) async throws {
    guard try await pollUntil(timeout: .seconds(timeout), every: .milliseconds(10), condition) else {
        Issue.record("timed out waiting until \(what)")
        throw CancellationError()
    }
}
