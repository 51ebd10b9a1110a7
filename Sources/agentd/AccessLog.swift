import AgentHTTP

/// Wraps a handler and logs one line per request: method, path, status, duration and request id.
///
/// ```swift
/// let server = HTTPServer(configuration: configuration, handler: AccessLog(router, logger: logger))
/// // 2026-11-23T06:40:00Z info request method=GET path=/api/v1/health status=200 duration_ms=0.4 request_id=req_…
/// ```
///
/// Only the path is logged: never headers (`Authorization`, `x-api-key`), the query or the body;
/// `redact` hides secrets a dialect carries in the path (seed 002's `task_id`).
struct AccessLog: HTTPHandler {
    let next: any HTTPHandler
    let logger: Logger
    let redact: @Sendable (String) -> String

    init(_ next: any HTTPHandler, logger: Logger, redact: @escaping @Sendable (String) -> String = { $0 }) {
        self.next = next
        self.logger = logger
        self.redact = redact
    }

    func handle(_ request: HTTPRequest) async -> HTTPResponse { await reply(to: request).response() }

    func reply(to request: HTTPRequest) -> HTTPReply {
        // Above info (the benchmark's `--log-level warning`), requests pass through untouched.
        guard logger.level <= .info else { return next.reply(to: request) }
        let started = ContinuousClock.now
        let logger = self.logger
        let path = redact(request.path)
        return next.reply(to: request).map { response in
            let elapsed = (ContinuousClock.now - started).components
            let milliseconds = Double(elapsed.seconds) * 1000 + Double(elapsed.attoseconds) / 1e15
            logger.info("request", [
                "method": .string(request.method), "path": .string(path), "status": .int(response.status),
                "duration_ms": .double((milliseconds * 10).rounded() / 10),
                "request_id": .string(response.headers["X-Request-ID"] ?? "-"),
            ])
            return response
        }
    }

    func bodyLimit(for head: HTTPRequestHead) -> Int? { next.bodyLimit(for: head) }
    func bodyDestination(for head: HTTPRequestHead) -> HTTPBodyDestination { next.bodyDestination(for: head) }
}
