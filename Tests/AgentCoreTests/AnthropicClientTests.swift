import AgentCore
import AgentTesting
import Testing

/// End-to-end tests of `AnthropicClient` over real HTTP: libcurl ↔ `FakeMessagesServer` on loopback.
/// Request shape, streaming and non-streaming decoding. Retries and failures are in
/// `AnthropicClientRetryTests` and `AnthropicClientErrorTests`.
@Suite(.timeLimit(.minutes(1)))
struct AnthropicClientTests {
    @Test func streamingRequestHasTheAPIShapeOnTheWire() async throws {
        let server = try FakeMessagesServer()
        defer { server.stop() }
        let client = fakeServerClient(server)
        let bash: JSONValue = ["type": "bash_20250124", "name": "bash"]
        let weather: JSONValue = [
            "name": "get_weather", "description": "Current weather",
            "input_schema": ["type": "object", "properties": ["city": ["type": "string"]], "required": ["city"]],
        ]
        var system = TextBlock(text: "You are terse.")
        system.extra["cache_control"] = ["type": "ephemeral"]
        let conversation: [Message] = [
            .user("What is in /tmp?"),
            Message(role: .assistant, content: [.toolUse(ToolUseBlock(id: "toolu_1", name: "bash", input: ["command": "ls /tmp"]))]),
            Message(role: .user, content: [.toolResult(ToolResultBlock(toolUseID: "toolu_1", content: [.text("a.txt\nb.txt")]))]),
        ]
        let request = MessageRequest(
            model: "claude-sonnet-4-5", maxTokens: 4096, messages: conversation, system: [system], tools: [bash, weather],
            thinking: ["type": "enabled", "budget_tokens": 2048],
            betas: ["computer-use-2025-01-24", "token-efficient-tools-2025-02-19"])
        let outcome = await sendAll(client, request)
        #expect(outcome.error == nil)
        #expect(outcome.response?.content == [.text("ok")])

        let sent = try #require(server.requests.first)
        #expect(server.requestCount == 1)
        #expect(sent.method == "POST")
        #expect(sent.path == "/v1/messages")
        #expect(sent.header("x-api-key") == testAPIKey)
        #expect(sent.header("anthropic-version") == "2023-06-01")
        #expect(sent.header("content-type") == "application/json")
        #expect(sent.header("accept") == "text/event-stream")
        #expect(sent.header("anthropic-beta") == "computer-use-2025-01-24,token-efficient-tools-2025-02-19")
        #expect(sent.header("x-stainless-retry-count") == "0")
        #expect(sent.header("user-agent")?.hasPrefix("agentd/") == true)

        let body = try #require(sent.json)
        #expect(body["model"] == "claude-sonnet-4-5")
        #expect(body["max_tokens"] == 4096)
        #expect(body["stream"] == true)
        #expect(body["thinking"] == ["type": "enabled", "budget_tokens": 2048])
        #expect(body["system"] == [["type": "text", "text": "You are terse.", "cache_control": ["type": "ephemeral"]]])
        #expect(body["tools"] == [bash, weather])
        #expect(sent.messages == conversation)
        #expect(body["messages"]?[2]?["content"]?[0]?["tool_use_id"] == "toolu_1")
        // Only the fields that were set go out.
        for absent in ["temperature", "tool_choice", "stop_sequences", "output_config"] { #expect(body[absent] == nil) }

        // The key authenticates the call and goes nowhere else.
        for event in outcome.events { #expect(!"\(event)".contains(testAPIKey)) }
    }

    @Test func nonStreamingRequestWithoutBetasSendsNoBetaHeaderAndNoStreamFlag() async throws {
        let server = try FakeMessagesServer()
        defer { server.stop() }
        // A trailing slash on the base URL does not double the path's slash.
        let client = AnthropicClient(
            apiKey: testAPIKey, baseURL: server.baseURL + "/", transport: CurlHTTPTransport(),
            retryPolicy: RetryPolicy(maxRetries: 0, jitter: { 0 }))
        let outcome = await sendAll(client, helloRequest(stream: false))
        #expect(outcome.response?.content == [.text("ok")])
        let sent = try #require(server.requests.first)
        #expect(sent.path == "/v1/messages")
        #expect(sent.header("anthropic-beta") == nil)
        #expect(sent.header("accept") == "application/json")
        #expect(sent.header("anthropic-version") == "2023-06-01")
        #expect(!sent.isStreaming)
        #expect(sent.json?["stream"] == nil)
        #expect(sent.json?["system"] == nil)
        #expect(sent.json?["tools"] == nil)
        #expect(sent.messages == [.user("Hi")])
    }

    @Test func streamedReplyRoundTripsEveryBlockWhenSplitEverySevenBytes() async throws {
        let server = try FakeMessagesServer(chunkSize: 7)
        defer { server.stop() }
        server.enqueue(.message(content: richContent, stopReason: .toolUse, usage: richUsage))
        let outcome = await sendAll(fakeServerClient(server), helloRequest())
        #expect(outcome.error == nil)
        let response = try #require(outcome.response)

        // The blocks come back exactly as scripted: signature, redacted data, Unicode text, tool input.
        #expect(response.content == richContent)
        #expect(response.stopReason == .toolUse)
        #expect(response.stopSequence == nil)
        #expect(response.usage == richUsage)
        #expect(response.incompleteToolUses.isEmpty)
        #expect(response.id.hasPrefix("msg_"))
        #expect(response.model == "claude-sonnet-4-5")
        #expect(response.requestID?.hasPrefix("req_") == true)
        #expect(response.extra.isEmpty)
        #expect(response.assistantMessage == Message(role: .assistant, content: richContent))

        // Progress: text and thinking arrive in several deltas that add up; the tool call is announced.
        #expect(outcome.text == richText)
        #expect(outcome.events.filter { if case .textDelta = $0 { true } else { false } }.count > 1)
        #expect(outcome.thinking == richThinking)
        #expect(outcome.events.contains(.toolUseStarted(index: 3, id: "toolu_01A09q90qw90lq917835lq9", name: "bash")))
        #expect(outcome.events.allSatisfy { if case .textDelta(let index, _) = $0 { index == 2 } else { true } })
        #expect(outcome.retries.isEmpty)
        // `.completed` is the last event, and the only one.
        #expect(outcome.events.filter { if case .completed = $0 { true } else { false } }.count == 1)
        if case .completed = outcome.events.last {} else { Issue.record("the last event is not .completed") }
    }

    @Test func nonStreamingReplyDecodesTheSameAsTheStream() async throws {
        let server = try FakeMessagesServer()
        defer { server.stop() }
        server.enqueue(.message(content: richContent, stopReason: .toolUse, usage: richUsage))
        server.enqueue(.message(content: richContent, stopReason: .toolUse, usage: richUsage))
        let client = fakeServerClient(server)
        let plain = await sendAll(client, helloRequest(stream: false))
        let streamed = await sendAll(client, helloRequest(stream: true))

        #expect(plain.events.count == 1)  // no deltas without a stream
        let json = try #require(plain.response)
        let sse = try #require(streamed.response)
        #expect(json.content == richContent)
        #expect(json.usage == richUsage)
        #expect(json.stopReason == .toolUse)
        #expect(json.requestID?.hasPrefix("req_") == true)
        #expect(json.requestID != sse.requestID)
        #expect(json.content == sse.content)
        #expect(json.usage == sse.usage)
        #expect(json.model == sse.model)
        #expect(json.extra == sse.extra)
        #expect(server.requests.map(\.isStreaming) == [false, true])
    }

    @Test func emptyContentAndMaxTokensStopReasonAreKept() async throws {
        let server = try FakeMessagesServer(chunkSize: 5)
        defer { server.stop() }
        server.enqueue(.message(content: [], stopReason: .maxTokens, usage: Usage(inputTokens: 9, outputTokens: 1)))
        let response = try #require(await sendAll(fakeServerClient(server), helloRequest()).response)
        #expect(response.content.isEmpty)
        #expect(response.stopReason == .maxTokens)
        #expect(response.usage == Usage(inputTokens: 9, outputTokens: 1))
    }

    @Test func fromEnvironmentReadsTheKeyAndBaseURL() async throws {
        let server = try FakeMessagesServer(apiKey: "sk-ant-from-env")
        defer { server.stop() }
        #expect(throws: ModelError(kind: .missingAPIKey, message: "ANTHROPIC_API_KEY is not set")) {
            try AnthropicClient.fromEnvironment(["ANTHROPIC_API_KEY": "", "ANTHROPIC_BASE_URL": server.baseURL])
        }
        let client = try AnthropicClient.fromEnvironment(
            ["ANTHROPIC_API_KEY": "sk-ant-from-env", "ANTHROPIC_BASE_URL": server.baseURL])
        #expect(client.baseURL == server.baseURL)
        #expect(await sendAll(client, helloRequest()).response?.content == [.text("ok")])
        #expect(server.requests.first?.header("x-api-key") == "sk-ant-from-env")
    }
}

// MARK: - Shared helpers (also used by the retry, error and agent end-to-end suites)

/// The key the test clients send; checked never to appear in events or errors.
let testAPIKey = "sk-ant-api03-TEST-SECRET-never-echoed"

/// What one `AnthropicClient.send` produced, read to its end.
struct ClientCall: Sendable {
    var events: [ModelStreamEvent] = []
    var error: (any Error)?

    var response: MessageResponse? {
        for case .completed(let response) in events { return response }
        return nil
    }
    var modelError: ModelError? { error as? ModelError }
    var retries: [RetryNotice] { events.compactMap { if case .retrying(let notice) = $0 { notice } else { nil } } }
    var text: String { events.compactMap { if case .textDelta(_, let text) = $0 { text } else { nil } }.joined() }
    var thinking: String { events.compactMap { if case .thinkingDelta(_, let text) = $0 { text } else { nil } }.joined() }
}

/// Sends `request` and reads the stream to its end.
func sendAll(_ client: AnthropicClient, _ request: MessageRequest) async -> ClientCall {
    var call = ClientCall()
    do {
        for try await event in client.send(request) { call.events.append(event) }
    } catch {
        call.error = error
    }
    return call
}

/// A client of the fake server on its own libcurl transport (no connection shared with other tests),
/// with deterministic backoff: jitter 0 makes the computed waits 0.5 s, 1 s, 2 s, …
func fakeServerClient(
    _ server: FakeMessagesServer, apiKey: String = testAPIKey, maxRetries: Int = 2, idleTimeout: Double = 30
) -> AnthropicClient {
    AnthropicClient(
        apiKey: apiKey, baseURL: server.baseURL, transport: CurlHTTPTransport(),
        retryPolicy: RetryPolicy(maxRetries: maxRetries, jitter: { 0 }), idleTimeout: idleTimeout)
}

/// A one-turn request.
func helloRequest(stream: Bool = true, model: String = "claude-sonnet-4-5") -> MessageRequest {
    MessageRequest(model: model, maxTokens: 1024, messages: [.user("Hi")], stream: stream)
}

let richThinking = "The user wants the files listed; bash can do that. Ünïcödé → fine."
let richText = "Let me look at the directory — “quoted”, é, ✓ and 🚀 included."

/// A reply with every block kind a computer-use turn carries.
let richContent: [ContentBlock] = [
    .thinking(ThinkingBlock(thinking: richThinking, signature: "EqQBCkYIBxgCKkBvc2lnbmF0dXJlLWJ5dGVzLWhlcmU=")),
    .redactedThinking(RedactedThinkingBlock(data: "EmwKAhgBEgy3va3pzix/LafPsn4aDFIT2Xlxh0L5L8rLVyIw")),
    .text(richText),
    .toolUse(ToolUseBlock(
        id: "toolu_01A09q90qw90lq917835lq9", name: "bash",
        input: ["command": "ls -la /tmp | head -n 5", "restart": false, "nested": ["depth": 2, "tags": ["a", "b"]]])),
]

let richUsage = Usage(inputTokens: 412, outputTokens: 87, cacheCreationInputTokens: 1024, cacheReadInputTokens: 2048)
