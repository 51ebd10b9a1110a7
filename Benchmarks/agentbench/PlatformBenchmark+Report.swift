import AgentCore
import Foundation

extension PlatformBenchmark {
    /// An API key may cost at most this share of the unauthenticated req/s.
    static let authGoalRatio = 0.95
    /// Sandbox start → `handle` entered, p50.
    static let sandboxGoalMs = 50.0
    /// Cancel → the execute call returned, every round.
    static let cancelGoalMs = 2000.0

    func report(_ run: AuthThroughputRun.Outcome, settings: AuthThroughputRun, pinned: Bool) -> JSONValue {
        func side(_ runs: [WrkRun], mode: String, bodyBytes: Int) -> JSONValue {
            [
                "auth": .string(mode),
                "req_s_median": .double(AuthThroughputRun.median(runs.map(\.requestsPerSecond)).rounded()),
                "req_s_runs": .array(runs.map { .double($0.requestsPerSecond.rounded()) }),
                "p99_ms_runs": .array(runs.map { number($0.p99Milliseconds) }),
                "cpu_us_per_request": number(AuthThroughputRun.median(runs.map(\.cpuMicrosecondsPerRequest))),
                "errors": .int(runs.reduce(0) { $0 + $1.errors }),
                "body_bytes": .int(bodyBytes),
            ]
        }
        let errors = (run.open + run.keyed).reduce(0) { $0 + $1.errors }
        return [
            "name": "platform_auth_sessions_list",
            "path": .string(AuthThroughputRun.path),
            "sessions": .int(settings.sessions),
            "load": .string("wrk -t1 -c64 -d\(settings.seconds)s --latency, \(settings.rounds) rounds alternating A B, "
                + "\(settings.warmUpSeconds) s warm-up each"),
            "pinning": .string(pinned ? "servers on CPU 0, wrk on CPU 1 (taskset)" : "none"),
            "a_no_auth": side(run.open, mode: "none", bodyBytes: run.openBodyBytes),
            "b_api_key": side(run.keyed, mode: "required, X-API-Key on every request", bodyBytes: run.keyedBodyBytes),
            "ratio_b_to_a": number(run.ratio),
            "ratio_b_to_a_best": number(run.bestRatio),
            "ratio_b_to_a_per_round": .array(run.roundRatios.map { number($0) }),
            // Interference on a shared 2-core machine only ever slows a round down, so each
            // side's best round is its least disturbed one; the medians are reported beside it.
            "goal": "B (API key) req/s >= 0.95 x A (no auth), best rounds, no errors",
            "goal_met": .bool(run.bestRatio >= Self.authGoalRatio && errors == 0),
        ]
    }

    func reportLogins(_ milliseconds: [Double]) -> JSONValue {
        var fields = Percentiles(milliseconds).fields()
        fields["name"] = "platform_login_latency"
        fields["route"] = "POST /api/v1/auth/login (JSON body), sequential on one keep-alive connection, all succeed"
        fields["kdf"] = "PBKDF2-HMAC-SHA-256"
        fields["kdf_iterations"] = .int(PasswordHasher.defaultIterations)
        fields["hashing_concurrency"] = .int(AccountConfiguration(secret: []).hashingConcurrency)
        return .object(fields)
    }

    func report(_ run: SandboxStartRun.Outcome) -> JSONValue {
        let outside = Percentiles(run.callToHandle)
        var fields = outside.fields()
        for (name, value) in Percentiles(run.spawnToCalling).fields(prefix: "spawn_to_calling_") { fields[name] = value }
        for (name, value) in Percentiles(run.wholeRun).fields(prefix: "whole_run_") { fields[name] = value }
        fields["name"] = "platform_sandbox_start_to_handle"
        fields["isolation"] = .string(run.isolation.rawValue)
        fields["measured"] = .string("Sandbox.run called -> handle entered (CLOCK_MONOTONIC in this process, then in the handler), "
            + "in process, after 1 warm-up run; spawn_to_calling_* is the sandbox's own handleCalledAfter")
        fields["failures"] = .int(run.failures)
        fields["first_failure"] = run.firstFailure.map(JSONValue.string) ?? .null
        fields["goal"] = "p50 <= 50 ms"
        fields["goal_met"] = .bool(run.failures == 0 && outside.count > 0 && outside.p50 <= Self.sandboxGoalMs)
        return .object(fields)
    }

    func report(_ runs: [ExecutionThroughputRun.Outcome], agent: AgentDeployment) -> JSONValue {
        let parts: [JSONValue] = runs.map { run in
            var fields = Percentiles(run.latencies).fields()
            fields["concurrency"] = .int(run.concurrency)
            fields["executions"] = .int(run.completed + run.failures)
            fields["completed"] = .int(run.completed)
            fields["failures"] = .int(run.failures)
            fields["first_failure"] = run.firstFailure.map(JSONValue.string) ?? .null
            fields["seconds"] = number(run.seconds)
            fields["executions_per_second"] = number(Double(run.completed) / run.seconds)
            fields["executions_per_second_runs"] = .array(run.roundRates.map { number($0) })
            return .object(fields)
        }
        return [
            "name": "platform_executions",
            "handler": .string(Self.trivialHandler),
            "route": "POST /api/v1/runtime/{id}/execute with X-API-Key, keep-alive connection per client",
            "load": "3 warm-up executions, then 2 rounds of 20 per concurrency, alternating 1 and WORKER_CONCURRENCY",
            "build_seconds": number(agent.buildSeconds),
            "worker_concurrency": .int(PlatformDaemon.workerConcurrency),
            "execution_limit": "none in agentd: WORKER_CONCURRENCY bounds builds only (BuildQueue); every execute spawns its sandbox at once",
            "runs": .array(parts),
        ]
    }

    func report(_ rounds: [CancelLatencyRun.Round], settings: CancelLatencyRun) -> JSONValue {
        let times = rounds.compactMap(\.cancelToReturn)
        let summary = Percentiles(times)
        let allCancelled = rounds.count == settings.rounds && rounds.allSatisfy { $0.status == "cancelled" && $0.cancelToReturn != nil }
        return [
            "name": "platform_cancel_latency",
            "handler": .string(Self.spinningHandler),
            "measured": .string("POST .../cancel written -> the execute call's answer read; cancel sent \(settings.settle) s after "
                + "the execution was listed running"),
            "rounds": .int(rounds.count),
            "p50_ms": number(summary.p50),
            "max_ms": number(summary.max),
            "cancel_ms_runs": .array(rounds.map { $0.cancelToReturn.map { number($0) } ?? .null }),
            "cancel_call_ms_runs": .array(rounds.map { number($0.cancelCall) }),
            "listed_running_after_ms_runs": .array(rounds.map { number($0.listedAfter) }),
            "statuses": .array(rounds.map { .string($0.status) }),
            "goal": "every round returns cancelled within 2 s",
            "goal_met": .bool(allCancelled && summary.max <= Self.cancelGoalMs),
        ]
    }

    /// A finite number rounded to three decimals, else null.
    private func number(_ value: Double) -> JSONValue { value.isFinite ? .double(round3(value)) : .null }
}
