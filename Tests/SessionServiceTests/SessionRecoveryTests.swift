import AgentCore
import AgentStore
import AgentTesting
import Foundation
import Testing

/// What a restarted service does with sessions a stopped daemon left behind.
@Suite(.timeLimit(.minutes(1)))
struct SessionRecoveryTests {
    @Test func aRunningSessionBecomesInterruptedAndResumesWithoutRerunningTheStartedCall() async throws {
        let h = try await ServiceHarness(model: try scripted("[]"))
        let s = try await h.service.create(SessionRequest())
        // What a daemon killed in the middle of a tool call leaves in the store.
        var record = try await h.service.session(s.id)
        record.status = .running
        let call = ToolCall(id: "toolu_1", name: "step", input: ["word": "rm -rf build"])
        _ = try await h.store.commit(SessionWrite(
            sessionID: s.id, record: record,
            events: [NewSessionEvent(type: "tool_call_started", time: 1, data: ["tool_use_id": "toolu_1"])],
            messages: [(0, Message.user("clean up")),
                       (1, Message(role: .assistant, content: [.toolUse(ToolUseBlock(id: "toolu_1", name: "step", input: call.input)),
                                                             .toolUse(ToolUseBlock(id: "toolu_2", name: "step", input: ["word": "ls"]))]))],
            toolExecutions: [ToolExecution(sessionID: s.id, call: call, status: .running, startedAt: 1)]))

        let ran = Counter()
        let step = ClosureTool("step") { _ in ran.add(1); return ToolOutput(output: "ran") }
        let model = try scripted(#"[{"text": "I will check what happened."}]"#)
        let h2 = try await h.restarted(model: model, tools: [step])
        defer { Task { await h2.finish() } }
        let interrupted = try await h2.service.session(s.id)
        #expect(interrupted.status == .interrupted)
        #expect(try await h2.service.toolExecutions(s.id).first?.status == .interrupted)
        #expect(try await h2.service.events(s.id).contains { $0.type == "interrupted" })

        _ = try await h2.service.resume(s.id)
        try await h2.waitFor(s.id, .completed)
        #expect(ran.value == 0)  // neither the uncertain call nor the one after it is re-run silently
        let request = try #require(model.requests.first)
        #expect(pairingProblems(request.messages).isEmpty)
        let results = request.messages[2].content.compactMap { b -> ToolResultBlock? in if case .toolResult(let r) = b { r } else { nil } }
        #expect(results.map(\.isError) == [true, true])
        #expect(results.first?.content.first.flatMap { if case .text(let t) = $0 { t.text } else { nil } }?.hasPrefix("interrupted:") == true)
    }

    @Test func aGracefulShutdownInterruptsRunningSessionsAndTheyResume() async throws {
        let entered = Gate()
        let sleepy = ClosureTool("step") { _ in
            entered.open()
            try await Task.sleep(for: .seconds(60))
            return ToolOutput(output: "slept")
        }
        let h = try await ServiceHarness(model: try scripted(#"[{"tool_use": [{"name": "step", "input": {}}]}]"#), tools: [sleepy])
        let s = try await h.service.create(SessionRequest())
        _ = try await h.service.send(s.id, Message.user("go"))
        await entered.wait()
        let model = try scripted(#"[{"text": "resumed"}]"#)
        let h2 = try await h.restarted(model: model, tools: [])
        defer { Task { await h2.finish() } }
        #expect(try await h2.service.session(s.id).status == .interrupted)
        _ = try await h2.service.resume(s.id)
        try await h2.waitFor(s.id, .completed)
        #expect(pairingProblems(try await h2.service.messages(s.id)).isEmpty)
    }

    @Test func aStoreThatFailsEndsTheRunAndNothingUnstoredIsReported() async throws {
        let slow = GatedTool(name: "step")
        var flaky: FlakyStore?
        let h = try await ServiceHarness(
            model: try scripted(#"[{"tool_use": [{"name": "step", "input": {}}]}, {"text": "never"}]"#), tools: [slow.tool],
            wrapStore: { base in
                let store = FlakyStore(base)
                flaky = store
                return store
            })
        let store = try #require(flaky)
        let s = try await h.service.create(SessionRequest())
        let subscription = try await h.service.subscribe(s.id)
        _ = try await h.service.send(s.id, Message.user("go"))
        await slow.entered.wait()
        store.failsCommits = true
        slow.release.open()
        let afterStop = try await h.service.stop(s.id)  // returns once the run has ended
        #expect(afterStop.status == .running)  // its end could not be stored, so none is reported
        subscription.cancel()
        var seen: [Int] = []
        for await item in subscription { if case .event(let e) = item, !e.isLive { seen.append(e.seq) } }
        let stored = try await h.store.events(sessionID: s.id, after: 0, limit: 1000).map(\.seq)
        #expect(Set(seen).isSubset(of: Set(stored)))
        #expect(!(try await h.store.toolExecutions(sessionID: s.id)).contains { $0.status == .succeeded })

        store.failsCommits = false
        let model = try scripted(#"[{"text": "recovered"}]"#)
        let h2 = try await h.restarted(model: model)
        defer { Task { await h2.finish() } }
        #expect(try await h2.service.session(s.id).status == .interrupted)
        _ = try await h2.service.resume(s.id)
        try await h2.waitFor(s.id, .completed)
        #expect(pairingProblems(try await h2.service.messages(s.id)).isEmpty)
    }

    @Test func subscribersResumeFromAnySeqWithNoGapOrDuplicate() async throws {
        let echo = ClosureTool("echo") { _ in ToolOutput(output: "ok") }
        var turns: [String] = []
        for i in 0..<20 { turns.append(#"{"tool_use": [{"name": "echo", "input": {"n": \#(i)}}]}"#) }
        turns.append(#"{"text": "done"}"#)
        let h = try await ServiceHarness(model: try scripted("[" + turns.joined(separator: ",") + "]"), tools: [echo])
        defer { Task { await h.finish() } }
        let s = try await h.service.create(SessionRequest())
        _ = try await h.service.send(s.id, Message.user("go"))
        // Subscribers join from different points while the run produces events.
        let results = try await withThrowingTaskGroup(of: (Int, [Int]).self) { group in
            for start in stride(from: 0, through: 60, by: 3) {
                group.addTask {
                    var seqs: [Int] = []
                    for await item in try await h.service.subscribe(s.id, after: start) {
                        guard case .event(let event) = item else { break }
                        if event.isLive { continue }
                        seqs.append(event.seq)
                        if event.type == "status", event.data["status"] == "completed" { break }
                    }
                    return (start, seqs)
                }
            }
            var all: [(Int, [Int])] = []
            for try await result in group { all.append(result) }
            return all
        }
        let last = try await h.service.session(s.id).lastSeq
        for (start, seqs) in results {
            #expect(seqs == Array((start + 1)...last), "subscriber from \(start)")
        }
    }
}
