/// Applies a `RateLimiter` to one group of routes, keyed by the client's IP address.
///
/// Requests in the group carry `X-RateLimit-Limit`, `X-RateLimit-Remaining` and
/// `X-RateLimit-Reset` (seconds until the window ends); one over the limit is answered 429 with
/// `Retry-After` and the error envelope, without reaching the wrapped handler. Requests outside the
/// group pass untouched. The native API is not rate-limited by default.
///
/// ```swift
/// let limited = RateLimitMiddleware(wrapping: router, limiter: RateLimiter(limit: 5, window: 60),
///                                   group: { $0.path.hasPrefix("/v1/auth/") })
/// ```
public struct RateLimitMiddleware: HTTPHandler {
    private let next: any HTTPHandler
    public let limiter: RateLimiter
    private let group: @Sendable (HTTPRequest) -> Bool
    private let key: @Sendable (HTTPRequest) -> String
    private let refusal: @Sendable (_ decision: RateLimiter.Decision, _ requestID: String) -> HTTPResponse

    /// - Parameters:
    ///   - next: the handler that answers.
    ///   - limiter: the counter (share one between middlewares to share the budget).
    ///   - group: which requests are limited.
    ///   - key: whose budget a request spends; the client's IP address by default.
    ///   - refusal: the 429 response for a request over the limit (the middleware adds
    ///     `Retry-After`, `X-Request-ID` and the rate-limit headers); the native error envelope by default.
    public init(wrapping next: any HTTPHandler, limiter: RateLimiter,
                group: @escaping @Sendable (HTTPRequest) -> Bool,
                key: @escaping @Sendable (HTTPRequest) -> String = { ClientAddress($0.remoteAddress).host },
                refusal: @escaping @Sendable (_ decision: RateLimiter.Decision, _ requestID: String) -> HTTPResponse
                    = RateLimitMiddleware.nativeRefusal) {
        self.next = next
        self.limiter = limiter
        self.group = group
        self.key = key
        self.refusal = refusal
    }

    /// The native API's 429: its error envelope, type `rate_limited`.
    public static func nativeRefusal(_ decision: RateLimiter.Decision, _ requestID: String) -> HTTPResponse {
        APIError(429, "rate_limited", "too many requests; retry in \(decision.resetAfter) s").response(requestID: requestID)
    }

    /// Limits the requests whose path starts with `prefix`.
    public init(wrapping next: any HTTPHandler, limiter: RateLimiter, pathPrefix prefix: String) {
        self.init(wrapping: next, limiter: limiter, group: { $0.path.hasPrefix(prefix) })
    }

    public func handle(_ request: HTTPRequest) async -> HTTPResponse { await reply(to: request).response() }

    public func reply(to request: HTTPRequest) -> HTTPReply {
        guard group(request) else { return next.reply(to: request) }
        let decision = limiter.take(key(request))
        let answer: HTTPReply
        if decision.allowed {
            answer = next.reply(to: request)
        } else {
            let requestID = Router.requestID(for: request)
            var refused = self.refusal(decision, requestID)
            refused.headers.append(name: "Retry-After", value: String(decision.resetAfter))
            refused.headers.append(name: "X-Request-ID", value: requestID)
            answer = .ready(refused)
        }
        return answer.map { response in
            var response = response
            response.headers.append(name: "X-RateLimit-Limit", value: String(decision.limit))
            response.headers.append(name: "X-RateLimit-Remaining", value: String(decision.remaining))
            response.headers.append(name: "X-RateLimit-Reset", value: String(decision.resetAfter))
            return response
        }
    }

    public func bodyLimit(for head: HTTPRequestHead) -> Int? { next.bodyLimit(for: head) }
    public func bodyDestination(for head: HTTPRequestHead) -> HTTPBodyDestination { next.bodyDestination(for: head) }
}
