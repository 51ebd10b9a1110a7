#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// One program a desktop started (Xvfb, openbox, a launched program), watched until it is reaped.
///
/// The program leads its own process group. Its exit is noticed by the bash tool's `ExitMonitor`,
/// which leaves it a zombie until `reap()`, so its pid (and process-group id) cannot be reused while
/// the teardown may still signal the group.
final class DesktopProcess: Sendable {
    /// The program's pid, which is also its process-group and session id.
    let pid: pid_t
    /// A short name for messages and logs.
    let name: String
    private let monitor: ExitMonitor

    /// Starts watching `pid`.
    init(pid: pid_t, name: String) {
        self.pid = pid
        self.name = name
        monitor = ExitMonitor(pid: pid) { _ in }
    }

    /// The return code once the program has exited (`-N` for signal N).
    var exitCode: Int32? { monitor.exitCode }

    /// The live processes the program started (by parent links or in its process group).
    var liveMembers: [ProcessTree.Entry] { ProcessTree.members(of: pid).filter { !$0.isDead } }

    /// Whether the program and everything in its tree or group are gone.
    var isFinished: Bool { exitCode != nil && liveMembers.isEmpty }

    /// Asks the program to quit (`SIGTERM` to the leader only, so it can shut its children down).
    func requestTermination() {
        if exitCode == nil { kill(pid, SIGTERM) }
    }

    /// Blocks until the program exits or `seconds` pass; returns the return code, or nil on timeout.
    @discardableResult
    func waitForExit(timeout seconds: Double) -> Int32? { monitor.wait(timeout: seconds) }

    /// Kills what is left of the program: its tree leaves first (so each process is reaped by its
    /// parent), then its group, then the leader, which is reaped here. Blocks: call it on a dedicated
    /// thread. Idempotent.
    func forceKill() {
        ProcessTree.killGroup(ledBy: pid)
        monitor.wait(timeout: 5)
        monitor.reap()
    }

    /// Collects the exited program's zombie (now, or as soon as it exits).
    func reap() { monitor.reap() }
}
