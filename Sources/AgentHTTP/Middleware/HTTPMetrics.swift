import Synchronization

/// Request counts and latencies by route pattern, method and status, kept for `/metrics`.
///
/// Labels are the route's pattern (`/api/v1/sessions/{id}`), never the raw path, and methods
/// outside the standard set count as `OTHER`, so the number of series stays bounded whatever
/// clients send.
public final class HTTPMetrics: Sendable {
    /// Upper bounds of the latency histogram's buckets, in seconds.
    public static let buckets: [Double] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30]

    /// The route label of a request no route's path matched.
    public static let unmatchedRoute = "unmatched"

    private struct Key: Hashable, Comparable {
        var route: String
        var method: String
        var status: Int
        static func < (a: Key, b: Key) -> Bool { (a.route, a.method, a.status) < (b.route, b.method, b.status) }
    }

    private struct Histogram {
        var counts = [Int](repeating: 0, count: HTTPMetrics.buckets.count)
        var sum = 0.0
        var count = 0

        mutating func record(_ seconds: Double, bucket: Int?) {
            if let bucket { counts[bucket] += 1 }
            sum += seconds
            count += 1
        }
    }

    private struct State {
        var requests: [Key: Int] = [:]
        var latencies: [String: Histogram] = [:]
    }

    private let state = Mutex(State())

    public init() {}

    /// Counts one answered request.
    /// - Parameters:
    ///   - route: the matched route's pattern, or nil when none matched.
    ///   - method: the request method.
    ///   - status: the response status.
    ///   - seconds: how long the handler took to produce the response (for a streamed body, until
    ///     its head was ready).
    public func record(route: String?, method: String, status: Int, seconds: Double) {
        let key = Key(route: route ?? Self.unmatchedRoute, method: Self.methodLabel(method), status: status)
        let bucket = Self.buckets.firstIndex { seconds <= $0 }
        state.withLock { state in
            state.requests[key, default: 0] += 1
            // Changed in place: copying the histogram out and back would copy its bucket array.
            state.latencies[key.route, default: Histogram()].record(seconds, bucket: bucket)
        }
    }

    /// How many requests were counted with these labels (for tests and health checks).
    public func requestCount(route: String?, method: String, status: Int) -> Int {
        let key = Key(route: route ?? Self.unmatchedRoute, method: Self.methodLabel(method), status: status)
        return state.withLock { $0.requests[key] ?? 0 }
    }

    /// Appends `agentd_http_requests_total` and `agentd_http_request_duration_seconds`.
    public func write(to text: inout PrometheusText) {
        let (requests, latencies) = state.withLock { ($0.requests, $0.latencies) }
        text.family("agentd_http_requests_total", .counter, "HTTP requests answered, by route pattern, method and status.")
        for (key, count) in requests.sorted(by: { $0.key < $1.key }) {
            text.sample("agentd_http_requests_total", ["route": key.route, "method": key.method, "status": String(key.status)],
                        value: Double(count))
        }
        // Seed 001 ("System Metrics") reads the unprefixed family, by method and route pattern.
        var totals: [String: [String: Int]] = [:]
        for (key, count) in requests { totals[key.route, default: [:]][key.method, default: 0] += count }
        text.family("http_requests_total", .counter, "Total HTTP requests, by method and route pattern (endpoint).")
        for (route, methods) in totals.sorted(by: { $0.key < $1.key }) {
            for (method, count) in methods.sorted(by: { $0.key < $1.key }) {
                text.sample("http_requests_total", ["method": method, "endpoint": route], value: Double(count))
            }
        }
        let name = "agentd_http_request_duration_seconds"
        text.family(name, .histogram, "Time to produce each response's head, by route pattern.")
        for (route, histogram) in latencies.sorted(by: { $0.key < $1.key }) {
            var cumulative = 0
            for (bound, count) in zip(Self.buckets, histogram.counts) {
                cumulative += count
                text.sample(name + "_bucket", ["route": route, "le": PrometheusText.format(bound)], value: Double(cumulative))
            }
            text.sample(name + "_bucket", ["route": route, "le": "+Inf"], value: Double(histogram.count))
            text.sample(name + "_sum", ["route": route], value: histogram.sum)
            text.sample(name + "_count", ["route": route], value: Double(histogram.count))
        }
    }

    private static let knownMethods: Set<String> = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]

    /// The method, or `OTHER` for one outside the standard set (keeps the label set bounded).
    static func methodLabel(_ method: String) -> String { knownMethods.contains(method) ? method : "OTHER" }
}
