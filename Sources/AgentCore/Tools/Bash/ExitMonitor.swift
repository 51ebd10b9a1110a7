import Dispatch
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Watches one child process from a dedicated thread and reports when it exits.
///
/// The thread waits with `waitid(…, WEXITED | WNOWAIT)`, which reports the exit but leaves the child a
/// zombie: its pid, and so its process-group id, cannot be reused until `reap()`. The teardown can
/// therefore still `killpg` the group safely after the shell itself has exited.
///
/// The return code follows Python's `Popen.returncode`, which the reference demo prints: the exit
/// status, or `-N` when signal N killed the process.
final class ExitMonitor: Sendable {
    let pid: pid_t
    private let returnCode = Mutex<Int32?>(nil)
    /// Whether the zombie was collected, and whether it should be as soon as the process exits.
    private let reaping = Mutex((done: false, requested: false))
    private let exited = DispatchSemaphore(value: 0)

    /// Starts watching `pid`; `onExit` runs on the monitor thread when the process exits.
    init(pid: pid_t, onExit: @escaping @Sendable (Int32) -> Void) {
        self.pid = pid
        DedicatedThread.start(name: "bash-wait-\(pid)") { [self] in
            let code = Self.waitForExit(of: pid)
            returnCode.withLock { $0 = code }
            onExit(code)
            exited.signal()
            if reaping.withLock({ $0.requested }) { reap() }
        }
    }

    /// The return code, once the process has exited.
    var exitCode: Int32? { returnCode.withLock { $0 } }

    /// Blocks the calling (dedicated) thread until the process exits or `seconds` pass.
    ///
    /// - Returns: The return code, or nil on timeout.
    @discardableResult
    func wait(timeout seconds: Double) -> Int32? {
        if let code = exitCode { return code }
        guard exited.wait(timeout: .now() + seconds) == .success else { return nil }
        exited.signal()  // let any other waiter through too
        return exitCode
    }

    /// Collects the process's zombie, freeing its pid: now if it has exited, otherwise as soon as it
    /// does. Idempotent.
    func reap() {
        reaping.withLock { reaping in
            reaping.requested = true
            guard !reaping.done, exitCode != nil else { return }
            var status: Int32 = 0
            while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
            reaping.done = true
        }
    }

    private static func waitForExit(of pid: pid_t) -> Int32 {
        var info = siginfo_t()
        while waitid(P_PID, id_t(pid), &info, WEXITED | WNOWAIT) != 0 {
            if errno != EINTR { return -1 }  // ECHILD: someone else reaped it; the code is unknown
        }
        let status = info._sifields._sigchld.si_status
        return info.si_code == CLD_EXITED ? status : -status
    }
}
