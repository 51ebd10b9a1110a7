import AgentCore
import AgentTesting
import Testing

@Suite struct FakeMessagesServerTests {
    let transport = CurlHTTPTransport()

    // MARK: Validation

    @Test func missingAPIKeyIs401() async throws {
        let server = try FakeMessagesServer()
        defer { server.stop() }
        let response = try await fetch(transport, messagesRequest(server, headers: apiHeaders(key: nil)))
        #expect(response.status == 401)
        let json = try #require(response.json)
        #expect(json["type"] == "error")
        #expect(json["error"] == ["type": "authentication_error", "message": "invalid x-api-key"])
        let requestID = try #require(json["request_id"]?.stringValue)
        #expect(requestID.hasPrefix("req_"))
        #expect(response.head?.header("request-id") == requestID)
    }

    @Test func expectedAPIKeyIsEnforcedForKeyAndBearer() async throws {
        let server = try FakeMessagesServer(apiKey: "sk-right")
        defer { server.stop() }
        let wrong = try await fetch(transport, messagesRequest(server, headers: apiHeaders(key: "sk-wrong")))
        #expect(wrong.status == 401)
        #expect(wrong.json?["error"]?["message"] == "invalid x-api-key")
        let right = try await fetch(transport, messagesRequest(server, headers: apiHeaders(key: "sk-right")))
        #expect(right.status == 200)
        let bearer = apiHeaders(key: nil) + [HTTPField("Authorization", "Bearer sk-right")]
        #expect(try await fetch(transport, messagesRequest(server, headers: bearer)).status == 200)
        let badBearer = apiHeaders(key: nil) + [HTTPField("Authorization", "Bearer nope")]
        #expect(try await fetch(transport, messagesRequest(server, headers: badBearer)).status == 401)
    }

    @Test func missingVersionIs400() async throws {
        let server = try FakeMessagesServer()
        defer { server.stop() }
        let response = try await fetch(transport, messagesRequest(server, headers: apiHeaders(version: nil)))
        #expect(response.status == 400)
        #expect(response.json?["error"]?["type"] == "invalid_request_error")
        #expect(response.json?["error"]?["message"] == "anthropic-version: header is required")
    }

    @Test func malformedBodiesAre400() async throws {
        let server = try FakeMessagesServer()
        defer { server.stop() }
        func message(_ body: [UInt8]) async throws -> String? {
            var request = messagesRequest(server)
            request.body = body
            let response = try await fetch(transport, request)
            #expect(response.status == 400)
            #expect(response.json?["error"]?["type"] == "invalid_request_error")
            return response.json?["error"]?["message"]?.stringValue
        }
        #expect(try await message(Array("{\"model\": ".utf8))?.contains("parsing the body") == true)
        #expect(try await message(Array("[1,2]".utf8)) == "Input should be a valid dictionary")
        let noModel: JSONValue = ["max_tokens": 10, "messages": [["role": "user", "content": "hi"]]]
        #expect(try await message(noModel.serializedBytes()) == "model: Field required")
        let noMax: JSONValue = ["model": "m", "messages": [["role": "user", "content": "hi"]]]
        #expect(try await message(noMax.serializedBytes()) == "max_tokens: Field required")
        let noMessages: JSONValue = ["model": "m", "max_tokens": 10]
        #expect(try await message(noMessages.serializedBytes()) == "messages: Field required")
        let badRole: JSONValue = ["model": "m", "max_tokens": 10, "messages": [["role": "system", "content": "hi"]]]
        #expect(try await message(badRole.serializedBytes()) == "messages.0.role: Input should be 'user' or 'assistant'")
    }

    @Test func unknownBodyKeysAreIgnored() async throws {
        let server = try FakeMessagesServer()
        defer { server.stop() }
        guard case .object(var fields) = messagesBody() else { return }
        fields["context_management"] = ["edits": []]
        fields["brand_new_feature"] = true
        let response = try await fetch(transport, messagesRequest(server, body: .object(fields)))
        #expect(response.status == 200)
    }

    @Test func missingToolResultIsRejectedWithTheAPIMessage() async throws {
        let server = try FakeMessagesServer()
        defer { server.stop() }
        let messages: [Message] = [
            .user("List files"),
            Message(
                role: .assistant,
                content: [
                    .text("Running two commands."),
                    .toolUse(ToolUseBlock(id: "toolu_A", name: "bash", input: ["command": "ls"])),
                    .toolUse(ToolUseBlock(id: "toolu_B", name: "bash", input: ["command": "pwd"])),
                ]),
            Message(role: .user, content: [.toolResult(ToolResultBlock(toolUseID: "toolu_A", content: [.text("a.txt")]))]),
        ]
        let response = try await fetch(transport, messagesRequest(server, body: messagesBody(messages: messages)))
        #expect(response.status == 400)
        #expect(
            response.json?["error"]?["message"]?.stringValue
                == "messages.1: `tool_use` ids were found without `tool_result` blocks immediately after: toolu_B. "
                + "Each `tool_use` block must have a corresponding `tool_result` block in the next message.")
    }

    @Test func unexpectedToolResultIsRejectedWithTheAPIMessage() async throws {
        let server = try FakeMessagesServer()
        defer { server.stop() }
        let messages: [Message] = [
            .user("List files"),
            Message(role: .assistant, content: [.toolUse(ToolUseBlock(id: "toolu_A", name: "bash", input: [:]))]),
            Message(
                role: .user,
                content: [
                    .toolResult(ToolResultBlock(toolUseID: "toolu_A", content: [.text("ok")])),
                    .toolResult(ToolResultBlock(toolUseID: "toolu_Z", content: [.text("??")])),
                ]),
        ]
        let response = try await fetch(transport, messagesRequest(server, body: messagesBody(messages: messages)))
        #expect(response.status == 400)
        #expect(
            response.json?["error"]?["message"]?.stringValue
                == "messages.2.content.1: unexpected `tool_use_id` found in `tool_result` blocks: toolu_Z. "
                + "Each `tool_result` block must have a corresponding `tool_use` block in the previous message.")
    }

    @Test func pathsOtherThanMessagesAre404AndBetaQueryIsAccepted() async throws {
        let server = try FakeMessagesServer()
        defer { server.stop() }
        let notFound = try await fetch(transport, messagesRequest(server, path: "/v1/complete"))
        #expect(notFound.status == 404)
        #expect(notFound.json?["error"]?["type"] == "not_found_error")
        let beta = try await fetch(transport, messagesRequest(server, path: "/v1/messages?beta=true"))
        #expect(beta.status == 200)
        #expect(server.requests.last?.path == "/v1/messages?beta=true")
    }

    @Test func validationErrorsDoNotConsumeTheScript() async throws {
        let server = try FakeMessagesServer()
        defer { server.stop() }
        server.enqueue(.text("scripted"))
        _ = try await fetch(transport, messagesRequest(server, headers: apiHeaders(key: nil)))
        #expect(server.stats.pendingReplies == 1)
        let response = try await fetch(transport, messagesRequest(server))
        #expect(try MessageResponse(json: #require(response.json)).content == [.text("scripted")])
    }

    @Test func oversizedBodyIs413() async throws {
        let server = try FakeMessagesServer()
        defer { server.stop() }
        var request = messagesRequest(server)
        request.body = [UInt8](repeating: UInt8(ascii: " "), count: 32 * 1024 * 1024 + 1)
        let response = try await fetch(transport, request)
        #expect(response.status == 413)
        #expect(response.json?["error"]?["type"] == "request_too_large")
    }

    // MARK: Scripting and recording

    @Test func requestsAreRecorded() async throws {
        let server = try FakeMessagesServer()
        defer { server.stop() }
        let body = messagesBody(messages: [.user("What is 2+2?")], model: "claude-haiku-4-5")
        _ = try await fetch(transport, messagesRequest(server, body: body, headers: apiHeaders() + [HTTPField("anthropic-beta", "a,b")]))
        let request = try #require(server.requests.first)
        #expect(request.method == "POST")
        #expect(request.path == "/v1/messages")
        #expect(request.header("ANTHROPIC-BETA") == "a,b")
        #expect(request.header("x-api-key") == "test-key")
        #expect(request.body == body.serializedBytes())
        #expect(request.json == body)
        #expect(request.model == "claude-haiku-4-5")
        #expect(request.messages == [.user("What is 2+2?")])
        #expect(!request.isStreaming)
    }

    @Test func responderAnswersWhenTheQueueIsEmpty() async throws {
        let server = try FakeMessagesServer()
        defer { server.stop() }
        let first = try await fetch(transport, messagesRequest(server))
        #expect(try MessageResponse(json: #require(first.json)).content == [.text("ok")])
        server.setResponder { request in .text("echo: \(request.messages.last?.text ?? "")") }
        server.enqueue(.text("queued first"))
        let second = try await fetch(transport, messagesRequest(server))
        #expect(try MessageResponse(json: #require(second.json)).content == [.text("queued first")])
        let third = try await fetch(transport, messagesRequest(server))
        #expect(try MessageResponse(json: #require(third.json)).content == [.text("echo: Hi")])
    }

    @Test func nonStreamingBodyHasTheRealShape() async throws {
        let server = try FakeMessagesServer()
        defer { server.stop() }
        server.enqueue(.message(content: [.text("Hi")], stopReason: .maxTokens, usage: Usage(inputTokens: 7, outputTokens: 3), model: "claude-x"))
        let json = try #require(try await fetch(transport, messagesRequest(server)).json)
        #expect(json["type"] == "message")
        #expect(json["role"] == "assistant")
        #expect(json["model"] == "claude-x")
        #expect(json["stop_reason"] == "max_tokens")
        #expect(json["stop_sequence"] == .null)
        #expect(json["usage"]?["input_tokens"] == 7)
        #expect(json["usage"]?["output_tokens"] == 3)
        #expect(json["usage"]?["service_tier"] == "standard")
    }

    // MARK: Streams

    @Test func streamFollowsTheRealEventSequence() async throws {
        let server = try FakeMessagesServer()
        defer { server.stop() }
        let content: [ContentBlock] = [
            .thinking(ThinkingBlock(thinking: "Let me think about this.", signature: "sig-123")),
            .redactedThinking(RedactedThinkingBlock(data: "opaque-data")),
            .text("I'll list the files."),
            .toolUse(ToolUseBlock(id: "toolu_1", name: "bash", input: ["command": "ls -la", "restart": false])),
        ]
        let usage = Usage(inputTokens: 849, outputTokens: 47, cacheCreationInputTokens: 5, cacheReadInputTokens: 100)
        server.enqueue(.message(content: content, stopReason: .toolUse, usage: usage))
        let response = try await fetch(transport, messagesRequest(server, stream: true))
        #expect(response.head?.header("request-id")?.hasPrefix("req_") == true)
        let events = parseSSE(response.text)
        #expect(events.allSatisfy { $0.data?["type"]?.stringValue == $0.name })
        #expect(events.first?.name == "message_start")
        #expect(events.contains { $0.name == "ping" && $0.rawData == #"{"type": "ping"}"# })
        #expect(events.contains { $0.rawData.hasSuffix(" }") && $0.name != "ping" })  // padding quirk
        #expect(Array(events.suffix(2).map(\.name)) == ["message_delta", "message_stop"])

        let start = try #require(events.first?.data?["message"])
        #expect(start["content"] == [])
        #expect(start["stop_reason"] == .null)
        #expect(start["usage"]?["input_tokens"] == 849)
        #expect(start["usage"]?["output_tokens"] != 47)

        func deltas(_ index: Int, _ key: String) -> [String] {
            events.filter { $0.name == "content_block_delta" && $0.data?["index"] == .int(index) }
                .compactMap { $0.data?["delta"]?[key]?.stringValue }
        }
        let thinking = deltas(0, "thinking")
        #expect(thinking.count > 2 && thinking.last == "")
        #expect(thinking.joined() == "Let me think about this.")
        #expect(deltas(0, "signature") == ["sig-123"])
        #expect(deltas(1, "data").isEmpty)
        let redacted = events.first { $0.name == "content_block_start" && $0.data?["index"] == 1 }
        #expect(redacted?.data?["content_block"] == ["type": "redacted_thinking", "data": "opaque-data"])
        #expect(deltas(2, "text").count > 1)
        #expect(deltas(2, "text").joined() == "I'll list the files.")
        let json = deltas(3, "partial_json")
        #expect(json.first == "" && json.count > 2)
        #expect(try JSONValue(parsing: json.joined()) == ["command": "ls -la", "restart": false])

        let delta = try #require(events.first { $0.name == "message_delta" }?.data)
        #expect(delta["delta"]?["stop_reason"] == "tool_use")
        #expect(delta["usage"]?["output_tokens"] == 47)
        #expect(delta["usage"]?["cache_read_input_tokens"] == 100)
    }

    @Test func midStreamErrorEndsTheStreamWithAnErrorEvent() async throws {
        let server = try FakeMessagesServer()
        defer { server.stop() }
        server.enqueue(.midStreamError(afterEvents: 3))
        let response = try await fetch(transport, messagesRequest(server, stream: true))
        #expect(response.status == 200)
        let events = parseSSE(response.text)
        #expect(events.count == 4)
        let error = try #require(events.last)
        #expect(error.name == "error")
        #expect(error.data?["error"] == ["details": .null, "type": "overloaded_error", "message": "Overloaded"])
        #expect(error.data?["request_id"]?.stringValue == response.head?.header("request-id"))
        // The connection stays usable.
        #expect(try await fetch(transport, messagesRequest(server)).status == 200)
        #expect(server.acceptedConnections == 1)
    }

    @Test func midStreamErrorOnANonStreamingRequestIsAnHTTPError() async throws {
        let server = try FakeMessagesServer()
        defer { server.stop() }
        server.enqueue(.midStreamError(afterEvents: 3))
        let response = try await fetch(transport, messagesRequest(server))
        #expect(response.status == 529)
        #expect(response.json?["error"]?["type"] == "overloaded_error")
    }

    @Test func truncatedStreamStopsBeforeMessageStop() async throws {
        let server = try FakeMessagesServer()
        defer { server.stop() }
        server.enqueue(.truncatedStream(afterEvents: 100))
        var received: [UInt8] = []
        do {
            for try await part in transport.stream(messagesRequest(server, stream: true)) {
                if case .body(let bytes) = part { received += bytes }
            }
            Issue.record("expected the stream to fail")
        } catch let error as HTTPTransportError {
            #expect(error.kind == .connectionLost)
        }
        let names = parseSSE(String(decoding: received, as: UTF8.self)).map(\.name)
        #expect(names.contains("message_delta"))
        #expect(!names.contains("message_stop"))
    }

    @Test func stopEndsAStalledStream() async throws {
        let server = try FakeMessagesServer()
        server.enqueue(.stall(afterEvents: 0))
        let (headSeen, signal) = AsyncStream<Void>.makeStream()
        let transport = self.transport
        let request = messagesRequest(server, stream: true)
        let consumer = Task {
            for try await part in transport.stream(request) {
                if case .head = part { signal.yield() }
            }
        }
        for await _ in headSeen { break }
        let started = ContinuousClock.now
        server.stop()
        let result = await consumer.result
        #expect(ContinuousClock.now - started < .seconds(15))
        #expect(throws: HTTPTransportError.self) { try result.get() }
    }

    @Test func waitUntilTimesOut() async throws {
        let server = try FakeMessagesServer()
        defer { server.stop() }
        #expect(await server.waitUntil(timeout: .milliseconds(50)) { $0.requestCount > 0 } == false)
        #expect(await server.waitUntil { $0.requestCount == 0 })
    }
}
