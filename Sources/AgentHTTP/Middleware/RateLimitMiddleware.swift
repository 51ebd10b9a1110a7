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

    /// - Parameters:
    ///   - next: the handler that answers.
    ///   - limiter: the counter (share one between middlewares to share the budget).
    ///   - group: which requests are limited.
    ///   - key: whose budget a request spends; the client's IP address by default.
    public init(wrapping next: any HTTPHandler, limiter: RateLimiter,
                group: @escaping @Sendable (HTTPRequest) -> Bool,
                key: @escaping @Sendable (HTTPRequest) -> String = { ClientAddress($0.remoteAddress).host }) {
        self.next = next
        self.limiter = limiter
        self.group = group
        self.key = key
    }

    /// Limits the requests whose path starts with `prefix`.
    public init(wrapping next: any HTTPHandler, limiter: RateLimiter, pathPrefix prefix: String) {
        self.init(wrapping: next, limiter: limiter, group: { $0.path.hasPrefix(prefix) })
    }

    public func handle(_ request: HTTPRequest) async -> HTTPResponse {
        guard group(request) else { return await next.handle(request) }
        let decision = limiter.take(key(request))
        var response: HTTPResponse
        if decision.allowed {
            response = await next.handle(request)
        } else {
            let requestID = Router.requestID(for: request)
            response = APIError(429, "rate_limited", "too many requests; retry in \(decision.resetAfter) s")
                .response(requestID: requestID)
            response.headers.append(name: "Retry-After", value: String(decision.resetAfter))
            response.headers.append(name: "X-Request-ID", value: requestID)
        }
        response.headers.append(name: "X-RateLimit-Limit", value: String(decision.limit))
        response.headers.append(name: "X-RateLimit-Remaining", value: String(decision.remaining))
        response.headers.append(name: "X-RateLimit-Reset", value: String(decision.resetAfter))
        return response
    }

    public func bodyLimit(for head: HTTPRequestHead) -> Int? { next.bodyLimit(for: head) }
}
