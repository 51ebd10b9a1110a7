import Testing
@testable import AgentCore

@Suite struct RetryPolicyTests {
    /// 1994-11-06T08:49:37Z, the RFC 9110 example date.
    static let now = 784_111_777.0

    static func policy(maxRetries: Int = 2, jitter: Double = 0) -> RetryPolicy {
        RetryPolicy(maxRetries: maxRetries, jitter: { jitter }, now: { now })
    }

    static func headers(_ pairs: KeyValuePairs<String, String>) -> [HTTPField] {
        pairs.map { HTTPField($0.key, $0.value) }
    }

    // MARK: - Which statuses

    @Test(arguments: [408, 409, 429, 500, 502, 503, 504, 529, 599])
    func retryableStatuses(status: Int) {
        #expect(Self.policy().decision(forStatus: status, headers: [], retriesSoFar: 0) == .retry(delay: 0.5))
    }

    @Test(arguments: [400, 401, 402, 403, 404, 405, 413, 422, 451, 499, 200, 301])
    func nonRetryableStatuses(status: Int) {
        #expect(Self.policy().decision(forStatus: status, headers: [], retriesSoFar: 0) == .giveUp)
    }

    @Test func shouldRetryHeaderTrueOverridesStatus() {
        for status in [400, 401, 404, 413] {
            let headers = Self.headers(["x-should-retry": "true"])
            #expect(Self.policy().decision(forStatus: status, headers: headers, retriesSoFar: 0) == .retry(delay: 0.5))
        }
    }

    @Test func shouldRetryHeaderFalseOverridesStatus() {
        for status in [408, 409, 429, 500, 529] {
            let headers = Self.headers(["X-Should-Retry": "false"])
            #expect(Self.policy().decision(forStatus: status, headers: headers, retriesSoFar: 0) == .giveUp)
        }
    }

    @Test func shouldRetryHeaderIsTrimmedAndOtherValuesFallBackToStatus() {
        let policy = Self.policy()
        #expect(policy.shouldRetry(status: 400, headers: Self.headers(["x-should-retry": " TRUE "])))
        #expect(!policy.shouldRetry(status: 529, headers: Self.headers(["x-should-retry": "False"])))
        #expect(policy.shouldRetry(status: 529, headers: Self.headers(["x-should-retry": "maybe"])))
        #expect(!policy.shouldRetry(status: 400, headers: Self.headers(["x-should-retry": ""])))
    }

    // MARK: - Retry budget

    @Test func defaultAllowsTwoRetries() {
        let policy = RetryPolicy(jitter: { 0 })
        #expect(policy.maxRetries == 2)
        #expect(policy.decision(forStatus: 529, headers: [], retriesSoFar: 0) == .retry(delay: 0.5))
        #expect(policy.decision(forStatus: 529, headers: [], retriesSoFar: 1) == .retry(delay: 1))
        #expect(policy.decision(forStatus: 529, headers: [], retriesSoFar: 2) == .giveUp)
    }

    @Test func maxRetriesIsRespectedEvenWhenTheServerSaysRetry() {
        let headers = Self.headers(["x-should-retry": "true", "retry-after": "1"])
        let four = Self.policy(maxRetries: 4)
        #expect((0..<4).allSatisfy { four.decision(forStatus: 429, headers: headers, retriesSoFar: $0) == .retry(delay: 1) })
        #expect(four.decision(forStatus: 429, headers: headers, retriesSoFar: 4) == .giveUp)
        #expect(Self.policy(maxRetries: 0).decision(forStatus: 429, headers: headers, retriesSoFar: 0) == .giveUp)
        #expect(Self.policy(maxRetries: 0).decision(forTransportError: .init(kind: .connect, message: ""), retriesSoFar: 0) == .giveUp)
    }

    @Test(arguments: [HTTPTransportError.Kind.connect, .timeout, .connectionLost, .other])
    func transportErrorsAreRetriedWithBackoff(kind: HTTPTransportError.Kind) {
        let policy = Self.policy()
        let error = HTTPTransportError(kind: kind, message: "boom")
        #expect(policy.decision(forTransportError: error, retriesSoFar: 0) == .retry(delay: 0.5))
        #expect(policy.decision(forTransportError: error, retriesSoFar: 1) == .retry(delay: 1))
        #expect(policy.decision(forTransportError: error, retriesSoFar: 2) == .giveUp)
    }

    @Test func decisionFromResponseHead() {
        let head = HTTPClientResponseHead(status: 429, headers: Self.headers(["Retry-After": "16", "x-should-retry": "true"]))
        let decision = Self.policy().decision(for: head, retriesSoFar: 0)
        #expect(decision == .retry(delay: 16))
        #expect(decision.delay == 16)
        #expect(RetryPolicy.Decision.giveUp.delay == nil)
    }

    // MARK: - Delay from headers

    @Test func retryAfterMsTakesPriority() {
        let headers = Self.headers(["retry-after": "30", "Retry-After-Ms": "1500"])
        #expect(Self.policy().delay(headers: headers, retriesSoFar: 0) == 1.5)
    }

    @Test func retryAfterMsThatDoesNotParseFallsBackToRetryAfter() {
        let headers = Self.headers(["retry-after-ms": "soon", "retry-after": "5"])
        #expect(Self.policy().delay(headers: headers, retriesSoFar: 0) == 5)
    }

    @Test func retryAfterMsOutOfRangeUsesBackoffNotRetryAfter() {
        // As in the Python SDK: a parsed retry-after-ms wins, then fails the range check.
        let headers = Self.headers(["retry-after-ms": "60001", "retry-after": "5"])
        #expect(Self.policy().delay(headers: headers, retriesSoFar: 1) == 1)
    }

    @Test(arguments: [("16", 16.0), ("2.5", 2.5), (" 7 ", 7.0), ("60", 60.0), ("1e1", 10.0)])
    func retryAfterSeconds(value: String, expected: Double) {
        #expect(Self.policy().delay(headers: Self.headers(["retry-after": value]), retriesSoFar: 3) == expected)
    }

    @Test(arguments: [
        "Sun, 06 Nov 1994 08:50:07 GMT",  // IMF-fixdate
        "Sunday, 06-Nov-94 08:50:07 GMT",  // RFC 850
        "Sun Nov  6 08:50:07 1994",  // asctime
        "Sun, 06 Nov 1994 09:50:07 +0100",  // numeric zone
        "6 Nov 1994 08:50:07 UTC",
    ])
    func retryAfterHTTPDate(value: String) {
        #expect(Self.policy().delay(headers: Self.headers(["retry-after": value]), retriesSoFar: 0) == 30)
    }

    @Test(arguments: [
        "0", "-1", "61", "3600", "0x10", "inf", "nan", "", "soon",
        "Sun, 06 Nov 1994 08:49:37 GMT",  // now: zero delay
        "Sun, 06 Nov 1994 08:00:00 GMT",  // past
        "Sun, 06 Nov 1994 08:51:37 GMT",  // 120 s ahead
        "Mon, 31 Feb 1994 08:50:07 GMT",  // no such day
        "Sun, 06 Nov 1994 25:50:07 GMT",
    ])
    func outOfRangeOrInvalidHeaderFallsBackToBackoff(value: String) {
        let headers = Self.headers(["retry-after": value])
        #expect(Self.policy(jitter: 1).delay(headers: headers, retriesSoFar: 2) == 1.5)
        #expect(Self.policy(jitter: 0).decision(forStatus: 529, headers: headers, retriesSoFar: 0) == .retry(delay: 0.5))
    }

    @Test(arguments: ["0", "-100", "60001", "abc"])
    func retryAfterMsOutOfRange(value: String) {
        #expect(Self.policy().delay(headers: Self.headers(["retry-after-ms": value]), retriesSoFar: 0) == 0.5)
    }

    @Test func httpDateParsing() {
        #expect(RetryAfterHeader.httpDate("Thu, 01 Jan 1970 00:00:00 GMT") == 0)
        #expect(RetryAfterHeader.httpDate("Tue, 29 Feb 2000 12:00:00 GMT") == 951_825_600)
        #expect(RetryAfterHeader.httpDate("Mon, 02 Jun 2025 15:15:48 GMT") == 1_748_877_348)
        #expect(RetryAfterHeader.httpDate("Thu, 29 Feb 2001 12:00:00 GMT") == nil)
        #expect(RetryAfterHeader.httpDate("Sun, 06 Nov 1994 GMT") == nil)
        #expect(RetryAfterHeader.httpDate("06 06 1994 08:49:37") == nil)
    }

    // MARK: - Computed backoff

    @Test func backoffWithoutJitter() {
        let policy = Self.policy(maxRetries: 10, jitter: 0)
        #expect((0...5).map { policy.backoff(retriesSoFar: $0) } == [0.5, 1, 2, 4, 8, 8])
        #expect((0...5).map { policy.decision(forStatus: 500, headers: [], retriesSoFar: $0).delay } == [0.5, 1, 2, 4, 8, 8])
        #expect(policy.backoff(retriesSoFar: 1000) == 8)
        #expect(policy.backoff(retriesSoFar: Int.max) == 8)
    }

    @Test func backoffWithFullJitter() {
        let policy = Self.policy(maxRetries: 10, jitter: 1)
        #expect((0...5).map { policy.backoff(retriesSoFar: $0) } == [0.375, 0.75, 1.5, 3, 6, 6])
    }

    @Test func backoffJitterIsScaledAndClamped() {
        #expect(Self.policy(jitter: 0.5).backoff(retriesSoFar: 0) == 0.4375)
        #expect(Self.policy(jitter: 7).backoff(retriesSoFar: 4) == 6)
        #expect(Self.policy(jitter: -3).backoff(retriesSoFar: 4) == 8)
        #expect(Self.policy(jitter: 0).backoff(retriesSoFar: -1) == 0.5)
    }

    @Test func defaultJitterStaysInBounds() {
        let policy = RetryPolicy(maxRetries: 10)
        for n in 0...6 {
            let base = min(0.5 * Double(1 << n), 8)
            for _ in 0..<50 {
                let delay = policy.backoff(retriesSoFar: n)
                #expect(delay >= base * 0.75 && delay <= base)
            }
        }
    }

    @Test func systemTimeIsTheWallClock() {
        #expect(RetryPolicy.systemTime() > 1_700_000_000)
        #expect(RetryPolicy().now() > 1_700_000_000)
    }
}
