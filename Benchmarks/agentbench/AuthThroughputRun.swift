import AgentCore
import Foundation

/// What an API key costs on a read: `wrk` on `GET /api/v1/sessions` of two agentd, A with
/// `--auth none` and B with `--auth required` and `X-API-Key` on every request, each holding the
/// same number of sessions; A and B alternate round by round (A B A B …) after a warm-up each.
///
/// ```swift
/// let outcome = try AuthThroughputRun().run(open: a, keyed: b, key: key, wrkCPUs: "1")
/// print(outcome.ratio)   // B's median req/s over A's
/// ```
struct AuthThroughputRun {
    var rounds = 5
    var seconds = 5
    var warmUpSeconds = 1
    /// Sessions put in each store first, so the list is not empty.
    var sessions = 20
    static let path = "/api/v1/sessions?limit=50"

    struct Outcome {
        let open: [WrkRun]
        let keyed: [WrkRun]
        /// The body length of one answer from each: the same list, so the same work.
        let openBodyBytes: Int
        let keyedBodyBytes: Int

        /// B's median req/s over A's.
        var ratio: Double {
            AuthThroughputRun.median(keyed.map(\.requestsPerSecond)) / AuthThroughputRun.median(open.map(\.requestsPerSecond))
        }
        /// B's best round over A's best round.
        var bestRatio: Double {
            (keyed.map(\.requestsPerSecond).max() ?? .nan) / (open.map(\.requestsPerSecond).max() ?? .nan)
        }
        /// B over A for each round, in order.
        var roundRatios: [Double] { zip(keyed, open).map { $0.requestsPerSecond / $1.requestsPerSecond } }
    }

    /// Seeds both servers with `sessions` sessions, then measures.
    /// - Parameter wrkCPUs: the CPUs wrk runs on (taskset), nil for any.
    func run(open: ServerProcess, keyed: ServerProcess, key: String, wrkCPUs: String?) throws -> Outcome {
        let openClient = PlatformClient(port: open.port)
        let keyedClient = PlatformClient(port: keyed.port, apiKey: key)
        for client in [openClient, keyedClient] {
            for index in 0..<sessions {
                try client.call("POST", "/api/v1/sessions", json: ["name": .string("bench \(index)"), "tags": ["bench"]], expect: 201)
            }
        }
        let openBytes = try Self.bodyBytes(openClient)
        let keyedBytes = try Self.bodyBytes(keyedClient)
        let header = ["X-API-Key: \(key)"]

        _ = try WrkRun.measure(open, path: Self.path, seconds: warmUpSeconds, cpus: wrkCPUs)
        _ = try WrkRun.measure(keyed, path: Self.path, headers: header, seconds: warmUpSeconds, cpus: wrkCPUs)
        var openRuns: [WrkRun] = [], keyedRuns: [WrkRun] = []
        for _ in 0..<rounds {
            openRuns.append(try WrkRun.measure(open, path: Self.path, seconds: seconds, cpus: wrkCPUs))
            keyedRuns.append(try WrkRun.measure(keyed, path: Self.path, headers: header, seconds: seconds, cpus: wrkCPUs))
        }
        return Outcome(open: openRuns, keyed: keyedRuns, openBodyBytes: openBytes, keyedBodyBytes: keyedBytes)
    }

    /// The length of one list answer, which must be a 200.
    private static func bodyBytes(_ client: PlatformClient) throws -> Int {
        let socket = try BlockingSocket(port: client.port)
        defer { socket.close() }
        let answer = try socket.request("GET", path, headers: client.headers)
        guard answer.status == 200 else { throw BenchError("GET \(path): \(answer.status) \(answer.body.prefix(200))") }
        return answer.body.utf8.count
    }
}

extension AuthThroughputRun {
    /// The median of `values` (NaN for none).
    static func median(_ values: [Double]) -> Double {
        let sorted = values.filter { !$0.isNaN }.sorted()
        guard !sorted.isEmpty else { return .nan }
        return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
    }
}
