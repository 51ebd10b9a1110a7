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

    public func handle(_ request: HTTPRequest) async -> HTTPResponse {
        let clock = ContinuousClock()
        let start = clock.now
        let response = await next.handle(request)
        let elapsed = start.duration(to: clock.now)
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        metrics.record(route: routes.pattern(for: request), method: request.method, status: response.status, seconds: seconds)
        return response
    }

    public func bodyLimit(for head: HTTPRequestHead) -> Int? { next.bodyLimit(for: head) }
}
