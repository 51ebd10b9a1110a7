import AgentCore
import AgentStore
import AgentTesting
import Foundation
import Synchronization
import Testing

/// Pause, resume, stop, approvals and budgets, live and across a restart of the service.
@Suite(.timeLimit(.minutes(1)))
struct SessionControlTests {
    /// A tool that records its calls and waits at a gate the test opens.
    final class HeldTool: Sendable {
        /// `cancelled` opens when the held call's task is cancelled (a stop reached it).
        let entered = Gate(), release = Gate(), cancelled = Gate()
        let calls = Mutex<[String]>([])
        var tool: ClosureTool {
            ClosureTool("step") { [self] input in
                let word = input["word"]?.stringValue ?? ""
                calls.withLock { $0.append(word) }
                if word == "hold" {
                    entered.open()
                    await withTaskCancellationHandler { await release.wait() } onCancel: { cancelled.open() }
                }
                return ToolOutput(output: "did \(word)")
            }
        }
        var ran: [String] { calls.withLock { $0 } }
    }

    static let twoSteps = #"""
    [{"tool_use": [{"name": "step", "input": {"word": "hold"}}, {"name": "step", "input": {"word": "after"}}]},
     {"text": "all done"}]
    """#

    /// Starts a session on `twoSteps`, pauses it during the first call and waits until the agent parks.
    static func pausedDuringFirstCall(_ h: ServiceHarness, _ held: HeldTool) async throws -> SessionRecord {
        let s = try await h.service.create(SessionRequest())
        _ = try await h.service.send(s.id, Message.user("go"))
        await held.entered.wait()
        #expect(try await h.service.pause(s.id).status == .paused)
        held.release.open()
        try await eventually("the agent parks at the pause") {
            try await h.service.events(s.id).contains { $0.type == "paused" }
        }
        return s
    }

    @Test func pauseTakesEffectBeforeTheNextActionAndResumeFinishes() async throws {
        let held = HeldTool()
        let h = try await ServiceHarness(model: try scripted(Self.twoSteps), tools: [held.tool])
        defer { Task { await h.finish() } }
        let s = try await Self.pausedDuringFirstCall(h, held)
        #expect(held.ran == ["hold"])  // the second call waits for the resume
        #expect(try await h.service.resume(s.id).status == .running)
        try await h.waitFor(s.id, .completed)
        #expect(held.ran == ["hold", "after"])
    }

    @Test func aPauseSurvivesARestartAndResumeRunsTheCallsThatNeverStarted() async throws {
        let held = HeldTool()
        let h = try await ServiceHarness(model: try scripted(Self.twoSteps), tools: [held.tool])
        let s = try await Self.pausedDuringFirstCall(h, held)
        let after = HeldTool()
        let model = try scripted(#"[{"text": "finished after restart"}]"#)
        let h2 = try await h.restarted(model: model, tools: [after.tool])
        defer { Task { await h2.finish() } }
        #expect(try await h2.service.session(s.id).status == .paused)
        _ = try await h2.service.resume(s.id)
        try await h2.waitFor(s.id, .completed)
        #expect(after.ran == ["after"])  // "hold" finished before the restart and is not run again
        let messages = try await h2.service.messages(s.id)
        #expect(pairingProblems(messages).isEmpty)
        #expect(messages.last?.text == "finished after restart")
        let results = messages[2].content.compactMap { b -> ToolResultBlock? in if case .toolResult(let r) = b { r } else { nil } }
        #expect(results.map(\.content) == [[.text("did hold")], [.text("did after")]])
    }

    @Test func stopEndsTheRunNowAndAnswersEveryCall() async throws {
        let held = HeldTool()
        let h = try await ServiceHarness(model: try scripted(Self.twoSteps), tools: [held.tool])
        defer { Task { await h.finish() } }
        let s = try await h.service.create(SessionRequest())
        _ = try await h.service.send(s.id, Message.user("go"))
        await held.entered.wait()
        let stopping = Task { try await h.service.stop(s.id) }
        await held.cancelled.wait()  // the stop has reached the running call
        held.release.open()
        let stopped = try await stopping.value
        #expect(stopped.status == .stopped)
        #expect(pairingProblems(try await h.service.messages(s.id)).isEmpty)
        #expect(try await h.service.toolExecutions(s.id).map(\.status).contains(.skipped))
    }

    @Test func anApprovalRuleHoldsTheCallWithItsActionUntilApproved() async throws {
        let held = HeldTool()
        let model = try scripted(#"""
        [{"tool_use": [{"name": "step", "input": {"word": "risky"}}]}, {"tool_use": [{"name": "step", "input": {"word": "again"}}]},
         {"text": "done"}]
        """#)
        let h = try await ServiceHarness(model: model, tools: [held.tool])
        defer { Task { await h.finish() } }
        let s = try await h.service.create(SessionRequest(configuration: ["approval_policy": [["tool": "step"]]]))
        _ = try await h.service.send(s.id, Message.user("go"))
        let waiting = try await h.waitFor(s.id, .awaitingApproval)
        let pending = try #require(waiting.pendingApproval)
        #expect(pending.call.input["word"] == "risky")
        #expect(pending.reason == "approval required for step")
        #expect(held.ran.isEmpty)
        await #expect(throws: SessionError.unknownApproval(id: s.id, approvalID: "toolu_other")) {
            try await h.service.approve(s.id, toolUseID: "toolu_other")
        }
        _ = try await h.service.approve(s.id, toolUseID: pending.call.id)
        let second = try await h.waitFor(s.id, .awaitingApproval)
        #expect(held.ran == ["risky"])
        _ = try await h.service.deny(s.id, message: "not that one")
        try await h.waitFor(s.id, .completed)
        #expect(held.ran == ["risky"])
        let messages = try await h.service.messages(s.id)
        let denial = messages[4].content.compactMap { b -> ToolResultBlock? in if case .toolResult(let r) = b { r } else { nil } }
        #expect(denial.first?.isError == true)
        #expect(denial.first?.content == [.text("The user denied this action: not that one")])
        #expect(second.pendingApproval?.call.input["word"] == "again")
        let resolved = try await h.service.events(s.id).filter { $0.type == "approval_resolved" }.map { $0.data["approved"] }
        #expect(resolved == [true, false])
    }

    @Test func aPendingApprovalCarriesTheLatestScreenshot() async throws {
        let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 1, 2, 3, 4]
        let shoot = ClosureTool("shoot") { _ in ToolOutput(image: ToolImage(data: png)) }
        let model = try scripted(#"""
        [{"tool_use": [{"name": "shoot", "input": {"action": "screenshot"}}]},
         {"tool_use": [{"name": "shoot", "input": {"action": "type", "text": "hunter2"}}]}, {"text": "done"}]
        """#)
        let h = try await ServiceHarness(model: model, tools: [shoot])
        defer { Task { await h.finish() } }
        let s = try await h.service.create(SessionRequest(configuration: ["approval_policy": [["actions": ["type"]]]]))
        _ = try await h.service.send(s.id, Message.user("go"))
        let waiting = try await h.waitFor(s.id, .awaitingApproval)
        let pending = try #require(waiting.pendingApproval)
        #expect(pending.call.input["action"] == "type")
        #expect(pending.screenshot?.sha256 == SHA256.hex(png))
        #expect(try await h.store.image(sha256: SHA256.hex(png))?.data == png)
        let requested = try await h.service.events(s.id).last { $0.type == "approval_requested" }
        #expect(requested?.data["screenshot"]?["sha256"] == .string(SHA256.hex(png)))
        _ = try await h.service.deny(s.id)
        try await h.waitFor(s.id, .completed)
    }

    @Test func aPendingApprovalSurvivesARestart() async throws {
        let h = try await ServiceHarness(
            model: try scripted(#"[{"tool_use": [{"name": "step", "input": {"word": "risky"}}]}]"#), tools: [HeldTool().tool])
        let s = try await h.service.create(SessionRequest(configuration: ["approval_policy": [["tool": "step"]]]))
        _ = try await h.service.send(s.id, Message.user("go"))
        try await h.waitFor(s.id, .awaitingApproval)
        let after = HeldTool()
        let h2 = try await h.restarted(model: try scripted(#"[{"text": "approved and done"}]"#), tools: [after.tool])
        defer { Task { await h2.finish() } }
        let restored = try await h2.service.session(s.id)
        #expect(restored.status == .awaitingApproval)
        #expect(restored.pendingApproval?.call.input["word"] == "risky")
        _ = try await h2.service.approve(s.id)
        try await h2.waitFor(s.id, .completed)
        #expect(after.ran == ["risky"])
        #expect(pairingProblems(try await h2.service.messages(s.id)).isEmpty)
    }

    @Test func aSoftBudgetAsksOnceAndAHardCapStops() async throws {
        let held = HeldTool()
        let model = try scripted(#"""
        [{"tool_use": [{"name": "step", "input": {"word": "one"}}], "usage": {"input_tokens": 600, "output_tokens": 10}},
         {"tool_use": [{"name": "step", "input": {"word": "two"}}], "usage": {"input_tokens": 300, "output_tokens": 10}},
         {"tool_use": [{"name": "step", "input": {"word": "three"}}], "usage": {"input_tokens": 300, "output_tokens": 10}},
         {"text": "never reached"}]
        """#)
        let h = try await ServiceHarness(model: model, tools: [held.tool])
        defer { Task { await h.finish() } }
        let s = try await h.service.create(SessionRequest(configuration: ["budget": ["soft_tokens": 500, "hard_tokens": 1200]]))
        _ = try await h.service.send(s.id, Message.user("go"))
        let asked = try await h.waitFor(s.id, .awaitingApproval)
        #expect(asked.pendingApproval?.reason.hasPrefix("budget:") == true)
        _ = try await h.service.approve(s.id)
        let stopped = try await h.waitFor(s.id, .stopped)
        #expect(stopped.statusReason == "the session used 1230 tokens of its 1200 token budget")
        #expect(held.ran == ["one", "two"])  // asked once; the third call never ran
        #expect(pairingProblems(try await h.service.messages(s.id)).isEmpty)
    }
}
