import AgentCore
import AgentTesting
import Synchronization
import Testing

@Suite(.timeLimit(.minutes(1)))
struct AgentLoopTests {
    func script(_ json: String) throws -> ScriptedModelClient {
        try ScriptedModelClient(script: JSONValue(parsing: json))
    }

    @Test func runsToolCallsInOrderAndPairsEveryResult() async throws {
        let order = Mutex<[String]>([])
        let echo = ClosureTool("echo") { input in
            let word = input["word"]?.stringValue ?? ""
            order.withLock { $0.append(word) }
            return ToolOutput(output: "echo: \(word)")
        }
        let model = try script(#"""
        [{"text": "Two calls.", "tool_use": [{"name": "echo", "input": {"word": "one"}}, {"name": "echo", "input": {"word": "two"}}]},
         {"text": "All done."}]
        """#)
        let agent = Agent(model: model, tools: ToolSet([echo]))
        let events = await collect(await agent.run("say two words"))

        #expect(order.withLock { $0 } == ["one", "two"])
        #expect(events.finish?.kind == .endTurn)
        #expect(events.types.prefix(2) == ["user_message", "turn_started"])
        #expect(events.types.last == "finished")
        let messages = await agent.messages
        #expect(messages.count == 4)
        #expect(pairingProblems(messages).isEmpty)
        guard case .toolResult(let first) = messages[2].content[0] else { Issue.record("no tool_result"); return }
        #expect(first.content == [.text("echo: one")])
        #expect(!first.isError)
        #expect(messages[3].text == "All done.")
        // The second request carried the tool results back to the model.
        #expect(model.requests.count == 2)
        #expect(model.requests[1].messages.count == 3)
    }

    @Test func unknownToolAndToolErrorsBecomeErrorResultsAndTheTurnGoesOn() async throws {
        let failing = ClosureTool("fail") { _ in throw ToolError("disk is full") }
        let model = try script(#"""
        [{"tool_use": [{"name": "nope", "input": {}}, {"name": "fail", "input": {}}]}, {"text": "ok"}]
        """#)
        let agent = Agent(model: model, tools: ToolSet([failing]))
        let events = await collect(await agent.run("try"))
        #expect(events.finish?.kind == .endTurn)
        let results = await agent.messages[2].content.compactMap { b -> ToolResultBlock? in
            if case .toolResult(let r) = b { r } else { nil }
        }
        #expect(results.map(\.isError) == [true, true])
        #expect(results[0].content == [.text("Tool nope is invalid")])
        #expect(results[1].content == [.text("disk is full")])
        #expect(ContentBlock.toolResult(results[0]).json["content"] == .string("Tool nope is invalid"))  // errors go out as plain text
    }

    @Test func maxStepsEndsTheRunAndAnswersTheDanglingCall() async throws {
        let noop = ClosureTool("noop") { _ in ToolOutput(output: "done") }
        let model = try script(#"""
        [{"tool_use": [{"name": "noop", "input": {"n": 1}}]}, {"tool_use": [{"name": "noop", "input": {"n": 2}}]},
         {"tool_use": [{"name": "noop", "input": {"n": 3}}]}]
        """#)
        let agent = Agent(model: model, tools: ToolSet([noop]),
                          configuration: AgentConfiguration(limits: AgentLimits(maxSteps: 2)))
        let events = await collect(await agent.run("loop"))
        #expect(events.finish?.kind == .maxSteps)
        #expect(model.requests.count == 2)
        #expect(pairingProblems(await agent.messages).isEmpty)
    }

    @Test func tokenBudgetStopsBeforeRunningMoreTools() async throws {
        let ran = Mutex(0)
        let noop = ClosureTool("noop") { _ in ran.withLock { $0 += 1 }; return ToolOutput(output: "x") }
        let model = try script(#"""
        [{"tool_use": [{"name": "noop", "input": {}}], "usage": {"input_tokens": 600, "output_tokens": 10}},
         {"tool_use": [{"name": "noop", "input": {"again": true}}], "usage": {"input_tokens": 700, "output_tokens": 10}}]
        """#)
        let agent = Agent(model: model, tools: ToolSet([noop]),
                          configuration: AgentConfiguration(limits: AgentLimits(tokenBudget: 1000)))
        let events = await collect(await agent.run("spend"))
        #expect(events.finish?.kind == .tokenBudget)
        #expect(ran.withLock { $0 } == 1)
        #expect(pairingProblems(await agent.messages).isEmpty)
        let totals = events.compactMap { e -> Usage? in if case .usage(_, let total) = e { total } else { nil } }
        #expect(totals.last?.totalTokens == 1320)
    }

    @Test func stopDuringAToolInterruptsItAndKeepsTheConversationValid() async throws {
        let started = Gate()
        let blocking = ClosureTool("block") { _ in
            started.open()
            try await Task.sleep(for: .seconds(3600))  // ends only by cancellation
            return ToolOutput(output: "never")
        }
        let model = try script(#"[{"tool_use": [{"name": "block", "input": {}}, {"name": "block", "input": {"second": true}}]}]"#)
        let agent = Agent(model: model, tools: ToolSet([blocking]))
        let stream = await agent.run("block")
        async let events = collect(stream)
        await started.wait()
        await agent.stop()
        let all = await events
        #expect(all.finish?.kind == .stopped)
        let messages = await agent.messages
        #expect(pairingProblems(messages).isEmpty)
        #expect(messages.last?.content.count == 2)
        #expect(await agent.isRunning == false)
    }

    @Test func pauseWaitsBeforeTheNextActionAndResumeContinues() async throws {
        let model = try script(#"[{"tool_use": [{"name": "slow", "input": {}}]}, {"text": "finished"}]"#)
        let (agent, events) = await runUntilPaused(model: model)
        var iterator = events.iterator
        var seen = events.seen
        // Paused after the tool finished and before the next model call.
        #expect(model.requests.count == 1)
        #expect(seen.contains("tool_results"))
        await agent.resume()
        while let event = await iterator.next() { seen.append(event.type) }
        #expect(seen.suffix(6).contains("resumed"))
        #expect(seen.last == "finished")
        #expect(model.requests.count == 2)
    }

    @Test func approvalHookDeniesWithAMessageToTheModel() async throws {
        let ran = Mutex<[String]>([])
        let tool = ClosureTool("act") { input in
            ran.withLock { $0.append(input["what"]?.stringValue ?? "") }
            return ToolOutput(output: "did it")
        }
        let hook = ClosureApprovalHook { call in
            call.input["what"] == "rm -rf /" ? .deny(message: "The user refused: too dangerous.") : .allow
        }
        let model = try script(#"""
        [{"tool_use": [{"name": "act", "input": {"what": "rm -rf /"}}, {"name": "act", "input": {"what": "ls"}}]}, {"text": "ok"}]
        """#)
        let agent = Agent(model: model, tools: ToolSet([tool]), approval: hook)
        let events = await collect(await agent.run("do things"))
        #expect(ran.withLock { $0 } == ["ls"])
        #expect(events.contains { if case .toolCallSkipped(_, let r) = $0 { r == "The user refused: too dangerous." } else { false } })
        guard case .toolResult(let denied) = await agent.messages[2].content[0] else { Issue.record("no result"); return }
        #expect(denied.isError && denied.content == [.text("The user refused: too dangerous.")])
    }

    @Test func stallGuardEndsARunThatRepeatsItselfWithoutAskingTheModelAgain() async throws {
        let screen = ClosureTool("look") { _ in ToolOutput(output: nil, image: ToolImage(data: [1, 2, 3])) }
        let turn = #"{"tool_use": [{"name": "look", "input": {"action": "screenshot"}}]}"#
        let model = try script("[" + Array(repeating: turn, count: 10).joined(separator: ",") + "]")
        let agent = Agent(model: model, tools: ToolSet([screen]),
                          configuration: AgentConfiguration(stallThreshold: 4))
        let events = await collect(await agent.run("watch"))
        #expect(events.finish?.kind == .stalled)
        #expect(model.requests.count == 4)
        #expect(pairingProblems(await agent.messages).isEmpty)
    }

    @Test func timeoutEndsARunStuckInATool() async throws {
        let stuck = ClosureTool("stuck") { _ in
            try await Task.sleep(for: .seconds(3600))
            return ToolOutput()
        }
        let model = try script(#"[{"tool_use": [{"name": "stuck", "input": {}}]}]"#)
        let agent = Agent(model: model, tools: ToolSet([stuck]),
                          configuration: AgentConfiguration(limits: AgentLimits(timeout: 0.2)))
        let clock = ContinuousClock()
        let start = clock.now
        let events = await collect(await agent.run("wait"))
        #expect(events.finish?.kind == .timeout)
        #expect(clock.now - start < .seconds(45))
        #expect(pairingProblems(await agent.messages).isEmpty)
    }

    @Test func stopReasonsPauseTurnRefusalAndIncompleteToolCall() async throws {
        let ran = Mutex(0)
        let tool = ClosureTool("t") { _ in ran.withLock { $0 += 1 }; return ToolOutput(output: "x") }
        let model = try script(#"""
        [{"text": "thinking on the server", "stop_reason": "pause_turn"},
         {"text": "I can't help with that.", "stop_reason": "refusal"}]
        """#)
        let agent = Agent(model: model, tools: ToolSet([tool]))
        let events = await collect(await agent.run("x"))
        #expect(model.requests.count == 2)  // pause_turn continued
        #expect(events.finish?.kind == .refusal)

        // max_tokens cut a tool call: it is reported, never run, and dropped from the conversation.
        struct CutClient: ModelClient {
            func send(_ request: MessageRequest) -> AsyncThrowingStream<ModelStreamEvent, any Error> {
                AsyncThrowingStream { c in
                    c.yield(.completed(MessageResponse(
                        id: "m", model: request.model,
                        content: [.text("partial"), .toolUse(ToolUseBlock(id: "toolu_cut", name: "t", input: [:]))],
                        stopReason: .maxTokens, incompleteToolUses: [1])))
                    c.finish()
                }
            }
        }
        let cut = Agent(model: CutClient(), tools: ToolSet([tool]))
        let cutEvents = await collect(await cut.run("y"))
        #expect(cutEvents.finish?.kind == .maxTokens)
        #expect(ran.withLock { $0 } == 0)
        #expect(cutEvents.contains { if case .toolCallSkipped(let c, _) = $0 { c.id == "toolu_cut" } else { false } })
        #expect(await cut.messages.last?.toolUses.isEmpty == true)
    }

    @Test func aBrokenStreamIsRetriedAsAWholeTurnAndTheRetryIsVisible() async throws {
        final class FlakyClient: ModelClient {
            let calls = Mutex(0)
            func send(_ request: MessageRequest) -> AsyncThrowingStream<ModelStreamEvent, any Error> {
                let n = calls.withLock { $0 += 1; return $0 }
                return AsyncThrowingStream { c in
                    c.yield(.textDelta(index: 0, text: n == 1 ? "partial " : "whole"))
                    if n == 1 {
                        c.finish(throwing: ModelError(kind: .overloaded, message: "Overloaded", status: 200, duringStream: true))
                    } else {
                        c.yield(.completed(MessageResponse(id: "m", model: "x", content: [.text("whole")], stopReason: .endTurn)))
                        c.finish()
                    }
                }
            }
        }
        let client = FlakyClient()
        let agent = Agent(model: client, tools: ToolSet())
        let events = await collect(await agent.run("hi"))
        #expect(events.finish?.kind == .endTurn)
        #expect(client.calls.withLock { $0 } == 2)
        let retries = events.compactMap { e -> RetryNotice? in if case .retrying(let n) = e { n } else { nil } }
        #expect(retries.count == 1)
        #expect(retries.first?.reason.contains("overloaded_error") == true)
        #expect(await agent.messages.last?.text == "whole")
    }

    @Test func aRunWhileRunningIsRefusedAndAFailedCallKeepsRolesAlternating() async throws {
        let model = try script(#"[{"error": {"type": "authentication_error", "message": "invalid x-api-key", "status": 401}}, {"text": "hello"}]"#)
        let agent = Agent(model: model, tools: ToolSet())
        let failed = await collect(await agent.run("first"))
        #expect(failed.finish?.kind == .error)
        #expect(failed.finish?.modelError?.kind == .authentication)
        let ok = await collect(await agent.run("second"))
        #expect(ok.finish?.kind == .endTurn)
        let messages = await agent.messages
        #expect(messages.map(\.role) == [.user, .assistant])
        #expect(messages[0].content == [.text("first"), .text("second")])
    }
}
