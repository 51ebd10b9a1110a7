import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Every process one virtual desktop started, and the blocking teardown that ends them.
///
/// Shared by `VirtualDesktop.stop()` (on a dedicated thread) and its `deinit` (synchronously), so it
/// lives behind a `Mutex` rather than in the actor.
final class DesktopProcessTable: Sendable {
    private struct State {
        var server: DesktopProcess?
        var windowManager: DesktopProcess?
        var programs: [DesktopProcess] = []
        var closed = false
    }

    private let state = Mutex(State())
    /// `AGENTD_DESKTOP=<session directory>`: every program this desktop started, and whatever they
    /// started, carry it (see `DesktopEnvironment.markName`).
    let environmentMark: String

    init(session: DesktopSessionDirectory) {
        environmentMark = DesktopEnvironment.mark(session: session.path)
    }

    /// Whether `closeForTeardown()` has run.
    var isClosed: Bool { state.withLock { $0.closed } }

    /// The pids of the server, window manager and launched programs still tracked.
    var trackedPIDs: [pid_t] {
        state.withLock { state in
            ([state.server, state.windowManager].compactMap { $0 } + state.programs).map(\.pid)
        }
    }

    func setServer(_ process: DesktopProcess) { state.withLock { $0.server = process } }
    func setWindowManager(_ process: DesktopProcess) { state.withLock { $0.windowManager = process } }

    /// Tracks a launched program; forgets (and reaps) earlier programs that have finished.
    ///
    /// - Throws: `DesktopError` `.stopped` once the teardown has begun; the caller kills `process`.
    func addProgram(_ process: DesktopProcess) throws(DesktopError) {
        let finished: [DesktopProcess] = try state.withLock { (state) throws(DesktopError) in
            guard !state.closed else { throw DesktopError(.stopped, "the desktop has been stopped") }
            let done = state.programs.filter(\.isFinished)
            state.programs.removeAll { $0.isFinished }
            state.programs.append(process)
            return done
        }
        // Exited and with nothing left in its group, so the process-group id is not needed any more.
        for program in finished { program.reap() }
    }

    /// Marks the table closed (no more programs) and hands out everything to tear down, once.
    func closeForTeardown() -> (programs: [DesktopProcess], windowManager: DesktopProcess?, server: DesktopProcess?)? {
        state.withLock { state in
            guard !state.closed else { return nil }
            state.closed = true
            return (state.programs, state.windowManager, state.server)
        }
    }

    // MARK: - Teardown (blocking: dedicated thread or deinit)

    /// Ends `processes` (launched programs and the window manager) and anything else carrying this
    /// desktop's mark: `SIGTERM` to each leader, up to `grace` seconds to finish, then
    /// `SIGKILL` leaves first, reaping each leader.
    func terminate(_ processes: [DesktopProcess], grace: Double) {
        if grace > 0 {
            for process in processes { process.requestTermination() }
            DesktopClock.poll(timeout: grace, interval: 0.02) {
                processes.allSatisfy(\.isFinished) && escapees().isEmpty
            }
        }
        for process in processes { process.forceKill() }
        killEscapees()
    }

    /// Live processes that carry this desktop's mark: at the end, those that left every tree
    /// (Chromium's crash handler double-forks into a session of its own, for instance).
    func escapees() -> [ProcessTree.Entry] {
        ProcessEnvironment.processes(withEnvironmentEntry: environmentMark)
    }

    /// Kills the escapees leaves first; they are not this process's children, so their parent (or
    /// PID 1) reaps them.
    func killEscapees(rounds: Int = 16) {
        for _ in 0..<rounds {
            let alive = escapees()
            if alive.isEmpty { return }
            let parents = Set(alive.map(\.parent))
            let leaves = alive.filter { !parents.contains($0.pid) }
            for leaf in leaves.isEmpty ? alive : leaves { kill(leaf.pid, SIGKILL) }
            DesktopClock.poll(timeout: 0.25, interval: 0.002) {
                leaves.allSatisfy { ProcessTree.entry(for: $0.pid)?.isDead ?? true }
            }
        }
    }
}
