import AgentCore
import Foundation
import Glibc

/// Sandbox start-up in agentd's own code path, in process: `Sandbox.run` of a handler that returns
/// `time.clock_gettime_ns(CLOCK_MONOTONIC)` as it is entered, against this process's
/// `clock_gettime(CLOCK_MONOTONIC)` just before the call (one clock for every process: namespaces
/// do not change it). Also the sandbox's own figure, `handleCalledAfter` (its spawn to the
/// harness's `calling` event), which leaves out what `run` does before spawning.
///
/// ```swift
/// let outcome = try await SandboxStartRun().run()
/// print(outcome.isolation, Percentiles(outcome.callToHandle).p50)
/// ```
struct SandboxStartRun {
    /// Measured runs, after one that warms caches.
    var runs = 30

    struct Outcome {
        let isolation: SandboxIsolation
        /// `Sandbox.run` called → `handle` entered, milliseconds.
        let callToHandle: [Double]
        /// The sandbox's spawn → `calling` event, milliseconds.
        let spawnToCalling: [Double]
        /// `Sandbox.run` called → returned, milliseconds.
        let wholeRun: [Double]
        let failures: Int
        let firstFailure: String?
    }

    static let handler = """
        import time
        def handle(payload):
            return {"at": time.clock_gettime_ns(time.CLOCK_MONOTONIC)}
        """

    func run() async throws -> Outcome {
        let root = NSTemporaryDirectory() + "agentbench-sandbox-\(getpid())"
        try FileManager.default.createDirectory(atPath: root + "/code", withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o755])
        defer { try? FileManager.default.removeItem(atPath: root) }
        // The sandbox runs under a throw-away user id: the code must be readable by others.
        _ = chmod(root, 0o755)
        try Data(Self.handler.utf8).write(to: URL(fileURLWithPath: root + "/code/main.py"))
        _ = chmod(root + "/code/main.py", 0o644)
        let sandbox = Sandbox(scratchRoot: root + "/scratch")
        let program = SandboxProgram(codeDirectory: root + "/code", entrypoint: "main:handle")

        var callToHandle: [Double] = [], spawnToCalling: [Double] = [], whole: [Double] = []
        var failures = 0
        var firstFailure: String?
        for index in 0...runs {
            let start = Self.monotonicNanoseconds()
            let outcome = await sandbox.run(program, payload: ["i": .int(index)], limits: SandboxLimits())
            let end = Self.monotonicNanoseconds()
            guard case .returned(let value) = outcome.result,
                  let at = value["at"]?.intValue.map(UInt64.init) ?? value["at"]?.doubleValue.map({ UInt64($0) }), at >= start else {
                failures += 1
                if firstFailure == nil { firstFailure = "\(outcome.result) \(outcome.stderr.prefix(300))" }
                continue
            }
            if index == 0 { continue }  // the first warms the page cache and the interpreter's files
            callToHandle.append(Double(at - start) / 1e6)
            whole.append(Double(end - start) / 1e6)
            if let called = outcome.handleCalledAfter {
                spawnToCalling.append(Double(called.components.seconds) * 1e3 + Double(called.components.attoseconds) / 1e15)
            }
        }
        return Outcome(isolation: sandbox.isolation, callToHandle: callToHandle, spawnToCalling: spawnToCalling,
                       wholeRun: whole, failures: failures, firstFailure: firstFailure)
    }

    /// `CLOCK_MONOTONIC` in nanoseconds, the clock Python's `time.CLOCK_MONOTONIC` reads.
    static func monotonicNanoseconds() -> UInt64 {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_nsec)
    }
}
