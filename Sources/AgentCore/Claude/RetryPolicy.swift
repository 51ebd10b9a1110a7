#if canImport(Darwin)
import Darwin
#elseif canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// When to retry a failed Messages API call and how long to wait: the official SDKs' policy
/// (reference §4.2; Python `_should_retry` / `_calculate_retry_timeout`).
///
/// It covers only failures before a response body starts streaming: a stream whose bytes were
/// consumed is never retried here (reference §4.2, §8 item 6); the agent loop decides.
///
/// ```swift
/// let policy = RetryPolicy(maxRetries: 4)
/// switch policy.decision(for: head, retriesSoFar: 0) {
/// case .retry(let delay): try await Task.sleep(for: .seconds(delay))
/// case .giveUp: throw ModelError(status: head.status, body: body, requestID: head.header("request-id"))
/// }
/// ```
public struct RetryPolicy: Sendable {
    /// What to do after a failed attempt.
    public enum Decision: Sendable, Hashable {
        /// Make another attempt after `delay` seconds.
        case retry(delay: Double)
        /// Report the failure.
        case giveUp

        /// The delay of a `.retry`, nil for `.giveUp`.
        public var delay: Double? {
            if case .retry(let delay) = self { return delay }
            return nil
        }
    }

    /// reference §4.2: the first computed backoff, in seconds.
    public static let initialRetryDelay = 0.5
    /// reference §4.2: the computed backoff never exceeds this, in seconds.
    public static let maximumRetryDelay = 8.0
    /// reference §4.2 (Python SDK): a `retry-after` header is honoured only up to this many seconds.
    public static let maximumHeaderDelay = 60.0

    /// Retries allowed after the first attempt; reference §4.2: 2 by default, so up to 3 attempts.
    public var maxRetries: Int
    /// A random number in `0...1` for the backoff jitter (values outside are clamped).
    public var jitter: @Sendable () -> Double
    /// The current time in seconds since 1970, for `retry-after` HTTP-dates.
    public var now: @Sendable () -> Double

    /// Creates a policy.
    /// - Parameters:
    ///   - maxRetries: retries after the first attempt (the computer-use demo uses 4).
    ///   - jitter: the random source of the backoff jitter; inject a constant in tests.
    ///   - now: the wall clock; inject a constant in tests.
    public init(
        maxRetries: Int = 2,
        jitter: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) },
        now: @escaping @Sendable () -> Double = RetryPolicy.systemTime
    ) {
        self.maxRetries = maxRetries
        self.jitter = jitter
        self.now = now
    }

    /// The system's wall-clock time in seconds since 1970.
    @Sendable public static func systemTime() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_REALTIME, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }

    // MARK: - Decisions

    /// The decision after an HTTP error response.
    /// - Parameters:
    ///   - status: the response's status code.
    ///   - headers: the response's headers (names compared case-insensitively).
    ///   - retriesSoFar: retries already made (0 after the first attempt failed).
    public func decision(forStatus status: Int, headers: [HTTPField], retriesSoFar: Int) -> Decision {
        guard retriesSoFar < maxRetries, shouldRetry(status: status, headers: headers) else { return .giveUp }
        return .retry(delay: delay(headers: headers, retriesSoFar: retriesSoFar))
    }

    /// The decision after an HTTP error response, from its head.
    public func decision(for head: HTTPClientResponseHead, retriesSoFar: Int) -> Decision {
        decision(forStatus: head.status, headers: head.headers, retriesSoFar: retriesSoFar)
    }

    /// The decision after a transfer failed before any response arrived.
    ///
    /// reference §4.2 rule 3: connection errors and timeouts are retried, with the computed backoff
    /// (there are no headers to honour). The SDKs retry every transport failure, so `.other` is too.
    public func decision(forTransportError error: HTTPTransportError, retriesSoFar: Int) -> Decision {
        guard retriesSoFar < maxRetries else { return .giveUp }
        switch error.kind {
        case .connect, .timeout, .connectionLost, .other: return .retry(delay: backoff(retriesSoFar: retriesSoFar))
        }
    }

    /// Whether a response with this status and headers is retryable, ignoring the retry budget.
    public func shouldRetry(status: Int, headers: [HTTPField]) -> Bool {
        // reference §4.2 rule 1: `x-should-retry` decides first, both ways.
        switch Self.header("x-should-retry", in: headers)?.lowercased() {
        case "true"?: return true
        case "false"?: return false
        default: break
        }
        // reference §4.2 rules 2 and 4: 408, 409, 429 and every status >= 500; no other 4xx.
        switch status {
        case 408, 409, 429: return true
        case 500...: return true
        default: return false
        }
    }

    // MARK: - Delays

    /// The wait before the next attempt, in seconds.
    ///
    /// reference §4.2: the `retry-after-ms` / `retry-after` value when it is in `0 < value <= 60` s
    /// (the Python SDK's rule), otherwise the computed backoff.
    public func delay(headers: [HTTPField], retriesSoFar: Int) -> Double {
        let fromHeaders = RetryAfterHeader.seconds(
            milliseconds: Self.header("retry-after-ms", in: headers),
            retryAfter: Self.header("retry-after", in: headers), now: now())
        if let fromHeaders, fromHeaders > 0, fromHeaders <= Self.maximumHeaderDelay { return fromHeaders }
        return backoff(retriesSoFar: retriesSoFar)
    }

    /// The computed backoff: `min(0.5 × 2^n, 8) × (1 − 0.25 × random)` seconds, with `n` the retries
    /// already made (reference §4.2): about 0.375–0.5, 0.75–1, 1.5–2, 3–4, 6–8, then 6–8 s.
    public func backoff(retriesSoFar: Int) -> Double {
        var base = Self.initialRetryDelay
        for _ in 0..<min(max(retriesSoFar, 0), 16) where base < Self.maximumRetryDelay { base *= 2 }
        let random = min(max(jitter(), 0), 1)
        return min(base, Self.maximumRetryDelay) * (1 - 0.25 * random)
    }

    /// The first value of the named header, names compared case-insensitively, trimmed of spaces.
    private static func header(_ name: String, in headers: [HTTPField]) -> String? {
        guard var value = headers.first(where: { $0.name.lowercased() == name })?.value[...] else { return nil }
        while let first = value.first, first == " " || first == "\t" { value = value.dropFirst() }
        while let last = value.last, last == " " || last == "\t" { value = value.dropLast() }
        return String(value)
    }
}
