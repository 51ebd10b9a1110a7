import Foundation
import Synchronization

/// A child process whose stdout and stderr are read as they arrive, so a test can await a line
/// (or the exit) instead of sleeping, and kill it with any signal.
///
/// ```swift
/// let binary = try #require(BuiltExecutable.path(named: "agentctl", override: "AGENTCTL_BINARY"))
/// let child = try ChildProcess(["run", "List /tmp"], environment: ChildProcess.environment(), binary: binary)
/// defer { child.killIfRunning() }
/// let started = await child.wait(timeout: .seconds(20)) { $0.stdout.contains("▶ bash") || $0.isFinished }
/// child.send(SIGINT)
/// let result = await child.finished()
/// ```
public final class ChildProcess: Sendable {
    /// What the process has printed so far, and how it ended.
    public struct Snapshot: Sendable {
        /// Everything written to standard output so far.
        public var stdout: String
        /// Everything written to standard error so far.
        public var stderr: String
        /// The exit status, or the signal number when `signalled`; nil while running.
        public var status: Int32?
        /// Whether the process ended by a signal.
        public var signalled: Bool
        /// True once the process has exited and both pipes are closed.
        public var isFinished: Bool
    }

    private struct Waiter {
        let condition: @Sendable (Snapshot) -> Bool
        let continuation: CheckedContinuation<Snapshot?, Never>
    }

    private struct State {
        var stdout: [UInt8] = []
        var stderr: [UInt8] = []
        var stdoutClosed = false
        var stderrClosed = false
        var status: Int32?
        var signalled = false
        var waiters: [Int: Waiter] = [:]
        var expired: Set<Int> = []
        var nextWaiterID = 0

        var snapshot: Snapshot {
            Snapshot(
                stdout: String(decoding: stdout, as: UTF8.self), stderr: String(decoding: stderr, as: UTF8.self),
                status: status, signalled: signalled, isFinished: status != nil && stdoutClosed && stderrClosed)
        }
    }

    /// The state shared with the reader threads and the termination handler.
    private final class Shared: Sendable {
        let mutex = Mutex(State())

        /// Applies `change`, then resumes every waiter whose condition now holds. The output is
        /// decoded only while someone waits, so a chatty child costs nothing between waits.
        func update(_ change: (inout State) -> Void) {
            mutex.withLock { state in
                change(&state)
                guard !state.waiters.isEmpty else { return }
                let snapshot = state.snapshot
                for (id, waiter) in state.waiters where waiter.condition(snapshot) {
                    state.waiters[id] = nil
                    waiter.continuation.resume(returning: snapshot)
                }
            }
        }
    }

    private let shared = Shared()
    private let process: Process
    /// The process id.
    public let pid: Int32

    /// Starts `binary arguments…` with exactly `environment` and stdin from `/dev/null`.
    /// - Throws: when the executable cannot be started.
    public init(_ arguments: [String], environment: [String: String], binary: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        process.environment = environment
        let output = Pipe()
        let errors = Pipe()
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = output
        process.standardError = errors
        let shared = self.shared
        process.terminationHandler = { finished in
            let status = finished.terminationStatus
            let signalled = finished.terminationReason == .uncaughtSignal
            shared.update {
                $0.status = status
                $0.signalled = signalled
            }
        }
        try process.run()
        self.process = process
        pid = process.processIdentifier
        Self.startReading(output.fileHandleForReading, shared: shared, isStandardOutput: true)
        Self.startReading(errors.fileHandleForReading, shared: shared, isStandardOutput: false)
    }

    deinit {
        killIfRunning()
    }

    /// Sends `signal` to the process unless it has exited.
    public func send(_ signal: Int32) {
        shared.mutex.withLock { state in
            if state.status == nil { _ = kill(pid, signal) }
        }
    }

    /// Kills the process if it is still running (clean-up after a failed expectation).
    public func killIfRunning() { send(SIGKILL) }

    /// What was printed so far.
    public var snapshot: Snapshot { shared.mutex.withLock { $0.snapshot } }

    /// Waits until `condition` holds for the output so far.
    /// - Returns: the snapshot that satisfied it, or nil when `timeout` passed first.
    public func wait(
        timeout: Duration = .seconds(30), until condition: @escaping @Sendable (Snapshot) -> Bool
    ) async -> Snapshot? {
        let shared = self.shared
        let id = shared.mutex.withLock { state in
            defer { state.nextWaiterID += 1 }
            return state.nextWaiterID
        }
        let timer = Task {
            try? await Task.sleep(for: timeout)
            shared.mutex.withLock { state in
                if let waiter = state.waiters.removeValue(forKey: id) {
                    waiter.continuation.resume(returning: nil)
                } else {
                    state.expired.insert(id)
                }
            }
        }
        defer { timer.cancel() }
        return await withCheckedContinuation { continuation in
            shared.mutex.withLock { state in
                let snapshot = state.snapshot
                if condition(snapshot) {
                    continuation.resume(returning: snapshot)
                } else if state.expired.contains(id) {
                    continuation.resume(returning: nil)
                } else {
                    state.waiters[id] = Waiter(condition: condition, continuation: continuation)
                }
            }
        }
    }

    /// Waits for the process to exit and close its output.
    /// - Returns: the final snapshot, or nil when `timeout` passed first.
    public func finished(timeout: Duration = .seconds(30)) async -> Snapshot? {
        await wait(timeout: timeout) { $0.isFinished }
    }

    /// Runs `binary arguments…` to completion; kills it and returns nil after `timeout`.
    public static func run(
        _ arguments: [String], environment: [String: String], binary: String, timeout: Duration = .seconds(30)
    ) async throws -> Snapshot? {
        let process = try ChildProcess(arguments, environment: environment, binary: binary)
        defer { process.killIfRunning() }
        return await process.finished(timeout: timeout)
    }

    /// The test runner's environment without anything that would change how a child talks to
    /// Claude or to a loopback fake (`ANTHROPIC_*`, `MODEL_NAME`, proxies), plus `extra`.
    public static func environment(_ extra: [String: String] = [:]) -> [String: String] {
        var environment = ProcessInfo.processInfo.environment.filter { name, _ in
            !name.hasPrefix("ANTHROPIC_") && name != "MODEL_NAME" && !name.lowercased().hasSuffix("_proxy")
        }
        environment["NO_PROXY"] = "127.0.0.1,localhost"
        environment["no_proxy"] = "127.0.0.1,localhost"
        environment.merge(extra) { $1 }
        return environment
    }

    // MARK: - Internals

    /// Reads `handle` to its end on a thread of its own (blocking reads, off the cooperative pool).
    private static func startReading(_ handle: FileHandle, shared: Shared, isStandardOutput: Bool) {
        let thread = Thread {
            let fd = handle.fileDescriptor
            var chunk = [UInt8](repeating: 0, count: 64 * 1024)
            while true {
                let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
                if count > 0 {
                    let bytes = chunk[0..<count]
                    shared.update { state in
                        if isStandardOutput { state.stdout += bytes } else { state.stderr += bytes }
                    }
                } else if count < 0, errno == EINTR {
                    continue
                } else {
                    break
                }
            }
            withExtendedLifetime(handle) {}
            shared.update { state in
                if isStandardOutput { state.stdoutClosed = true } else { state.stderrClosed = true }
            }
        }
        thread.start()
    }
}
