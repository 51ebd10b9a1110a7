import AgentCore
import AgentTesting
import Dispatch
import Synchronization
import Testing

@Suite struct CurlHTTPTransportTests {
    @Test func jsonReplyHasStatusHeadersAndBody() async throws {
        let server = try FakeMessagesServer()
        defer { server.stop() }
        server.enqueue(.text("Hello there"))
        let response = try await fetch(CurlHTTPTransport(), messagesRequest(server))

        #expect(response.heads.count == 1)
        #expect(response.status == 200)
        #expect(response.head?.header("Request-Id")?.hasPrefix("req_") == true)
        #expect(response.head?.header("content-type") == "application/json")
        #expect(response.head?.header("anthropic-ratelimit-requests-limit") != nil)
        let message = try MessageResponse(json: #require(response.json))
        #expect(message.id.hasPrefix("msg_"))
        #expect(message.model == "claude-sonnet-4-5")
        #expect(message.content == [.text("Hello there")])
        #expect(message.stopReason == .endTurn)
        #expect(message.usage.outputTokens == FakeReply.defaultUsage.outputTokens)
    }

    @Test func sseStreamArrivesInSeveralChunks() async throws {
        let server = try FakeMessagesServer(eventInterval: 0.005)
        defer { server.stop() }
        server.enqueue(.text("Streaming is working nicely today"))
        let response = try await fetch(CurlHTTPTransport(), messagesRequest(server, stream: true))

        #expect(response.status == 200)
        #expect(response.head?.header("content-type") == "text/event-stream; charset=utf-8")
        #expect(response.head?.header("cache-control") == "no-cache")
        #expect(response.chunks.count > 3)
        let events = parseSSE(response.text)
        #expect(events.first?.name == "message_start")
        #expect(events.last?.name == "message_stop")
        let text = events.compactMap { $0.data?["delta"]?["text"]?.stringValue }.joined()
        #expect(text == "Streaming is working nicely today")
    }

    @Test func rawSSESplitEverySevenBytesConcatenatesExactly() async throws {
        let fixture = """
            event: message_start
            data: {"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant","model":"m","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":3,"output_tokens":1}}}

            event: content_block_start
            data: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}

            event: content_block_delta
            data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hé ✓"}}

            event: content_block_stop
            data: {"type":"content_block_stop","index":0   }

            event: message_delta
            data: {"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"output_tokens":4}}

            event: message_stop
            data: {"type":"message_stop"     }


            """
        let server = try FakeMessagesServer(chunkSize: 7, eventInterval: 0.001)
        defer { server.stop() }
        server.enqueue(.rawSSE(fixture))
        let response = try await fetch(CurlHTTPTransport(), messagesRequest(server, stream: true))
        #expect(response.body == Array(fixture.utf8))
        #expect(response.chunks.count > 1)
        #expect(response.chunks.allSatisfy { $0.count <= 7 })
    }

    @Test func rateLimitErrorKeepsRetryHeaders() async throws {
        let server = try FakeMessagesServer()
        defer { server.stop() }
        server.enqueue(
            .error(
                status: 429, type: "rate_limit_error", message: "Slow down", retryAfter: "16", retryAfterMs: "16000",
                shouldRetry: "true"))
        let response = try await fetch(CurlHTTPTransport(), messagesRequest(server))

        #expect(response.status == 429)
        #expect(response.head?.header("retry-after") == "16")
        #expect(response.head?.header("retry-after-ms") == "16000")
        #expect(response.head?.header("x-should-retry") == "true")
        let requestID = try #require(response.head?.header("request-id"))
        #expect(response.json?["error"]?["type"] == "rate_limit_error")
        #expect(response.json?["request_id"]?.stringValue == requestID)
    }

    @Test func connectionResetIsConnectionLost() async throws {
        let server = try FakeMessagesServer()
        defer { server.stop() }
        server.enqueue(.resetConnection)
        let error = await transportError(CurlHTTPTransport(), messagesRequest(server))
        #expect(error?.kind == .connectionLost || error?.kind == .connect)
        #expect(error?.message.isEmpty == false)
    }

    /// libcurl silently retries once when a *reused* connection dies before any response byte (a
    /// stale keep-alive race), so on a warm connection one reset is absorbed and the next reply is used.
    @Test func resetOnAReusedConnectionIsRetriedOnceByLibcurl() async throws {
        let server = try FakeMessagesServer()
        defer { server.stop() }
        let transport = CurlHTTPTransport()
        #expect(try await fetch(transport, messagesRequest(server)).status == 200)
        server.enqueue(contentsOf: [.resetConnection, .resetConnection])
        let error = await transportError(transport, messagesRequest(server))
        #expect(error?.kind == .connectionLost)
        #expect(server.requestCount == 3)
    }

    @Test func truncatedStreamIsConnectionLost() async throws {
        let server = try FakeMessagesServer()
        defer { server.stop() }
        server.enqueue(.truncatedStream(afterEvents: 3))
        let error = await transportError(CurlHTTPTransport(), messagesRequest(server, stream: true))
        #expect(error?.kind == .connectionLost)
    }

    @Test func stalledStreamTimesOut() async throws {
        let server = try FakeMessagesServer()
        defer { server.stop() }
        server.enqueue(.stall(afterEvents: 1))
        let started = ContinuousClock.now
        let error = await transportError(CurlHTTPTransport(), messagesRequest(server, stream: true, idleTimeout: 1))
        #expect(error?.kind == .timeout)
        // The request's 1 s idle timeout ended it, not a default one (the client's is 300 s); the
        // bound is loose because a loaded machine (parallel builds) delays curl's timer checks.
        #expect(ContinuousClock.now - started < .seconds(60))
    }

    @Test func cancellingTheConsumerAbortsTheTransferAtOnce() async throws {
        let server = try FakeMessagesServer()
        defer { server.stop() }
        server.enqueue(.stall(afterEvents: 1))
        let transport = CurlHTTPTransport()
        let (gotFirstChunk, signal) = AsyncStream<Void>.makeStream()
        let consumer = Task {
            var sawHead = false
            for try await part in transport.stream(messagesRequest(server, stream: true)) {
                switch part {
                case .head(let head): sawHead = head.status == 200
                case .body: signal.yield()
                }
            }
            return sawHead
        }
        for await _ in gotFirstChunk { break }
        #expect(server.stats.openConnections == 1)

        let cancelledAt = ContinuousClock.now
        consumer.cancel()
        _ = try? await consumer.value
        let disconnected = await server.waitUntil { $0.closedConnections >= 1 }
        let elapsed = ContinuousClock.now - cancelledAt
        #expect(disconnected)
        #expect(elapsed < .seconds(10))

        // The pooled handle is healthy afterwards.
        let next = try await fetch(transport, messagesRequest(server))
        #expect(next.status == 200)
    }

    @Test func breakingOutOfTheLoopAbortsTheTransfer() async throws {
        let server = try FakeMessagesServer()
        defer { server.stop() }
        server.enqueue(.stall(afterEvents: 2))
        let transport = CurlHTTPTransport()
        do {
            let stream = transport.stream(messagesRequest(server, stream: true))
            for try await part in stream {
                if case .body = part { break }
            }
        }
        let started = ContinuousClock.now
        #expect(await server.waitUntil { $0.closedConnections >= 1 })
        #expect(ContinuousClock.now - started < .seconds(45))
    }

    @Test func sequentialRequestsReuseOneConnection() async throws {
        let server = try FakeMessagesServer()
        defer { server.stop() }
        let transport = CurlHTTPTransport()
        for i in 0..<20 {
            let response = try await fetch(transport, messagesRequest(server, stream: i.isMultiple(of: 2)))
            #expect(response.status == 200)
        }
        #expect(server.acceptedConnections == 1)
        #expect(server.requestCount == 20)
    }

    @Test func interimContinueHeadIsSkipped() async throws {
        let server = try FakeMessagesServer()
        defer { server.stop() }
        let request = messagesRequest(server, headers: apiHeaders() + [HTTPField("Expect", "100-continue")])
        let response = try await fetch(CurlHTTPTransport(), request)
        #expect(response.heads.map(\.status) == [200])
        #expect(server.requests.first?.header("expect") == "100-continue")
    }

    @Test func largeBodyArrivesIntact() async throws {
        let server = try FakeMessagesServer()
        defer { server.stop() }
        let big = String(repeating: "0123456789abcdef", count: 32 * 1024)  // 512 KB
        let body = messagesBody(messages: [.user(big)])
        let response = try await fetch(CurlHTTPTransport(), messagesRequest(server, body: body))
        #expect(response.status == 200)
        #expect(server.requests.first?.messages.first?.text == big)
    }

    @Test func chunkedRequestBodyIsDecoded() async throws {
        let server = try FakeMessagesServer()
        defer { server.stop() }
        let request = messagesRequest(server, headers: apiHeaders() + [HTTPField("Transfer-Encoding", "chunked")])
        let response = try await fetch(CurlHTTPTransport(), request)
        #expect(response.status == 200)
        #expect(server.requests.first?.json == messagesBody())
    }

    @Test func closedPortIsConnectError() async throws {
        let server = try FakeMessagesServer()
        let request = messagesRequest(server)
        server.stop()
        let error = await transportError(CurlHTTPTransport(), request)
        #expect(error?.kind == .connect)
    }

    @Test func getRequestWithoutBody() async throws {
        let server = try FakeMessagesServer()
        defer { server.stop() }
        let response = try await fetch(
            CurlHTTPTransport(), HTTPClientRequest(method: "GET", url: server.baseURL + "/v1/models", headers: apiHeaders()))
        #expect(response.status == 404)
        #expect(response.json?["error"]?["type"] == "not_found_error")
        #expect(server.requests.first?.method == "GET")
        #expect(server.requests.first?.body.isEmpty == true)
    }

    /// Round-trip cost is a benchmark's business (`make bench`); what a test can hold is that every
    /// request after the first rides the same connection.
    @Test func keepAliveReusesOneConnection() async throws {
        let server = try FakeMessagesServer()
        defer { server.stop() }
        server.recordsRequests = false
        let transport = CurlHTTPTransport()
        let request = messagesRequest(server)
        for _ in 0..<300 {
            let response = try await fetch(transport, request)
            #expect(response.status == 200)
        }
        #expect(server.acceptedConnections == 1)
    }

    /// Fifty sessions calling the model at once keep fifty connections between rounds: with all fifty
    /// requests in flight together in the first round, the second round opens no connection (the idle
    /// pool once held 8, so 42 of every 50 requests connected anew and started a thread).
    @Test func concurrentRequestsKeepTheirConnectionsBetweenRounds() async throws {
        let server = try FakeMessagesServer()
        defer { server.stop() }
        server.recordsRequests = false
        // The first 50 requests are answered only once all 50 have arrived, so 50 are in flight at once.
        let arrived = Mutex(0)
        let allArrived = DispatchSemaphore(value: 0)
        server.setResponder { _ in
            let count = arrived.withLock { count -> Int in
                count += 1
                return count
            }
            if count == 50 { for _ in 0..<49 { allArrived.signal() } }
            if count < 50 { allArrived.wait() }
            return .text("ok")
        }
        let transport = CurlHTTPTransport()
        let request = messagesRequest(server)
        func round() async throws -> Int {
            try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<50 { group.addTask { try await fetch(transport, request).status } }
                return try await group.reduce(0) { $0 + ($1 == 200 ? 1 : 0) }
            }
        }
        #expect(try await round() == 50)
        #expect(server.acceptedConnections == 50)
        #expect(try await round() == 50)
        #expect(server.acceptedConnections == 50, "no new connection in the second round")
    }
}
