import AgentCore

/// Seed 001's rate limits ("Rate Limiting") on the dialect's routes only, per client IP: three
/// disjoint groups, so each response carries one set of `X-RateLimit-Limit`, `-Remaining` and
/// `-Reset` headers.
///
/// - WebSocket handshakes (`/ws/…`, `/vnc/…`): ``CambioConfiguration/webSocketConnectionsPerWindow``.
/// - Session creation (`POST /sessions`): ``CambioConfiguration/sessionCreationsPerWindow``.
/// - Every other `/sessions…` request: ``CambioConfiguration/requestsPerWindow``.
///
/// `/health`, `/metrics` and the native `/api/v1` routes are never limited. `X-RateLimit-Reset`
/// is the number of seconds until the window ends (the document's example value is ambiguous
/// between an epoch and a delay; seconds match `Retry-After`). A refused request gets 429 in the
/// dialect's envelope, with `Retry-After`.
enum CambioRateLimits {
    /// `next` behind the three limiters.
    static func wrap(_ next: any HTTPHandler, configuration: CambioConfiguration) -> any HTTPHandler {
        let window = configuration.rateLimitWindow
        let general = RateLimitMiddleware(
            wrapping: next, limiter: RateLimiter(limit: configuration.requestsPerWindow, window: window),
            group: { isGeneral($0) }, refusal: refusal)
        let creation = RateLimitMiddleware(
            wrapping: general, limiter: RateLimiter(limit: configuration.sessionCreationsPerWindow, window: window),
            group: { isCreation($0) }, refusal: refusal)
        return RateLimitMiddleware(
            wrapping: creation, limiter: RateLimiter(limit: configuration.webSocketConnectionsPerWindow, window: window),
            group: { isWebSocket($0) }, refusal: refusal)
    }

    static func isWebSocket(_ request: HTTPRequest) -> Bool {
        request.path.hasPrefix("/ws/") || request.path.hasPrefix("/vnc/")
    }

    static func isCreation(_ request: HTTPRequest) -> Bool {
        request.method == "POST" && (request.path == "/sessions" || request.path == "/sessions/")
    }

    static func isGeneral(_ request: HTTPRequest) -> Bool {
        (request.path == "/sessions" || request.path.hasPrefix("/sessions/")) && !isCreation(request)
    }

    /// 429 in seed 001's envelope.
    static func refusal(_ decision: RateLimiter.Decision, _ requestID: String) -> HTTPResponse {
        CambioError(429, "rate_limited", "Too many requests; retry in \(decision.resetAfter) s",
                    details: ["limit": .int(decision.limit), "retry_after": .int(decision.resetAfter)])
            .response(requestID: requestID)
    }
}

extension CambioAPI {
    /// `next` (the whole HTTP stack below) with seed 001's rate limits on the dialect's routes.
    public func rateLimited(_ next: any HTTPHandler) -> any HTTPHandler {
        CambioRateLimits.wrap(next, configuration: configuration)
    }
}
