import AgentCore
import AgentTesting
import Foundation
import Testing

/// The agent loop end to end: `Agent` → `AnthropicClient` → libcurl → `FakeMessagesServer`, with the
/// real bash and editor tools. The fake server validates every request as the API does (tool_use /
/// tool_result pairing included), so a malformed conversation would end the run with a 400.
@Suite(.timeLimit(.minutes(1)))
struct AgentEndToEndTests {
    @Test func realToolsCreateAFileAndReadItBackThroughTheAPI() async throws {
        let server = try FakeMessagesServer(chunkSize: 64)
        defer { server.stop() }
        let sandbox = try EditSandbox()
        let file = sandbox.at("notes.txt")
        let text = "hello from the agent\nsecond line with ✓"
        let usages = [
            Usage(inputTokens: 1500, outputTokens: 90, cacheCreationInputTokens: 1200),
            Usage(inputTokens: 60, outputTokens: 35, cacheReadInputTokens: 1200),
            Usage(inputTokens: 80, outputTokens: 12, cacheCreationInputTokens: 30, cacheReadInputTokens: 1260),
        ]
        server.enqueue(.toolUse(
            id: "toolu_create", name: "str_replace_based_edit_tool",
            input: ["command": "create", "path": .string(file), "file_text": .string(text)],
            text: "I'll write the file first.", usage: usages[0]))
        server.enqueue(.toolUse(id: "toolu_cat", name: "bash", input: ["command": "cat notes.txt"], usage: usages[1]))
        server.enqueue(.text("The file says hello.", usage: usages[2]))

        let bash = BashTool()
        let agent = Agent(
            model: fakeServerClient(server), tools: ToolSet([bash, EditTool()]),
            configuration: AgentConfiguration(
                model: "claude-sonnet-4-5", toolContext: ToolContext(sessionID: "e2e", workingDirectory: sandbox.path)))
        let events = await collect(await agent.run("Write notes.txt, then show it to me."))
        await bash.shutdown()

        #expect(events.finish?.kind == .endTurn)
        #expect(try String(contentsOfFile: file, encoding: .utf8) == text)

        // What the server received: three valid requests, each carrying the previous results.
        let requests = server.requests
        try #require(requests.count == 3)
        #expect(requests.map { $0.messages.count } == [1, 3, 5])
        for request in requests { #expect(pairingProblems(request.messages).isEmpty) }
        #expect(toolResult(in: requests[1], for: "toolu_create")?.content == [.text("File created successfully at: \(file)")])
        let catResult = try #require(toolResult(in: requests[2], for: "toolu_cat"))
        #expect(catResult.content == [.text(text)])
        #expect(!catResult.isError)

        // Events in order (text deltas aside).
        #expect(events.types.filter { $0 != "text_delta" } == [
            "user_message", "turn_started", "assistant_message", "usage", "tool_call_started", "tool_call_finished", "tool_results",
            "turn_started", "assistant_message", "usage", "tool_call_started", "tool_call_finished", "tool_results",
            "turn_started", "assistant_message", "usage", "finished",
        ])
        let outcomes = events.compactMap { e -> ToolCallOutcome? in if case .toolCallFinished(let o) = e { o } else { nil } }
        #expect(outcomes.map(\.call.name) == ["str_replace_based_edit_tool", "bash"])
        #expect(outcomes.map(\.isError) == [false, false])
        #expect(outcomes.last?.output == text)
        let streamed = events.compactMap { e -> String? in if case .textDelta(let t) = e { t } else { nil } }.joined()
        #expect(streamed == "I'll write the file first.The file says hello.")

        // Usage: per turn as scripted, and a running total that adds up.
        let usageEvents = events.compactMap { e -> (Usage, Usage)? in if case .usage(let t, let s) = e { (t, s) } else { nil } }
        #expect(usageEvents.map(\.0) == usages)
        #expect(usageEvents.last?.1 == usages.reduce(Usage(), +))
        #expect(usageEvents.last?.1.totalTokens == 1500 + 90 + 1200 + 60 + 35 + 1200 + 80 + 12 + 30 + 1260)

        let messages = await agent.messages
        #expect(messages.count == 6)
        #expect(pairingProblems(messages).isEmpty)
        #expect(messages.last?.text == "The file says hello.")
    }

    @Test func midStreamOverloadIsRetriedAsAWholeTurn() async throws {
        let server = try FakeMessagesServer()
        defer { server.stop() }
        server.enqueue(.midStreamError(afterEvents: 5))
        server.enqueue(.text("Recovered after the overload."))
        let agent = Agent(model: fakeServerClient(server), tools: ToolSet())
        let events = await collect(await agent.run("hello"))

        #expect(events.finish?.kind == .endTurn)
        let retries = events.compactMap { e -> RetryNotice? in if case .retrying(let n) = e { n } else { nil } }
        #expect(retries.count == 1)
        #expect(retries.first?.attempt == 1)
        #expect(retries.first?.status == 200)
        #expect(retries.first?.reason == "overloaded_error: Overloaded")
        #expect(events.types.filter { $0 != "text_delta" } == ["user_message", "turn_started", "retrying", "assistant_message", "usage", "finished"])
        #expect(server.requestCount == 2)
        // The partial reply was thrown away; the conversation holds only the complete one.
        let messages = await agent.messages
        #expect(messages.map(\.role) == [.user, .assistant])
        #expect(messages.last?.content == [.text("Recovered after the overload.")])
        #expect(server.requests[1].messages.count == 1)
    }

    @Test func aStreamThatKeepsBreakingEndsTheRunWhenTurnRetriesRunOut() async throws {
        let server = try FakeMessagesServer()
        defer { server.stop() }
        server.enqueue(.midStreamError(afterEvents: 5))
        server.enqueue(.midStreamError(afterEvents: 5))
        server.enqueue(.text("a third attempt would get this"))
        let agent = Agent(model: fakeServerClient(server), tools: ToolSet(), configuration: AgentConfiguration(turnRetries: 1))
        let events = await collect(await agent.run("hello"))

        let finish = try #require(events.finish)
        #expect(finish.kind == .error)
        #expect(finish.modelError?.kind == .overloaded)
        #expect(finish.modelError?.duringStream == true)
        #expect(events.types.filter { $0 != "text_delta" } == ["user_message", "turn_started", "retrying", "finished"])
        #expect(server.requestCount == 2)
        #expect(await agent.messages.map(\.role) == [.user])
    }

    @Test func stoppingWhileTheServerStallsAbortsTheTransfer() async throws {
        let server = try FakeMessagesServer()
        defer { server.stop() }
        server.enqueue(.toolUse(id: "toolu_ls", name: "look", input: [:]))
        server.enqueue(.stall(afterEvents: 4))
        let look = ClosureTool("look") { _ in ToolOutput(output: "nothing to see") }
        let agent = Agent(model: fakeServerClient(server), tools: ToolSet([look]))
        var iterator = await agent.run("look around").makeAsyncIterator()
        var seen: [AgentEvent] = []
        // Turn 2 is streaming (its first text delta arrived) when the run is stopped.
        while let event = await iterator.next() {
            seen.append(event)
            if case .textDelta = event { break }
        }
        #expect(server.requestCount == 2)

        let clock = ContinuousClock()
        let stopped = clock.now
        await agent.stop()
        while let event = await iterator.next() { seen.append(event) }
        #expect(clock.now - stopped < .seconds(10))
        #expect(seen.finish?.kind == .stopped)
        #expect(seen.last.map(\.type) == "finished")
        #expect(await server.waitUntil(timeout: .seconds(2)) { $0.closedConnections >= 1 })

        // The conversation stays valid: the call that ran keeps its result, nothing half-streamed is kept.
        let messages = await agent.messages
        #expect(messages.map(\.role) == [.user, .assistant, .user])
        #expect(pairingProblems(messages).isEmpty)
        #expect(await agent.isRunning == false)
    }

    @Test func aConsumerThatGoesAwayStopsTheRunAndTheTransfer() async throws {
        let server = try FakeMessagesServer()
        defer { server.stop() }
        server.enqueue(.stall(afterEvents: 4))
        let agent = Agent(model: fakeServerClient(server), tools: ToolSet())
        let stream = await agent.run("hello")
        let firstDelta = Gate()
        let consumer = Task {
            for await event in stream {
                if case .textDelta = event { firstDelta.open() }
            }
        }
        await firstDelta.wait()
        consumer.cancel()
        await consumer.value
        #expect(await server.waitUntil(timeout: .seconds(2)) { $0.closedConnections >= 1 })
        #expect(server.requestCount == 1)
        #expect(await agent.messages == [.user("hello")])
    }

    @Test func authenticationFailureEndsTheRunWithTheTypedError() async throws {
        let server = try FakeMessagesServer(apiKey: "sk-ant-the-right-one")
        defer { server.stop() }
        let agent = Agent(model: fakeServerClient(server), tools: ToolSet())
        let events = await collect(await agent.run("hello"))

        let finish = try #require(events.finish)
        #expect(finish.kind == .error)
        #expect(finish.modelError?.kind == .authentication)
        #expect(finish.modelError?.status == 401)
        #expect(finish.modelError?.message == "invalid x-api-key")
        #expect(finish.modelError?.requestID?.hasPrefix("req_") == true)
        #expect(events.types == ["user_message", "turn_started", "finished"])
        #expect(server.requestCount == 1)
        #expect(!"\(events)".contains(testAPIKey))
        #expect(!finish.json.serialized().contains(testAPIKey))
    }

    @Test func promptCachingMarksTheSystemAndTheThreeNewestUserTurns() async throws {
        let server = try FakeMessagesServer()
        defer { server.stop() }
        for n in 1...3 { server.enqueue(.toolUse(id: "toolu_\(n)", name: "note", input: ["n": .int(n)])) }
        server.enqueue(.text("All noted."))
        let note = ClosureTool("note") { input in ToolOutput(output: "noted \(input["n"]?.intValue ?? 0)") }
        let agent = Agent(model: fakeServerClient(server), tools: ToolSet([note]))
        let events = await collect(await agent.run("take three notes"))
        #expect(events.finish?.kind == .endTurn)
        #expect(server.requestCount == 4)

        let body = try #require(server.requests.last?.json)
        let ephemeral: JSONValue = ["type": "ephemeral"]
        #expect(body["system"]?[0]?["cache_control"] == ephemeral)
        let messages = try #require(body["messages"]?.arrayValue)
        #expect(messages.count == 7)
        let marked = messages.indices.filter { messages[$0]["content"]?.arrayValue?.last?["cache_control"] != nil }
        #expect(marked == [2, 4, 6])  // users are 0, 2, 4, 6: the oldest is not marked
        #expect(marked.allSatisfy { messages[$0]["content"]?.arrayValue?.last?["cache_control"] == ephemeral })
        #expect(marked.allSatisfy { messages[$0]["role"] == "user" })
        // Every request is valid and caches as it goes.
        for request in server.requests {
            #expect(pairingProblems(request.messages).isEmpty)
            #expect(request.json?["system"]?[0]?["cache_control"] == ephemeral)
        }
    }

    @Test(arguments: [
        ("claude-sonnet-4-5", "computer-use-2025-01-24"),
        ("claude-sonnet-4-5-20250929", "computer-use-2025-01-24"),
        ("claude-sonnet-4-6", "computer-use-2025-11-24"),
    ])
    func modelChoosesTheBetaAndToolDefinitionsAreSentAsIs(model: String, beta: String) async throws {
        let server = try FakeMessagesServer()
        defer { server.stop() }
        let bash = BashTool(version: .v20250124)
        let agent = Agent(
            model: fakeServerClient(server), tools: ToolSet([bash, EditTool()]),
            configuration: AgentConfiguration(model: model))
        let events = await collect(await agent.run("hi"))
        await bash.shutdown()
        #expect(events.finish?.kind == .endTurn)

        let sent = try #require(server.requests.first)
        #expect(sent.header("anthropic-beta") == beta)
        #expect(sent.model == model)
        #expect(sent.tools == [
            ["type": "bash_20250124", "name": "bash"],
            ["type": "text_editor_20250728", "name": "str_replace_based_edit_tool"],
        ])
        #expect(sent.json?["max_tokens"] == 16384)
    }

    @Test func noToolsMeansNoBetaHeaderAndExtraBetasAreAppended() async throws {
        let server = try FakeMessagesServer()
        defer { server.stop() }
        let plain = Agent(model: fakeServerClient(server), tools: ToolSet())
        #expect(await collect(await plain.run("hi")).finish?.kind == .endTurn)
        #expect(server.requests.first?.header("anthropic-beta") == nil)
        #expect(server.requests.first?.json?["tools"] == nil)

        let note = ClosureTool("note") { _ in ToolOutput(output: "ok") }
        let betas = Agent(
            model: fakeServerClient(server), tools: ToolSet([note]),
            configuration: AgentConfiguration(
                model: "claude-sonnet-4-6", thinking: .extended(budgetTokens: 2048),
                betas: ["interleaved-thinking-2025-05-14"]))
        #expect(await collect(await betas.run("hi")).finish?.kind == .endTurn)
        let sent = try #require(server.requests.last)
        #expect(sent.header("anthropic-beta") == "computer-use-2025-11-24,interleaved-thinking-2025-05-14")
        #expect(sent.json?["thinking"] == ["type": "enabled", "budget_tokens": 2048])
    }
}

/// The `tool_result` answering `id` in the last message of a request the server received.
private func toolResult(in request: FakeRequest, for id: String) -> ToolResultBlock? {
    for case .toolResult(let result) in request.messages.last?.content ?? [] where result.toolUseID == id { return result }
    return nil
}
