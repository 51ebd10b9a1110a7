import AgentCore
import AgentTesting
import CommandLineSupport
import Foundation
import Testing
@testable import agentctl

/// The `sessions` verbs that drive and follow a run: send, approve, deny, events, against a real
/// agentd in-process whose model is a script and whose one tool is `note`.
@Suite(.timeLimit(.minutes(1)))
struct SessionsRunTests {
    static let script = #"""
    [{"text": "Running it.", "tool_use": [{"name": "note", "input": {"text": "hello"}}]}, {"text": "All done."}]
    """#

    @Test func sendStreamsTheTurnAndExitsZeroWhenItCompletes() async throws {
        let agentd = try await AgentdHarness(script: Self.script, tools: [ToolLoopResponder.noteTool])
        defer { Task { await agentd.finish() } }
        let id = try await agentd.create()
        let (code, output) = await agentd.agentctl(["sessions", "send", id, "note hello"])
        #expect(code == .success)
        #expect(output.stderr.isEmpty)
        let lines = output.stdout.lines
        #expect(lines == [
            "Running it.",
            #"▶ note {"text":"hello"}"#,
            lines.count > 2 ? lines[2] : "",
            "All done.",
        ])
        #expect(lines.count == 4 && lines[2].hasPrefix("  ✓ ") && lines[2].hasSuffix(" ms: noted: hello"))
        #expect(try await agentd.service.session(id).status == .completed)
    }

    @Test func sendWithJSONPrintsEveryEventAsNDJSON() async throws {
        let agentd = try await AgentdHarness(script: Self.script, tools: [ToolLoopResponder.noteTool])
        defer { Task { await agentd.finish() } }
        let id = try await agentd.create()
        let (code, output) = await agentd.agentctl(["sessions", "send", "--json", id, "note hello"])
        #expect(code == .success)
        let events = try output.stdout.lines.map { try JSONValue(parsing: $0) }
        let types = events.compactMap { $0["type"]?.stringValue }
        #expect(types.contains("text_delta"))
        #expect(types.contains("tool_call_finished"))
        #expect(types.last == "status")
        #expect(events.last?["status"] == "completed")
        // Stored events come once each, in order.
        let seqs = events.filter { $0["live"] != true }.compactMap { $0["seq"]?.intValue }
        #expect(seqs == Array(seqs.sorted()) && Set(seqs).count == seqs.count)
    }

    @Test func sendExitsOneWhenTheRunFails() async throws {
        let failing = #"[{"error": {"type": "invalid_request_error", "message": "scripted failure", "status": 400}}]"#
        let agentd = try await AgentdHarness(script: failing)
        defer { Task { await agentd.finish() } }
        let id = try await agentd.create()
        let (code, output) = await agentd.agentctl(["sessions", "send", id, "fail please"])
        #expect(code == .failure)
        #expect(output.stderr.contains("scripted failure"))
    }

    @Test func sendNoWaitReturnsOnceAccepted() async throws {
        let agentd = try await AgentdHarness(script: Self.script, tools: [ToolLoopResponder.noteTool])
        defer { Task { await agentd.finish() } }
        let id = try await agentd.create()
        let (code, output) = await agentd.agentctl(["sessions", "send", id, "note hello", "--no-wait"])
        #expect(code == .success)
        #expect(output.stdout == "started\n")
        #expect(try await agentd.settle(id) == .completed)
    }

    @Test func sendShowsAWaitingLineUntilAnotherCommandApproves() async throws {
        let agentd = try await AgentdHarness(script: Self.script, tools: [ToolLoopResponder.noteTool])
        defer { Task { await agentd.finish() } }
        let id = try await agentd.create(["--approval", "note"])
        let output = MemoryOutput()
        let send = Task { await agentd.agentctl(["sessions", "send", id, "note hello"], output: output).code }
        let waiting = await pollUntil(timeout: .seconds(20)) { output.stderr.contains("waiting for approval of note") }
        try #require(waiting, "no approval line: \(output.stderr)")
        #expect(output.stderr.contains("agentctl sessions approve \(id)"))
        let approve = await agentd.agentctl(["sessions", "approve", id])
        #expect(approve.code == .success)
        #expect(approve.output.stdout.hasPrefix("approved note (toolu_"))
        #expect(await send.value == .success)
        #expect(output.stdout.contains("noted: hello"))
        #expect(output.stdout.lines.last == "All done.")
    }

    @Test func denyAnswersThePendingCallWithTheMessage() async throws {
        let agentd = try await AgentdHarness(script: Self.script, tools: [ToolLoopResponder.noteTool])
        defer { Task { await agentd.finish() } }
        let id = try await agentd.create(["--approval", "note", "--message", "note hello"])
        #expect(try await agentd.settle(id) == .awaitingApproval)
        let show = await agentd.agentctl(["sessions", "show", id])
        #expect(show.output.stdout.lines.contains { $0.hasPrefix("approval:    note {\"text\":\"hello\"}") })
        let deny = await agentd.agentctl(["sessions", "deny", id, "--message", "not today"])
        #expect(deny.code == .success)
        #expect(deny.output.stdout.hasPrefix("denied note (toolu_"))
        #expect(try await agentd.settle(id) == .completed)
        let events = try await agentd.service.events(id, after: 0, limit: 500)
        let resolved = try #require(events.first { $0.type == "approval_resolved" })
        #expect(resolved.data["approved"] == false)
        #expect(resolved.data["message"] == "not today")
        #expect(try await agentd.service.toolExecutions(id).allSatisfy { $0.output != "noted: hello" })
    }

    @Test func eventsAfterPrintsOneLineEachOrNDJSON() async throws {
        let agentd = try await AgentdHarness(script: Self.script, tools: [ToolLoopResponder.noteTool])
        defer { Task { await agentd.finish() } }
        let id = try await agentd.create(["--message", "note hello"])
        #expect(try await agentd.settle(id) == .completed)
        let last = try await agentd.service.session(id).lastSeq

        let (code, output) = await agentd.agentctl(["sessions", "events", id, "--after", "3"])
        #expect(code == .success)
        let lines = output.stdout.lines
        #expect(lines.count == last - 3)
        #expect(lines.first?.hasPrefix("    4  ") == true)
        #expect(lines.contains { $0.contains("tool_call_started") && $0.hasSuffix(#"note {"text":"hello"}"#) })
        #expect(lines.contains { $0.contains("tool_call_finished") && $0.hasSuffix("ms: noted: hello") })
        #expect(lines.last?.contains("running → completed") == true)

        let json = await agentd.agentctl(["sessions", "events", id, "--after", "3", "--json"])
        let seqs = try json.output.stdout.lines.map { try JSONValue(parsing: $0)["seq"]?.intValue ?? 0 }
        #expect(seqs == Array(4...last))
    }

    @Test func eventsFollowPrintsLiveEventsAndEndsWithTheRun() async throws {
        let gated = GatedTool(name: "slow", output: "slow done")
        let script = #"[{"text": "Waiting.", "tool_use": [{"name": "slow", "input": {}}]}, {"text": "Finished."}]"#
        let agentd = try await AgentdHarness(script: script, tools: [gated.tool])
        defer { Task { await agentd.finish() } }
        let id = try await agentd.create(["--message", "go slowly"])
        await gated.entered.wait()
        let output = MemoryOutput()
        let follow = Task { await agentd.agentctl(["sessions", "events", id, "--follow"], output: output).code }
        let started = await pollUntil(timeout: .seconds(20)) { output.stdout.contains("tool_call_started") }
        try #require(started, "nothing followed: \(output.stdout) \(output.stderr)")
        #expect(!output.stdout.contains("slow done"))
        gated.release.open()
        #expect(await follow.value == .success)
        let lines = output.stdout.lines
        #expect(lines.contains { $0.contains("tool_call_finished") && $0.hasSuffix("ms: slow done") })
        #expect(lines.last?.contains("status") == true && lines.last?.contains("→ completed") == true)
        #expect(lines.first?.hasPrefix("    1  ") == true)
    }

    @Test func eventsFollowOnAnEndedSessionPrintsTheLogAndReturns() async throws {
        let agentd = try await AgentdHarness(script: Self.script, tools: [ToolLoopResponder.noteTool])
        defer { Task { await agentd.finish() } }
        let id = try await agentd.create(["--message", "note hello"])
        #expect(try await agentd.settle(id) == .completed)
        let (code, output) = await agentd.agentctl(["sessions", "events", id, "--follow", "--json"])
        #expect(code == .success)
        #expect(output.stdout.lines.count == (try await agentd.service.session(id).lastSeq))
    }

    @Test func stopThenResumeASessionWaitingForApproval() async throws {
        let agentd = try await AgentdHarness(script: Self.script, tools: [ToolLoopResponder.noteTool])
        defer { Task { await agentd.finish() } }
        let id = try await agentd.create(["--approval", "note", "--message", "note hello"])
        #expect(try await agentd.settle(id) == .awaitingApproval)
        let stop = await agentd.agentctl(["sessions", "stop", id])
        #expect(stop.code == .success)
        #expect(stop.output.stdout == "\(id) is stopped\n")
        let resume = await agentd.agentctl(["sessions", "resume", id, "--instruction", "carry on", "--json"])
        #expect(resume.code == .success)
        #expect(try JSONValue(parsing: resume.output.stdout)["id"]?.stringValue == id)
        #expect(try await agentd.settle(id).isEnded)
    }
}
