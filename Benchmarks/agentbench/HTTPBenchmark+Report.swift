import AgentCore
import Foundation

extension HTTPBenchmark {
    /// Throughput: agentd at least this many times Hummingbird's req/s (with p99 no worse)…
    static let hummingbirdGoal = 2.0
    /// …and this many times FastAPI's.
    static let fastAPIGoal = 10.0
    /// Extra resident memory for 10,000 idle keep-alive connections.
    static let idleGoalMB = 30.0

    /// One route: per server the medians over the rounds, and agentd's ratios to the peers.
    func report(_ route: Route, runs: [String: [WrkRun]], order: [String], skipped: [String: String]) -> JSONValue {
        var servers: [String: JSONValue] = [:]
        for name in order {
            let list = runs[name] ?? []
            servers[name] = [
                "path": .string(name == "agentd" ? route.agentdPath : route.peerPath),
                "req_s_median": .double(median(list.map(\.requestsPerSecond)).rounded()),
                "p99_ms_median": number(median(list.map(\.p99Milliseconds))),
                "cpu_us_per_request": number(median(list.map(\.cpuMicrosecondsPerRequest))),
                "req_s_runs": .array(list.map { .double($0.requestsPerSecond.rounded()) }),
                "p99_ms_runs": .array(list.map { number($0.p99Milliseconds) }),
                "errors": .int(list.reduce(0) { $0 + $1.errors }),
            ]
        }
        for (name, note) in skipped { servers[name] = ["skipped": .string(note)] }
        if order.contains("fastapi") { servers["fastapi"]?["stack"] = .string(Self.uvicornStack) }

        func rate(_ name: String) -> Double? { runs[name].map { median($0.map(\.requestsPerSecond)) } }
        func p99(_ name: String) -> Double? { runs[name].map { median($0.map(\.p99Milliseconds)) } }
        let agentdRate = rate("agentd") ?? 0, agentdP99 = p99("agentd") ?? .infinity
        let toHummingbird = rate("hummingbird").map { agentdRate / $0 }
        let p99ToHummingbird = p99("hummingbird").map { agentdP99 / $0 }
        let toFastAPI = rate("fastapi").map { agentdRate / $0 }
        let hummingbirdMet = toHummingbird.map { $0 >= Self.hummingbirdGoal && p99ToHummingbird! <= 1 }
        let fastAPIMet = toFastAPI.map { $0 >= Self.fastAPIGoal }
        let agentdErrors = runs["agentd"]?.reduce(0) { $0 + $1.errors } ?? 0
        let met: JSONValue = hummingbirdMet == nil || fastAPIMet == nil
            ? .null : .bool(hummingbirdMet! && fastAPIMet! && agentdErrors == 0)
        return [
            "name": .string(route.name),
            "load": .string("wrk -t1 -c64 -d\(seconds)s --latency, \(rounds) rounds alternating \(order.joined(separator: " ")), \(warmUpSeconds) s warm-up each"),
            "pinning": .string(serverCPUs.map { "server on CPU \($0), wrk on CPU \(wrkCPUs ?? "-") (taskset)" } ?? "none"),
            "servers": .object(servers),
            "agentd_to_hummingbird_req_s": toHummingbird.map { .double(round3($0)) } ?? .null,
            "agentd_to_hummingbird_p99": p99ToHummingbird.map { number($0) } ?? .null,
            "agentd_to_fastapi_req_s": toFastAPI.map { .double(round3($0)) } ?? .null,
            "hummingbird_goal_met": hummingbirdMet.map(JSONValue.bool) ?? .null,
            "fastapi_goal_met": fastAPIMet.map(JSONValue.bool) ?? .null,
            "goal": "agentd req/s >= 2x Hummingbird with p99 no worse, >= 10x FastAPI, no errors",
            "goal_met": met,
        ]
    }

    func report(_ run: IdleConnectionsRun.Outcome) -> JSONValue {
        let extraMB = Double(run.residentBytesAfter - run.residentBytesBefore) / 1_048_576
        let count = IdleConnectionsRun().count
        return [
            "name": "http_idle_keepalive_connections",
            "connections": .int(count), "opened": .int(run.opened), "answered": .int(run.answered),
            "first_failure": run.firstFailure.map(JSONValue.string) ?? .null,
            "server_open_fds": .int(run.serverDescriptors),
            "open_seconds": .double(round3(run.seconds)),
            "rss_before_mb": .double(round3(Double(run.residentBytesBefore) / 1_048_576)),
            "rss_after_mb": .double(round3(Double(run.residentBytesAfter) / 1_048_576)),
            "extra_rss_mb": .double(round3(extraMB)),
            "extra_rss_kib_per_connection": .double(round3(extraMB * 1024 / Double(max(1, run.answered)))),
            "goal": "10,000 answered and held, extra RSS < 30 MB",
            "goal_met": .bool(run.answered == count && extraMB < Self.idleGoalMB),
        ]
    }

    func report(_ run: WebSocketSubscribersRun.Outcome) -> JSONValue {
        let latency = Percentiles(run.latencies)
        let settings = WebSocketSubscribersRun()
        return [
            "name": "http_websocket_subscribers",
            "subscribers": .int(settings.subscribers), "connected": .int(run.connected),
            "handshake_failure": run.handshakeFailure.map(JSONValue.string) ?? .null,
            "messages_posted": .int(settings.messages), "stored_events": .int(run.storedEvents),
            "delivered": .int(run.delivered), "expected": .int(run.expected),
            "delivered_ratio": .double(Double(run.delivered) / Double(max(1, run.expected))),
            "duplicates": .int(run.duplicates), "closed_early": .int(run.closedEarly),
            "live_frames": .int(run.liveFrames),
            "connect_seconds": .double(round3(run.connectSeconds)), "drive_seconds": .double(round3(run.driveSeconds)),
            "latency_samples": .int(latency.count),
            "p50_ms": Percentiles.number(latency.p50), "p99_ms": Percentiles.number(latency.p99),
            "max_ms": Percentiles.number(latency.max),
            "latency_from": "the event's time (stamped before its commit) to the client's read",
            "goal": "every subscriber receives every event",
            "goal_met": .bool(run.connected == settings.subscribers && run.delivered == run.expected && run.expected > 0),
        ]
    }

    private func median(_ values: [Double]) -> Double {
        let sorted = values.filter { !$0.isNaN }.sorted()
        guard !sorted.isEmpty else { return .nan }
        return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
    }

    /// A finite number rounded to three decimals, else null.
    private func number(_ value: Double) -> JSONValue { value.isFinite ? .double(round3(value)) : .null }
}
