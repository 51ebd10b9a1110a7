import AgentCore
import AgentTesting
import Testing

/// `AnthropicClient` failures over real HTTP: API errors, broken and stalled streams, dead
/// connections, and cancellation aborting the transfer.
@Suite(.timeLimit(.minutes(1)))
struct AnthropicClientErrorTests {
    // MARK: API errors

    @Test func anEmptyKeyIsRefusedBeforeAnythingIsSent() async throws {
        // reference §1.1: like the SDKs, the client refuses to send a request with no credential.
        let server = try FakeMessagesServer()
        defer { server.stop() }
        let outcome = await sendAll(fakeServerClient(server, apiKey: ""), helloRequest())
        let error = try #require(outcome.modelError)
        #expect(error.kind == .missingAPIKey)
        #expect(outcome.retries.isEmpty)
        #expect(server.requestCount == 0)
    }

    @Test func wrongKeyIsATypedAuthenticationErrorThatNeverShowsTheKey() async throws {
        let server = try FakeMessagesServer(apiKey: "sk-ant-the-right-one")
        defer { server.stop() }
        let outcome = await sendAll(fakeServerClient(server), helloRequest())
        let error = try #require(outcome.modelError)
        #expect(error.kind == .authentication)
        #expect(error.status == 401)
        #expect(error.message == "invalid x-api-key")
        #expect(!error.isTransient)
        #expect(server.requestCount == 1)
        #expect(server.requests.first?.header("x-api-key") == testAPIKey)
        #expect(!"\(error)".contains(testAPIKey))
        #expect(!String(reflecting: error).contains(testAPIKey))
        for event in outcome.events { #expect(!"\(event)".contains(testAPIKey)) }
    }

    @Test func toolUseWithoutToolResultIsRejectedWithTheAPIsMessage() async throws {
        let server = try FakeMessagesServer()
        defer { server.stop() }
        let request = MessageRequest(
            model: "claude-sonnet-4-5", maxTokens: 1024,
            messages: [
                .user("List the files"),
                Message(role: .assistant, content: [
                    .text("Listing."), .toolUse(ToolUseBlock(id: "toolu_lonely", name: "bash", input: ["command": "ls"])),
                ]),
                .user("Well?"),
            ])
        let outcome = await sendAll(fakeServerClient(server), request)
        let error = try #require(outcome.modelError)
        #expect(error.kind == .invalidRequest)
        #expect(error.status == 400)
        #expect(
            error.message
                == "messages.1: `tool_use` ids were found without `tool_result` blocks immediately after: toolu_lonely. "
                + "Each `tool_use` block must have a corresponding `tool_result` block in the next message.")
        #expect(outcome.retries.isEmpty)
        #expect(server.requestCount == 1)
    }

    @Test func nonJSONErrorPageKeepsItsStatusAndText() async throws {
        let server = try FakeMessagesServer()
        defer { server.stop() }
        server.enqueue(.raw(
            status: 502, headers: [HTTPField("content-type", "text/html")], body: Array("<html>Bad Gateway</html>".utf8)))
        let outcome = await sendAll(fakeServerClient(server, maxRetries: 0), helloRequest())
        let error = try #require(outcome.modelError)
        #expect(error.kind == .api)
        #expect(error.status == 502)
        #expect(error.message == "<html>Bad Gateway</html>")
        #expect(error.requestID == nil)
    }

    @Test func unreadableSuccessfulRepliesAreInvalidResponses() async throws {
        let server = try FakeMessagesServer()
        defer { server.stop() }
        let json = [HTTPField("content-type", "application/json"), HTTPField("request-id", "req_bad_body")]
        server.enqueue(.raw(status: 200, headers: json, body: Array("{\"type\": \"message\", \"content\": [".utf8)))
        server.enqueue(.raw(status: 200, headers: json, body: Array("{}".utf8)))
        let client = fakeServerClient(server)

        let plain = await sendAll(client, helloRequest(stream: false))
        #expect(plain.modelError?.kind == .invalidResponse)
        #expect(plain.modelError?.status == 200)
        #expect(plain.modelError?.requestID == "req_bad_body")
        // A stream was asked for and JSON came back.
        let streamed = await sendAll(client, helloRequest(stream: true))
        #expect(streamed.modelError?.kind == .invalidResponse)
        #expect(streamed.modelError?.message.contains("application/json") == true)
        #expect(server.requestCount == 2)
    }

    // MARK: Broken streams

    @Test func midStreamErrorIsTypedAndNotRetriedByTheClient() async throws {
        let server = try FakeMessagesServer(chunkSize: 11)
        defer { server.stop() }
        server.enqueue(.midStreamError(afterEvents: 5))
        server.enqueue(.text("a retry would get this"))
        let outcome = await sendAll(fakeServerClient(server), helloRequest())

        let error = try #require(outcome.modelError)
        #expect(error.kind == .overloaded)
        #expect(error.message == "Overloaded")
        #expect(error.status == 200)
        #expect(error.duringStream)
        #expect(error.requestID?.hasPrefix("req_") == true)
        #expect(error.isTransient)  // the agent loop may retry the turn; the client does not
        #expect(!outcome.text.isEmpty)  // the partial text was streamed before the error
        #expect("Partial answer that will not finish".hasPrefix(outcome.text))
        #expect(outcome.response == nil)
        #expect(outcome.retries.isEmpty)
        #expect(server.requestCount == 1)
        #expect(server.stats.pendingReplies == 1)
    }

    @Test func truncatedStreamIsInterruptedAndNotRetried() async throws {
        let server = try FakeMessagesServer()
        defer { server.stop() }
        server.enqueue(.truncatedStream(afterEvents: 4))
        server.enqueue(.text("a retry would get this"))
        let outcome = await sendAll(fakeServerClient(server), helloRequest())

        let error = try #require(outcome.modelError)
        #expect(error.kind == .streamInterrupted)
        #expect(error.duringStream)
        #expect(error.status == 200)
        #expect(error.requestID?.hasPrefix("req_") == true)
        #expect(outcome.response == nil)
        #expect(outcome.retries.isEmpty)
        #expect(server.requestCount == 1)
    }

    @Test func streamThatEndsCleanlyWithoutMessageStopIsInterrupted() async throws {
        let server = try FakeMessagesServer()
        defer { server.stop() }
        server.enqueue(.rawSSE("""
            event: message_start
            data: {"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant","model":"m","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":3,"output_tokens":1}}}

            event: content_block_start
            data: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}

            event: content_block_delta
            data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Half"}}


            """))
        let outcome = await sendAll(fakeServerClient(server), helloRequest())
        #expect(outcome.text == "Half")
        #expect(outcome.modelError?.kind == .streamInterrupted)
        #expect(outcome.modelError?.message == "the stream ended before message_stop")
        #expect(outcome.modelError?.requestID?.hasPrefix("req_") == true)
        #expect(outcome.retries.isEmpty)
        #expect(server.requestCount == 1)
    }

    @Test func stalledStreamFailsAfterTheIdleTimeout() async throws {
        let server = try FakeMessagesServer()
        defer { server.stop() }
        server.enqueue(.stall(afterEvents: 4))
        let clock = ContinuousClock()
        let started = clock.now
        let outcome = await sendAll(fakeServerClient(server, maxRetries: 2, idleTimeout: 1), helloRequest())
        #expect(clock.now - started < .seconds(45))
        let error = try #require(outcome.modelError)
        // The stream had started, so it is not retried: the user sees it broke.
        #expect(error.kind == .streamInterrupted || error.kind == .timeout)
        #expect(error.duringStream)
        #expect(outcome.retries.isEmpty)
        #expect(server.requestCount == 1)
        #expect(await server.waitUntil { $0.closedConnections >= 1 })
    }

    @Test func stallBeforeTheStreamStartsIsATimeout() async throws {
        let server = try FakeMessagesServer()
        defer { server.stop() }
        server.enqueue(.stall(afterEvents: 0))  // the response head, then nothing
        let clock = ContinuousClock()
        let started = clock.now
        let outcome = await sendAll(fakeServerClient(server, maxRetries: 0, idleTimeout: 1), helloRequest())
        #expect(clock.now - started < .seconds(45))
        #expect(outcome.modelError?.kind == .timeout)
        #expect(outcome.modelError?.duringStream == false)
    }

    // MARK: Dead connections

    @Test func connectionResetIsRetriedByThePolicy() async throws {
        let server = try FakeMessagesServer()
        defer { server.stop() }
        server.enqueue(.resetConnection)
        server.enqueue(.text("after the reset"))
        // A fresh transport: the first request opens a fresh connection, so libcurl does not resend
        // it by itself and the reset reaches the client.
        let outcome = await sendAll(fakeServerClient(server, maxRetries: 2), helloRequest())

        #expect(outcome.error == nil)
        #expect(outcome.response?.content == [.text("after the reset")])
        let notice = try #require(outcome.retries.first)
        #expect(outcome.retries.count == 1)
        #expect(notice.attempt == 1)
        #expect(notice.status == nil)
        #expect(notice.delay == 0.5)
        #expect(server.requestCount == 2)
        #expect(server.requests.map { $0.header("x-stainless-retry-count") } == ["0", "1"])
        #expect(server.acceptedConnections == 2)
    }

    @Test func resetOnAReusedConnectionIsResentOnceByLibcurlThenRetriedByThePolicy() async throws {
        let server = try FakeMessagesServer()
        defer { server.stop() }
        let client = fakeServerClient(server, maxRetries: 2)
        #expect(await sendAll(client, helloRequest()).response?.content == [.text("ok")])  // opens a keep-alive connection
        server.enqueue(contentsOf: [.resetConnection, .resetConnection, .text("after two resets")])
        let outcome = await sendAll(client, helloRequest())
        #expect(outcome.response?.content == [.text("after two resets")])
        // libcurl resent the request on a fresh connection by itself; the second reset reached the client.
        #expect(outcome.retries.count == 1)
        #expect(server.requestCount == 4)
        #expect(server.stats.pendingReplies == 0)
    }

    @Test func connectionRefusedIsAConnectionErrorAfterRetries() async throws {
        let closed = try FakeMessagesServer()
        let url = closed.baseURL
        closed.stop()
        let client = AnthropicClient(
            apiKey: testAPIKey, baseURL: url, transport: CurlHTTPTransport(),
            retryPolicy: RetryPolicy(maxRetries: 1, jitter: { 0 }))
        let outcome = await sendAll(client, helloRequest())
        let error = try #require(outcome.modelError)
        #expect(error.kind == .connection)
        #expect(error.status == nil)
        #expect(error.requestID == nil)
        #expect(outcome.retries.count == 1)
        #expect(outcome.retries.first?.status == nil)
        #expect(!"\(error)".contains(testAPIKey))
    }

    // MARK: Cancellation

    @Test func cancellingTheConsumerAbortsTheTransferAtOnce() async throws {
        let server = try FakeMessagesServer()
        defer { server.stop() }
        // message_start, content_block_start, ping and the first text delta; then silence.
        server.enqueue(.stall(afterEvents: 4))
        let client = fakeServerClient(server)
        let firstDelta = Gate()
        let consumer = Task { () -> ClientCall in
            var call = ClientCall()
            do {
                for try await event in client.send(helloRequest()) {
                    call.events.append(event)
                    if case .textDelta = event { firstDelta.open() }
                }
            } catch {
                call.error = error
            }
            return call
        }
        await firstDelta.wait()
        #expect(server.closedConnections == 0)

        let clock = ContinuousClock()
        let cancelled = clock.now
        consumer.cancel()
        let call = await consumer.value
        #expect(clock.now - cancelled < .seconds(10))
        #expect(call.error == nil || call.error is CancellationError)
        #expect(call.response == nil)
        #expect(call.text == "This repl")
        // The server sees the socket close: the transfer was aborted, not left running.
        #expect(await server.waitUntil(timeout: .seconds(2)) { $0.closedConnections >= 1 })
        #expect(server.requestCount == 1)
    }

    @Test func cancellingDuringARetryWaitEndsAtOnceWithoutAnotherAttempt() async throws {
        let server = try FakeMessagesServer()
        defer { server.stop() }
        // A 30 s wait, asked for by the server.
        server.enqueue(.error(status: 529, type: "overloaded_error", message: "Overloaded", retryAfterMs: "30000"))
        let client = fakeServerClient(server)
        let retrying = Gate()
        let consumer = Task { () -> ClientCall in
            var call = ClientCall()
            do {
                for try await event in client.send(helloRequest()) {
                    call.events.append(event)
                    if case .retrying = event { retrying.open() }
                }
            } catch {
                call.error = error
            }
            return call
        }
        await retrying.wait()
        let clock = ContinuousClock()
        let cancelled = clock.now
        consumer.cancel()
        let call = await consumer.value
        #expect(clock.now - cancelled < .seconds(10))
        #expect(call.retries.map(\.delay) == [30])
        #expect(call.response == nil)
        #expect(server.requestCount == 1)
    }

    @Test func endingIterationEarlyAbortsTheTransfer() async throws {
        let server = try FakeMessagesServer()
        defer { server.stop() }
        server.enqueue(.stall(afterEvents: 4))
        let client = fakeServerClient(server)
        for try await event in client.send(helloRequest()) {
            if case .textDelta = event { break }
        }
        #expect(await server.waitUntil(timeout: .seconds(2)) { $0.closedConnections >= 1 })
    }
}
