import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// One running `/bin/bash`: its process group, its pipes and the threads that watch them.
///
/// Dropping the last reference kills the whole group (on a background thread), so a forgotten shell
/// never outlives its session.
final class ShellProcess: Sendable {
    /// The shell's pid, which is also its process-group and session id.
    let pid: pid_t
    private let sentinel: BashSentinel
    private let io: ShellIO
    private let teardown: Teardown

    /// Starts bash in `workingDirectory` with exactly `environment`.
    ///
    /// - Throws: `ShellSpawner.Failure` when the process cannot be started.
    init(workingDirectory: String, environment: [String: String], limits: ShellIO.Limits) throws(ShellSpawner.Failure) {
        // reference §6.3: one persistent /bin/bash with pipes for stdin, stdout and stderr, in a new
        // process group; no rc files. A first bash enters the directory and replaces itself (same pid)
        // with the shell that reads commands, because posix_spawn's chdir action is a GNU extension
        // that Swift's Glibc module does not import.
        let arguments = [
            "/bin/bash", "--noprofile", "--norc", "-c",
            #"cd -- "$1" || exit 126; unset OLDPWD; exec /bin/bash --noprofile --norc"#,
            "bash", workingDirectory,
        ]
        let wake = try ShellSpawner.makePipe()
        let spawned: ShellSpawner.Spawned
        do {
            spawned = try ShellSpawner.spawn(
                arguments: arguments,
                environment: environment.map { "\($0.key)=\($0.value)" }.sorted()
            )
        } catch {
            close(wake.read)
            close(wake.write)
            throw error
        }
        pid = spawned.pid
        sentinel = BashSentinel()
        let io = ShellIO(
            stdin: spawned.stdin, stdout: spawned.stdout, stderr: spawned.stderr, wake: wake,
            sentinel: sentinel, limits: limits, label: "\(spawned.pid)"
        )
        self.io = io
        let monitor = ExitMonitor(pid: spawned.pid) { io.shellExited(returnCode: $0) }
        teardown = Teardown(pid: spawned.pid, io: io, monitor: monitor)
    }

    deinit {
        if !teardown.isFinished {
            let teardown = teardown
            DedicatedThread.start(name: "bash-teardown-\(pid)") { teardown.perform() }
        }
    }

    /// Runs one command and waits for its outcome (see `BashSentinel` for the framing).
    func run(_ command: String, timeout: Double) async -> ShellOutcome {
        await io.run(script: sentinel.script(for: command), timeout: timeout)
    }

    /// Kills the shell and everything it started, and waits until they are reaped. Idempotent.
    func terminate() async {
        let teardown = teardown
        await DedicatedThread.run(name: "bash-teardown-\(pid)") { teardown.perform() }
    }
}

extension ShellProcess {
    /// The blocking teardown, shared by `terminate()` and `deinit`; runs once.
    private final class Teardown: Sendable {
        let pid: pid_t
        let io: ShellIO
        let monitor: ExitMonitor
        private let done = Mutex(false)
        private let finished = Atomic(false)

        init(pid: pid_t, io: ShellIO, monitor: ExitMonitor) {
            self.pid = pid
            self.io = io
            self.monitor = monitor
        }

        var isFinished: Bool { finished.load(ordering: .acquiring) }

        /// Blocks its (dedicated) thread; a second caller waits for the first to finish.
        func perform() {
            done.withLock { done in
                guard !done else { return }
                // The shell is only reaped at the end (see ExitMonitor), so `pid` still names this
                // shell's process group even when the shell itself has already exited.
                ProcessTree.killGroup(ledBy: pid)
                monitor.wait(timeout: 10)
                monitor.reap()  // now, or when it finally exits
                io.stop()
                done = true
                finished.store(true, ordering: .releasing)
            }
        }
    }
}
