import AgentCore
import AgentTesting
import Synchronization
import Testing

/// Continuing a restored conversation, and instructions given on resume.
@Suite(.timeLimit(.minutes(1)))
struct AgentContinueTests {
    func script(_ json: String) throws -> ScriptedModelClient {
        try ScriptedModelClient(script: JSONValue(parsing: json))
    }

    static func call(_ id: String, _ word: String) -> ContentBlock {
        .toolUse(ToolUseBlock(id: id, name: "echo", input: ["word": .string(word)]))
    }

    @Test func continueRunRunsOnlyTheCallsWithoutAResultAndSendsResultsInCallOrder() async throws {
        let ran = Mutex<[String]>([])
        let echo = ClosureTool("echo") { input in
            let word = input["word"]?.stringValue ?? ""
            ran.withLock { $0.append(word) }
            return ToolOutput(output: "echo: \(word)")
        }
        let restored = [
            Message.user("say three words"),
            Message(role: .assistant, content: [Self.call("t1", "one"), Self.call("t2", "two"), Self.call("t3", "three")]),
        ]
        let model = try script(#"[{"text": "All three said."}]"#)
        let agent = Agent(model: model, tools: ToolSet([echo]), messages: restored)
        let known = ContentBlock.toolResult(ToolResultBlock(toolUseID: "t2", content: [.text("echo: two (stored)")]))
        let events = await collect(await agent.continueRun(completed: [known]))

        #expect(ran.withLock { $0 } == ["one", "three"])
        #expect(events.finish?.kind == .endTurn)
        let request = try #require(model.requests.first)
        let results = request.messages[2].content.compactMap { b -> ToolResultBlock? in
            if case .toolResult(let r) = b { r } else { nil }
        }
        #expect(results.map(\.toolUseID) == ["t1", "t2", "t3"])
        #expect(results[1].content == [.text("echo: two (stored)")])
        #expect(pairingProblems(await agent.messages).isEmpty)
        #expect(!events.types.contains("user_message"))
    }

    @Test func continueRunAfterAUserTurnCallsTheModelAndAnEndedTurnHasNothingToDo() async throws {
        let model = try script(#"[{"text": "Answer."}]"#)
        let agent = Agent(model: model, tools: ToolSet(), messages: [Message.user("question")])
        let events = await collect(await agent.continueRun())
        #expect(events.finish?.kind == .endTurn)
        #expect(model.requests.count == 1)
        #expect(await agent.messages.last?.text == "Answer.")

        let again = await collect(await agent.continueRun())
        #expect(again.finish?.kind == .endTurn)
        #expect(model.requests.count == 1)  // the model is not asked to continue its own finished turn

        let empty = Agent(model: model, tools: ToolSet())
        #expect(await collect(await empty.continueRun()).finish?.kind == .error)
    }

    @Test func anInstructionGivenOnResumeReachesTheModelAfterTheToolResults() async throws {
        let model = try script(#"[{"tool_use": [{"name": "slow", "input": {}}]}, {"text": "finished"}]"#)
        let (agent, events) = await runUntilPaused(model: model)
        var iterator = events.iterator
        await agent.resume(instruction: "Also tidy up.")
        var rest: [AgentEvent] = []
        while let event = await iterator.next() { rest.append(event) }

        #expect(rest.finish?.kind == .endTurn)
        let request = try #require(model.requests.last)
        let lastUser = try #require(request.messages.last)
        #expect(lastUser.role == .user)
        guard case .toolResult = lastUser.content.first, case .text(let text) = lastUser.content.last else {
            Issue.record("expected the tool result then the instruction, got \(lastUser.content)")
            return
        }
        #expect(text.text == "Also tidy up.")
        #expect(rest.types.contains("user_message"))
        #expect(pairingProblems(await agent.messages).isEmpty)
    }
}
