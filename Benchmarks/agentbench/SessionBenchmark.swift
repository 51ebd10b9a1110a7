import AgentCore
import Foundation

/// The session service under load (`agentbench sessions`): stored events per second end to end and
/// for the store alone, lost acknowledged events, fan-out to many subscribers, and memory per idle
/// session. Each figure is set beside plain SQLite on the same machine, so a noisy machine's figures
/// can be read relative to it.
struct SessionBenchmark {
    /// Stored events per second, end to end and for the store alone.
    static let eventsGoal = 20_000.0
    /// Fan-out delivery latency, p99.
    static let fanOutGoalMs = 50.0

    /// Which parts to run: `store`, `e2e` (with lost events), `fanout`, `idle`; nil for all.
    var only: String?

    func run() async throws -> [JSONValue] {
        // Idle memory first, while the heap holds little that new sessions could reuse.
        var idle: JSONValue?
        if wants("idle") {
            let run = try await IdleSessionMemory().run()
            idle = report(run, count: IdleSessionMemory().count, peer: try peerRowsPerSecond(rows: IdleSessionMemory().count))
        }
        let peerRows = 2000
        let peer = wants("store") || wants("e2e") ? try peerRowsPerSecond(rows: peerRows) : 0
        var results: [JSONValue] = []
        var storeReport: JSONValue?, storeRate: Double?
        if wants("store") {
            let store = try await StoreWriteRun().run()
            storeRate = Double(store.storedEvents) / store.wallSeconds
            storeReport = report(store, peer: peer, peerRows: peerRows)
        }
        if wants("e2e") {
            let endToEnd = try await SessionLoadRun().run()
            results += [report(endToEnd, storeRate: storeRate, peer: peer), lostEvents(endToEnd)]
        }
        if let storeReport { results.append(storeReport) }
        if wants("fanout") { results.append(report(try await FanOutRun().run())) }
        if let idle { results.append(idle) }
        return results
    }

    private func wants(_ part: String) -> Bool { only == nil || only == part }

    private func peerRowsPerSecond(rows: Int) throws -> Double {
        let temporary = NSTemporaryDirectory() + "agentbench-peer-\(getpid())-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: temporary, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: temporary) }
        return try RawSQLitePeer.singleRowInserts(
            path: temporary + "/peer.db", rows: rows, payload: StoreWriteRun.payload.serialized())
    }

    private func report(_ run: SessionLoadRun.Outcome, storeRate: Double?, peer: Double) -> JSONValue {
        let settings = SessionLoadRun()
        let rate = Double(run.storedEvents) / run.wallSeconds
        let commits = Percentiles(run.commits)
        let cores = Double(ProcessInfo.processInfo.activeProcessorCount)
        let busy = (run.clientCPUSeconds + run.serverCPUSeconds) / (run.wallSeconds * cores)
        let limit: JSONValue = storeRate.map { storeRate in
            storeRate > 2 * rate
                ? .string("not the store (it alone takes \(Int(storeRate.rounded())) events/s): agent loop, HTTP and fake model keep \(Int((busy * 100).rounded()))% of the machine busy")
                : .string("the store (it alone takes \(Int(storeRate.rounded())) events/s)")
        } ?? .null
        return [
            "name": "session_events_end_to_end",
            "sessions": .int(settings.sessions), "turns_per_task": .int(settings.turnsPerTask),
            "tasks": .int(run.observed.reduce(0) { $0 + $1.endedTasks }),
            "failed_tasks": .int(run.observed.reduce(0) { $0 + $1.failedTasks }),
            "first_failure": run.observed.lazy.compactMap(\.firstFailure).first.map(JSONValue.string) ?? .null,
            "wall_s": .double(round3(run.wallSeconds)),
            "stored_events": .int(run.storedEvents),
            "stored_events_per_second": .double(rate.rounded()),
            "commits_per_second": .double((Double(commits.count) / run.wallSeconds).rounded()),
            "commit_p50_ms": Percentiles.number(commits.p50), "commit_p99_ms": Percentiles.number(commits.p99),
            "client_cpu_us_per_event": .double((run.clientCPUSeconds * 1e6 / Double(max(1, run.storedEvents))).rounded()),
            "fake_server_cpu_us_per_event": .double((run.serverCPUSeconds * 1e6 / Double(max(1, run.storedEvents))).rounded()),
            "machine_cpu_busy_ratio": .double(round3(busy)),
            "ratio_to_sqlite_single_row_full": .double(round3(rate / peer)),
            "limited_by": limit,
            "goal": "stored_events_per_second >= 20000",
            "goal_met": .bool(rate >= Self.eventsGoal),
        ]
    }

    private func lostEvents(_ run: SessionLoadRun.Outcome) -> JSONValue {
        [
            "name": "session_lost_acknowledged_events",
            "received_events": .int(run.observed.reduce(0) { $0 + $1.received.count }),
            "lost_acknowledged_events": .int(run.lost),
            "sessions_with_gap_or_duplicate": .int(run.gapsOrDuplicates),
            "subscriptions_closed_early": .int(run.observed.filter(\.closedEarly).count),
            "goal": "every event a subscriber received is in the store (0 lost), no gap or duplicate",
            "goal_met": .bool(run.lost == 0 && run.gapsOrDuplicates == 0),
        ]
    }

    private func report(_ run: StoreWriteRun.Outcome, peer: Double, peerRows: Int) -> JSONValue {
        let rate = Double(run.storedEvents) / run.wallSeconds
        let commits = Percentiles(run.commits)
        return [
            "name": "session_store_commits",
            "writers": .int(StoreWriteRun().writers), "events_per_commit": "1-3, with the session record",
            "wall_s": .double(round3(run.wallSeconds)),
            "stored_events": .int(run.storedEvents),
            "store_events_per_second": .double(rate.rounded()),
            "commits_per_second": .double((Double(commits.count) / run.wallSeconds).rounded()),
            "commit_p50_ms": Percentiles.number(commits.p50), "commit_p99_ms": Percentiles.number(commits.p99),
            "commit_max_ms": Percentiles.number(commits.max),
            "sqlite_single_row_full_rows_per_second": .double(peer.rounded()),
            "sqlite_peer_rows": .int(peerRows),
            "ratio_to_sqlite_single_row_full": .double(round3(rate / peer)),
            "goal": "store_events_per_second >= 20000",
            "goal_met": .bool(rate >= Self.eventsGoal),
        ]
    }

    private func report(_ run: FanOutRun.Outcome) -> JSONValue {
        let settings = FanOutRun()
        let latency = Percentiles(run.latencies)
        let commits = Percentiles(run.commits)
        let complete = run.delivered == run.expected
        return [
            "name": "session_fan_out",
            "subscribers": .int(settings.subscribers), "events": .int(settings.events),
            "target_events_per_second": .double(settings.rate),
            "produced_events_per_second": .double(round3(run.producedPerSecond)),
            "delivered": .int(run.delivered), "expected": .int(run.expected),
            "delivered_ratio": .double(Double(run.delivered) / Double(max(1, run.expected))),
            "subscriptions_closed_early": .int(run.closedEarly),
            "p50_ms": Percentiles.number(latency.p50), "p99_ms": Percentiles.number(latency.p99),
            "max_ms": Percentiles.number(latency.max),
            "commit_p50_ms": Percentiles.number(commits.p50), "commit_p99_ms": Percentiles.number(commits.p99),
            "goal": "p99 <= 50 ms from commit start to receipt, 100% delivered",
            "goal_met": .bool(latency.p99 <= Self.fanOutGoalMs && complete),
        ]
    }

    private func report(_ run: IdleSessionMemory.Outcome, count: Int, peer: Double) -> JSONValue {
        [
            "name": "session_idle_memory",
            "idle_sessions": .int(count), "live_sessions": .int(run.liveSessions),
            "rss_kib_per_idle_session": .double(round3(Double(run.residentBytes) / 1024 / Double(count))),
            "heap_kib_per_idle_session": .double(round3(Double(run.heapBytes) / 1024 / Double(count))),
            "sessions_created_per_second": .double(run.createdPerSecond.rounded()),
            "sqlite_single_row_full_rows_per_second": .double(peer.rounded()),
            "create_ratio_to_sqlite_single_row_full": .double(round3(run.createdPerSecond / peer)),
        ]
    }
}
