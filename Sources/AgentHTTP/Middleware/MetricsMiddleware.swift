/// Counts every request that passes through it in an `HTTPMetrics`, labelled by the route pattern
/// the router would match (not the raw path).
///
/// ```swift
/// let metrics = HTTPMetrics()
/// let handler = MetricsMiddleware(wrapping: router, metrics: metrics, routes: router)
/// ```
public struct MetricsMiddleware: HTTPHandler {
    private let next: any HTTPHandler
    private let metrics: HTTPMetrics
    private let routes: Router

    /// - Parameters:
    ///   - next: the handler that answers (the router, or decorators around it).
    ///   - metrics: where counts go.
    ///   - routes: the router whose patterns label requests.
    public init(wrapping next: any HTTPHandler, metrics: HTTPMetrics, routes: Router) {
        self.next = next
        self.metrics = metrics
        self.routes = routes
    }

    public func handle(_ request: HTTPRequest) async -> HTTPResponse { await reply(to: request).response() }

    public func reply(to request: HTTPRequest) -> HTTPReply {
        let clock = ContinuousClock()
        let start = clock.now
        let metrics = self.metrics
        let routes = self.routes
        return next.reply(to: request).map { response in
            let elapsed = start.duration(to: clock.now)
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            // The router names the route it used; an answer from outside it (CORS preflight, rate
            // limit) is matched here.
            let route = response.routePattern ?? routes.pattern(for: request)
            metrics.record(route: route, method: request.method, status: response.status, seconds: seconds)
            return response
        }
    }

    public func bodyLimit(for head: HTTPRequestHead) -> Int? { next.bodyLimit(for: head) }
    public func bodyDestination(for head: HTTPRequestHead) -> HTTPBodyDestination { next.bodyDestination(for: head) }
}
