import AgentCore
import AgentTesting
import Testing

/// `AnthropicClient` retries over real HTTP, as the official SDKs do (reference §4.2): which
/// failures are retried, how long the wait is, what each retry looks like on the wire and to the user.
///
/// Waits come from `retry-after-ms: 10` where possible; the tests that must use the computed backoff
/// wait 0.5 s (jitter 0).
@Suite(.timeLimit(.minutes(1)))
struct AnthropicClientRetryTests {
    @Test func rateLimitWithRetryAfterZeroFallsBackToTheBackoffAndIsReported() async throws {
        let server = try FakeMessagesServer()
        defer { server.stop() }
        server.enqueue(.error(
            status: 429, type: "rate_limit_error", message: "Number of request tokens has exceeded your per-minute rate limit",
            retryAfter: "0"))
        server.enqueue(.text("after the wait"))
        let outcome = await sendAll(fakeServerClient(server), helloRequest())

        #expect(outcome.error == nil)
        #expect(outcome.response?.content == [.text("after the wait")])
        let notice = try #require(outcome.retries.first)
        #expect(outcome.retries.count == 1)
        #expect(notice.attempt == 1)
        #expect(notice.status == 429)
        #expect(notice.reason.contains("rate_limit_error"))
        #expect(notice.reason.contains("per-minute rate limit"))
        // reference §4.2 (Python): a header value of 0 is not used; the computed backoff is 0.5 s.
        #expect(notice.delay == 0.5)
        // The notice comes first, then the new attempt's output.
        if case .retrying = outcome.events.first {} else { Issue.record("the first event is not .retrying") }
        #expect(server.requests.map { $0.header("x-stainless-retry-count") } == ["0", "1"])
        // The retry resends the same body.
        #expect(server.requests[0].body == server.requests[1].body)
        #expect(!notice.reason.contains(testAPIKey))
    }

    @Test func retryAfterMsIsHonoured() async throws {
        let server = try FakeMessagesServer()
        defer { server.stop() }
        server.enqueue(.error(status: 429, type: "rate_limit_error", message: "Slow down", retryAfter: "30", retryAfterMs: "10"))
        server.enqueue(.text("done"))
        let clock = ContinuousClock()
        let started = clock.now
        let outcome = await sendAll(fakeServerClient(server), helloRequest())
        #expect(outcome.response?.content == [.text("done")])
        #expect(outcome.retries.map(\.delay) == [0.01])  // retry-after-ms wins over retry-after
        #expect(clock.now - started < .seconds(28))  // far below the 30 s retry-after it must not wait for
    }

    @Test func overloadedAndServerErrorsAreRetriedUntilSuccess() async throws {
        let server = try FakeMessagesServer()
        defer { server.stop() }
        server.enqueue(.error(status: 529, type: "overloaded_error", message: "Overloaded", retryAfterMs: "10"))
        server.enqueue(.error(status: 500, type: "api_error", message: "Internal server error", retryAfterMs: "10"))
        server.enqueue(.text("third time lucky"))
        let outcome = await sendAll(fakeServerClient(server, maxRetries: 2), helloRequest())

        #expect(outcome.error == nil)
        #expect(outcome.response?.content == [.text("third time lucky")])
        #expect(outcome.retries.map(\.attempt) == [1, 2])
        #expect(outcome.retries.map(\.status) == [529, 500])
        #expect(outcome.retries[0].reason == "overloaded_error: Overloaded")
        #expect(outcome.retries[1].reason == "api_error: Internal server error")
        #expect(server.requests.map { $0.header("x-stainless-retry-count") } == ["0", "1", "2"])
    }

    @Test func shouldRetryFalseStopsAServerErrorAtOnce() async throws {
        let server = try FakeMessagesServer()
        defer { server.stop() }
        server.enqueue(.error(status: 500, type: "api_error", message: "Internal server error", shouldRetry: "false"))
        server.enqueue(.text("never sent"))
        let outcome = await sendAll(fakeServerClient(server), helloRequest())

        let error = try #require(outcome.modelError)
        #expect(error.kind == .api)
        #expect(error.status == 500)
        #expect(error.message == "Internal server error")
        #expect(error.requestID?.hasPrefix("req_011C") == true)
        #expect(!error.duringStream)
        #expect(outcome.retries.isEmpty)
        #expect(server.requestCount == 1)
        #expect(server.stats.pendingReplies == 1)
        #expect("\(error)" == "api_error (HTTP 500): Internal server error [request-id \(error.requestID ?? "")]")

        // The request id is the response header's, even when the body names another.
        let other = try FakeMessagesServer()
        defer { other.stop() }
        let body = #"{"type":"error","error":{"type":"api_error","message":"boom"},"request_id":"req_from_body"}"#
        other.enqueue(.raw(
            status: 500,
            headers: [HTTPField("content-type", "application/json"), HTTPField("request-id", "req_from_header"),
                      HTTPField("x-should-retry", "false")],
            body: Array(body.utf8)))
        let raw = await sendAll(fakeServerClient(other), helloRequest())
        #expect(raw.modelError == ModelError(kind: .api, message: "boom", status: 500, requestID: "req_from_header"))
    }

    @Test func badRequestIsNeverRetriedUnlessTheServerSaysSo() async throws {
        let server = try FakeMessagesServer()
        defer { server.stop() }
        let roles = #"messages: roles must alternate between "user" and "assistant""#
        server.enqueue(.error(status: 400, type: "invalid_request_error", message: roles))
        server.enqueue(.error(status: 400, type: "invalid_request_error", message: "try again", retryAfterMs: "10", shouldRetry: "true"))
        server.enqueue(.text("accepted on the retry"))
        let client = fakeServerClient(server)
        let rejected = await sendAll(client, helloRequest())
        #expect(rejected.modelError?.kind == .invalidRequest)
        #expect(rejected.modelError?.status == 400)
        #expect(rejected.modelError?.message == roles)
        #expect(rejected.retries.isEmpty)
        #expect(server.requestCount == 1)
        #expect(server.stats.pendingReplies == 2)

        // reference §4.2 rule 1: `x-should-retry: true` wins over the status.
        let retried = await sendAll(client, helloRequest())
        #expect(retried.retries.map(\.status) == [400])
        #expect(retried.retries.first?.reason == "invalid_request_error: try again")
        #expect(retried.response?.content == [.text("accepted on the retry")])
        #expect(server.requestCount == 3)
    }

    @Test func maxRetriesIsRespected() async throws {
        let server = try FakeMessagesServer()
        defer { server.stop() }
        for _ in 0..<3 { server.enqueue(.error(status: 529, type: "overloaded_error", message: "Overloaded", retryAfterMs: "10")) }
        server.enqueue(.text("a fourth attempt would get this"))
        let outcome = await sendAll(fakeServerClient(server, maxRetries: 2), helloRequest())

        let error = try #require(outcome.modelError)
        #expect(error.kind == .overloaded)
        #expect(error.status == 529)
        #expect(error.message == "Overloaded")
        #expect(error.requestID?.hasPrefix("req_") == true)
        #expect(error.isTransient)
        #expect(outcome.retries.map(\.attempt) == [1, 2])
        #expect(outcome.response == nil)
        #expect(server.requestCount == 3)
        #expect(server.stats.pendingReplies == 1)
    }

    @Test func zeroRetriesMakesOneAttempt() async throws {
        let server = try FakeMessagesServer()
        defer { server.stop() }
        server.enqueue(.error(status: 429, type: "rate_limit_error", message: "Slow down", retryAfterMs: "10"))
        let outcome = await sendAll(fakeServerClient(server, maxRetries: 0), helloRequest())
        #expect(outcome.modelError?.kind == .rateLimit)
        #expect(outcome.modelError?.status == 429)
        #expect(outcome.retries.isEmpty)
        #expect(server.requestCount == 1)
    }
}
