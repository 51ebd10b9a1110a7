@testable import AgentCore
import AgentTesting
import Testing

@Suite(.timeLimit(.minutes(1)))
struct RequestShapingTests {
    @Test func cacheBreakpointsMarkSystemAndTheThreeNewestUserTurns() async throws {
        let turn = #"{"tool_use": [{"name": "noop", "input": {}}]}"#
        let model = try ScriptedModelClient(script: JSONValue(parsing: "[" + Array(repeating: turn, count: 5).joined(separator: ",") + "]"))
        let noop = ClosureTool("noop") { _ in ToolOutput(output: "ok") }
        let agent = Agent(model: model, tools: ToolSet([noop]), configuration: AgentConfiguration(limits: AgentLimits(maxSteps: 5)))
        _ = await collect(await agent.run("go"))
        let last = try #require(model.requests.last)
        #expect(last.system.first?.extra["cache_control"] == ["type": "ephemeral"])
        let marked = last.messages.enumerated().filter { $0.element.content.last?.extra["cache_control"] != nil }.map(\.offset)
        let users = last.messages.enumerated().filter { $0.element.role == .user }.map(\.offset)
        #expect(marked == Array(users.suffix(3)))
        // The stored conversation itself carries no breakpoints.
        #expect(await agent.messages.allSatisfy { m in m.content.allSatisfy { $0.extra["cache_control"] == nil } })
        // The spliced body is byte-for-byte the body encoded whole.
        for request in model.requests {
            #expect(request.encodedBody() == request.body.serializedBytes())
            // Messages before the oldest breakpoint come from the cache, not a fresh encoding.
            let userTurns = request.messages.filter { $0.role == .user }.count
            #expect(request.encodedMessagePrefix.isEmpty == (userTurns <= 3))
        }
    }

    @Test func oldScreenshotsAreTrimmedInChunksWhenCachingIsOff() {
        func result(_ i: Int) -> Message {
            Message(role: .user, content: [.toolResult(ToolResultBlock(
                toolUseID: "t\(i)", content: [.text("shot \(i)"), .image(ImageBlock(mediaType: "image/png", base64Data: "AA=="))]))])
        }
        var messages = (0..<7).map(result)
        let changed = PromptShaper.trimImages(in: &messages, keep: 3)
        // 7 images, keep 3: remove 4 rounded down to a multiple of 3 = 3, the oldest first.
        #expect(changed == [0, 1, 2])
        let imageCounts = messages.map { m -> Int in
            guard case .toolResult(let r) = m.content[0] else { return -1 }
            return r.content.filter { if case .image = $0 { true } else { false } }.count
        }
        #expect(imageCounts == [0, 0, 0, 1, 1, 1, 1])
        guard case .toolResult(let first) = messages[0].content[0] else { return }
        #expect(first.content == [.text("shot 0")])  // text stays
    }

    @Test func requestCarriesBetaThinkingAndModelDefaults() async throws {
        let model = try ScriptedModelClient(script: JSONValue(parsing: #"[{"text": "hi"}]"#))
        let noop = ClosureTool("noop") { _ in ToolOutput() }
        let config = AgentConfiguration(model: "claude-opus-4-6", thinking: .adaptive(effort: "high"), betas: ["extra-beta"])
        let agent = Agent(model: model, tools: ToolSet([noop]), configuration: config)
        _ = await collect(await agent.run("hello"))
        let request = try #require(model.requests.first)
        #expect(request.betas == ["computer-use-2025-11-24", "extra-beta"])
        #expect(request.thinking == ["type": "adaptive"])
        #expect(request.outputConfig == ["effort": "high"])
        #expect(request.maxTokens == 16384)
        #expect(request.body["stream"] == true)
        #expect(request.system.first?.text.contains("noop") == true)
    }

    @Test func aSessionCanOverrideTheToolTable() async throws {
        let model = try ScriptedModelClient(script: JSONValue(parsing: #"[{"text": "hi"}]"#))
        let noop = ClosureTool("noop") { _ in ToolOutput() }
        let config = AgentConfiguration(model: "claude-sonnet-4-6", toolVersions: .v20250124)
        #expect(config.effectiveToolVersions.computer == "computer_20250124")
        let agent = Agent(model: model, tools: ToolSet([noop]), configuration: config)
        _ = await collect(await agent.run("hello"))
        #expect(model.requests.first?.betas == ["computer-use-2025-01-24"])
    }
}

@Suite struct ModelCatalogTests {
    @Test(arguments: [
        ("claude-sonnet-4-6", "computer_20251124", "computer-use-2025-11-24"),
        ("claude-sonnet-4-5-20250929", "computer_20250124", "computer-use-2025-01-24"),
        ("claude-sonnet-4-5", "computer_20250124", "computer-use-2025-01-24"),
        ("claude-sonnet-4-20250514", "computer_20250124", "computer-use-2025-01-24"),
        ("claude-opus-4-1-20250805", "computer_20250124", "computer-use-2025-01-24"),
        ("claude-3-5-sonnet-20241022", "computer_20241022", "computer-use-2024-10-22"),
        ("claude-3-7-sonnet-latest", "computer_20250124", "computer-use-2025-01-24"),
        ("anthropic.claude-sonnet-4-5-20250929-v1:0", "computer_20250124", "computer-use-2025-01-24"),
        ("us.anthropic.claude-haiku-4-5-20251001-v1:0", "computer_20250124", "computer-use-2025-01-24"),
        ("claude-sonnet-4-5@20250929", "computer_20250124", "computer-use-2025-01-24"),
        ("claude-3-5-sonnet-v2@20241022", "computer_20241022", "computer-use-2024-10-22"),
        ("claude-opus-4-5-20251101", "computer_20251124", "computer-use-2025-11-24"),
        // Models the table does not know get the newest tools, never the oldest.
        ("claude-sonnet-4-7", "computer_20251124", "computer-use-2025-11-24"),
        ("claude-opus-5", "computer_20251124", "computer-use-2025-11-24"),
        ("some-future-model", "computer_20251124", "computer-use-2025-11-24"),
    ])
    func toolVersionsFollowTheTable(model: String, computer: String, beta: String) {
        let versions = ModelCatalog.standard.profile(for: model).toolVersions
        #expect(versions.computer == computer)
        #expect(versions.betaFlag == beta)
    }

    @Test func defaultModelIsCurrentAndEditorNamesFollowTheModel() {
        #expect(ModelCatalog.defaultModel == "claude-sonnet-4-6")
        #expect(ModelCatalog.standard.profile(for: "claude-3-5-sonnet-20241022").toolVersions.textEditor == "text_editor_20241022")
        #expect(ModelCatalog.standard.profile(for: "claude-sonnet-4-6").toolVersions.textEditor == "text_editor_20250728")
        #expect(ModelCatalog.standard.profile(for: "claude-haiku-4-5").thinking == .none)
    }
}

@Suite struct ContentBlockTests {
    @Test func unknownBlocksAndKeysRoundTripUnchanged() throws {
        let text = #"""
        {"role":"assistant","content":[
          {"type":"server_tool_use","id":"srvtoolu_1","name":"web_search","input":{"q":"x"}},
          {"type":"text","text":"hi","citations":[{"type":"char_location","cited_text":"a"}]},
          {"type":"tool_use","id":"toolu_1","name":"bash","input":{"command":"ls"},"caller":{"type":"direct"}},
          {"type":"thinking","thinking":"hmm","signature":"sig=="},
          {"type":"redacted_thinking","data":"opaque"}]}
        """#
        let json = try JSONValue(parsing: text)
        let message = try Message(json: json)
        #expect(message.json == json)
        guard case .other = message.content[0] else { Issue.record("server_tool_use should be kept verbatim"); return }
        #expect(message.toolUses.first?.extra["caller"] == ["type": "direct"])
    }

    @Test func eventJSONOmitsImageBytes() {
        let result = Message(role: .user, content: [.toolResult(ToolResultBlock(
            toolUseID: "t", content: [.image(ImageBlock(mediaType: "image/png", base64Data: String(repeating: "A", count: 400)))]))])
        let json = AgentEvent.toolResults(result).json.serialized()
        #expect(!json.contains(String(repeating: "A", count: 100)))
        #expect(json.contains("400 base64 characters omitted"))
    }
}
