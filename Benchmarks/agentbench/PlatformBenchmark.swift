import AgentCore
import Foundation
import Glibc

/// Accounts and seed 003's sandboxed executions (`agentbench platform [auth|login|sandbox|executions|cancel]`):
///
/// 1. `GET /api/v1/sessions` with `wrk`, agentd `--auth none` against `--auth required` with an
///    API key, alternating (`AuthThroughputRun`; goal: the key costs at most 5 %);
/// 2. login latency at the real PBKDF2 cost (`LoginLatencyRun`);
/// 3. sandbox start → `handle` entered, in process (`SandboxStartRun`; goal ≤ 50 ms at p50);
/// 4. executions per second of a trivial handler over HTTP, one client and `WORKER_CONCURRENCY`
///    clients (`ExecutionThroughputRun`);
/// 5. cancel → the execute call returning `cancelled` for a handler that spins (`CancelLatencyRun`;
///    goal ≤ 2 s).
///
/// Parts 1, 2, 4 and 5 run the real agentd (`PlatformDaemon`: `agentd` beside this binary or
/// `AGENTD_BIN`); without it they are reported as skipped. Part 1 pins the servers to CPU 0 and wrk
/// to CPU 1 (as `HTTPBenchmark` does); the others run unpinned, since sandboxed children inherit
/// the daemon's CPU affinity.
struct PlatformBenchmark {
    /// Which part to run, nil for all.
    var only: String?

    static let parts = ["auth", "login", "sandbox", "executions", "cancel"]
    static let trivialHandler = "def handle(payload):\n    return {\"ok\": True}\n"
    static let spinningHandler = "def handle(payload):\n    while True:\n        pass\n"

    func run() async throws -> [JSONValue] {
        if let only, !Self.parts.contains(only) {
            throw BenchError("unknown platform part '\(only)' (known: \(Self.parts.joined(separator: ", ")))")
        }
        var results: [JSONValue] = []
        if wants("sandbox") {
            let load = Self.loadAverage()
            results.append(Self.stamp(report(try await SandboxStartRun().run()), load: load))
        }
        let daemonParts = Self.parts.filter { $0 != "sandbox" && wants($0) }
        guard !daemonParts.isEmpty else { return results }
        do {
            _ = try PlatformDaemon.binary()
        } catch {
            return results + daemonParts.map { ["name": .string("platform_\($0)"), "skipped": .string("\(error)")] }
        }
        let scratch = NSTemporaryDirectory() + "agentbench-platform-\(getpid())"
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let keyedData = scratch + "/data-keyed"
        try PlatformDaemon.addUser(dataDirectory: keyedData)
        var key: String?

        if wants("auth") {
            let many = ProcessInfo.processInfo.activeProcessorCount >= 2 && ServerProcess.which("taskset") != nil
            let open = try PlatformDaemon.start(name: "agentd-auth-none", dataDirectory: scratch + "/data-open", auth: "none",
                                                scratch: scratch, cpus: many ? "0" : nil)
            defer { open.stop() }
            let keyed = try PlatformDaemon.start(name: "agentd-auth-required", dataDirectory: keyedData, auth: "required",
                                                 scratch: scratch, cpus: many ? "0" : nil)
            defer { keyed.stop() }
            let made = try PlatformDaemon.credentials(port: keyed.port).key
            key = made
            let settings = AuthThroughputRun()
            let load = Self.loadAverage()
            let outcome = try settings.run(open: open, keyed: keyed, key: made, wrkCPUs: many ? "1" : nil)
            results.append(Self.stamp(report(outcome, settings: settings, pinned: many), load: load))
        }

        guard daemonParts.contains(where: { $0 != "auth" }) else { return results }
        let daemon = try PlatformDaemon.start(name: "agentd-platform", dataDirectory: keyedData, auth: "required", scratch: scratch)
        defer { daemon.stop() }
        if key == nil { key = try PlatformDaemon.credentials(port: daemon.port).key }
        let client = PlatformClient(port: daemon.port, apiKey: key)
        if wants("login") {
            let load = Self.loadAverage()
            results.append(Self.stamp(reportLogins(try LoginLatencyRun().run(port: daemon.port)), load: load))
        }
        if wants("executions") {
            let agent = try AgentDeployment.deploy(name: "bench-ok", handler: Self.trivialHandler, client: client, scratch: scratch)
            let settings = ExecutionThroughputRun()
            let load = Self.loadAverage()
            // Warm-up: the first executions page in the interpreter and the version's code.
            _ = try ExecutionThroughputRun(executions: 3).run(client: client, agentID: agent.agentID, concurrency: 1)
            var single: [ExecutionThroughputRun.Outcome] = [], parallel: [ExecutionThroughputRun.Outcome] = []
            for _ in 0..<2 {
                single.append(try settings.run(client: client, agentID: agent.agentID, concurrency: 1))
                parallel.append(try settings.run(client: client, agentID: agent.agentID, concurrency: PlatformDaemon.workerConcurrency))
            }
            results.append(Self.stamp(report([.merged(single), .merged(parallel)], agent: agent), load: load))
        }
        if wants("cancel") {
            let agent = try AgentDeployment.deploy(name: "bench-spin", handler: Self.spinningHandler, client: client, scratch: scratch)
            let settings = CancelLatencyRun()
            let load = Self.loadAverage()
            results.append(Self.stamp(report(try settings.run(client: client, agent: agent), settings: settings), load: load))
        }
        return results
    }

    private func wants(_ part: String) -> Bool { only == nil || only == part }

    /// The 1-minute load average (`/proc/loadavg`), NaN when unreadable: how busy the machine was.
    static func loadAverage() -> Double {
        guard let text = try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8) else { return .nan }
        return text.split(separator: " ").first.flatMap { Double($0) } ?? .nan
    }

    /// `report` with the load average taken before its part ran.
    static func stamp(_ report: JSONValue, load: Double) -> JSONValue {
        var stamped = report
        stamped["load_average_1m_before"] = load.isFinite ? .double(load) : .null
        return stamped
    }
}
