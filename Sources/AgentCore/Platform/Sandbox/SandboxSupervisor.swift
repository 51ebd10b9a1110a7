#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// What one sandboxed interpreter run produced, before it is read as a result.
struct SandboxTranscript: Sendable {
    enum Ending: Sendable, Equatable {
        /// The process ended by itself.
        case exited
        /// The wall-clock limit passed; the run was killed.
        case timedOut
        /// The calling task was cancelled; the run was killed (or never started).
        case cancelled
    }

    var ending: Ending = .exited
    /// The `waitpid` status of the spawned process (bwrap, unshare, or the interpreter).
    var status: Int32 = 0
    /// The harness's events, one JSON object per line of descriptor 3.
    var events: [JSONValue] = []
    /// Whether descriptor 3 carried more than `SandboxLimits.resultBytes` (the rest was dropped).
    var channelOverflow = false
    var stdout: [UInt8] = []
    var stderr: [UInt8] = []
    var stdoutTruncated = false
    var stderrTruncated = false
    var spawnedAt: UInt64 = 0
    var endedAt: UInt64 = 0
    /// Whether the status comes from a wrapper (bwrap, unshare) that reports a child killed by signal N
    /// as exit status 128 + N.
    var wrapped = false

    /// The first event named `name`.
    func event(_ name: String) -> JSONValue? {
        events.first { $0["event"]?.stringValue == name }
    }

    /// From spawn to the harness's `calling` event.
    var handleCalledAfter: Duration? {
        guard let at = event("calling")?["at"]?.intValue, at >= 0, UInt64(at) >= spawnedAt else { return nil }
        return .nanoseconds(Int64(UInt64(at) - spawnedAt))
    }

    var duration: Duration { .nanoseconds(Int64(endedAt &- spawnedAt)) }

    /// How the process ended, for `SandboxResult.crashed`.
    var exitDescription: String {
        var signal: Int32 = 0
        var code: Int32 = -1
        if status & 0x7F != 0 {
            signal = status & 0x7F
        } else {
            code = (status >> 8) & 0xFF
            if wrapped && code > 128 && code < 128 + 65 { signal = code - 128 }
        }
        if signal != 0 {
            let name = Self.signalNames[signal].map { " (\($0))" } ?? ""
            let cause = switch signal {
            case SIGKILL: ": a CPU-time limit, the memory limit or the kernel's OOM killer sends that"
            case SIGXFSZ: ": the file-size limit"
            case SIGXCPU: ": the CPU-time limit"
            default: ""
            }
            return "the process was killed by signal \(signal)\(name)\(cause)"
        }
        if code == 70 { return "the sandbox harness failed (exit status 70); see stderr" }
        return "the process exited with status \(code) without a result"
    }

    private static let signalNames: [Int32: String] = [
        SIGHUP: "SIGHUP", SIGINT: "SIGINT", SIGQUIT: "SIGQUIT", SIGILL: "SIGILL", SIGABRT: "SIGABRT", SIGBUS: "SIGBUS",
        SIGFPE: "SIGFPE", SIGKILL: "SIGKILL", SIGSEGV: "SIGSEGV", SIGPIPE: "SIGPIPE", SIGALRM: "SIGALRM",
        SIGTERM: "SIGTERM", SIGXCPU: "SIGXCPU", SIGXFSZ: "SIGXFSZ", SIGSYS: "SIGSYS",
    ]
}

/// Runs one sandbox process to its end on the calling (dedicated) thread: feeds the payload on stdin,
/// collects stdout and stderr (capped) and the harness's channel, and kills the whole run at the
/// deadline or on cancellation.
///
/// Killing: under `bubblewrap` and `namespaces` the spawned process (bwrap, unshare) is a monitor
/// whose child is PID 1 of the new PID namespace. `SIGKILL` to that PID 1 makes the kernel kill
/// every process in the namespace (a `setsid` daemon included) before PID 1 itself is reaped by the
/// monitor, which then exits; so once the monitor is reaped, nothing of the run is left. Under
/// `none` only the process tree and group can be killed.
enum SandboxSupervisor {
    /// How long the output may keep flowing after the process exited (`none`: a leftover process
    /// may hold the pipes).
    private static let drainGrace: UInt64 = 200_000_000

    static func run(arguments: [String], environment: [String], input: [UInt8], limits: SandboxLimits,
                    isolation: SandboxIsolation, cancellation: SandboxCancellation) throws(SandboxFailure) -> SandboxTranscript {
        blockAllSignals()
        var transcript = SandboxTranscript()
        transcript.wrapped = isolation != .none
        if cancellation.isFired {
            transcript.ending = .cancelled
            return transcript
        }
        transcript.spawnedAt = SandboxClock.now()
        let child: SandboxChild
        do {
            child = try SandboxChild.spawn(arguments: arguments, environment: environment)
        } catch {
            throw SandboxFailure("the sandbox could not be started: \(error)")
        }
        let deadline = transcript.spawnedAt &+ nanoseconds(limits.timeout)
        var readers: [Int32] = [child.stdout, child.stderr, child.channel]
        var pending = input[...]
        var stdinOpen = true
        if pending.isEmpty { close(child.stdin); stdinOpen = false }
        var channel: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        var exited = false
        var killed = false
        var graceEnds: UInt64 = 0

        func consume(_ fd: Int32) {
            let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count > 0 {
                let bytes = buffer[..<count]
                if fd == child.stdout {
                    if append(bytes, to: &transcript.stdout, cap: limits.outputBytes) { transcript.stdoutTruncated = true }
                } else if fd == child.stderr {
                    if append(bytes, to: &transcript.stderr, cap: limits.outputBytes) { transcript.stderrTruncated = true }
                } else {
                    if append(bytes, to: &channel, cap: limits.resultBytes + 65_536) { transcript.channelOverflow = true }
                }
            } else if count == 0 || (errno != EAGAIN && errno != EINTR) {
                readers.removeAll { $0 == fd }
                close(fd)
            }
        }

        while true {
            let now = SandboxClock.now()
            if cancellation.isFired || now >= deadline {
                transcript.ending = cancellation.isFired ? .cancelled : .timedOut
                terminate(child.pid, isolation: isolation)
                killed = true
                break
            }
            if !exited, hasExited(child.pid) {
                exited = true
                graceEnds = now &+ drainGrace
                if isolation == .none { ProcessTree.killGroup(ledBy: child.pid) }
            }
            if exited && (readers.isEmpty || now >= graceEnds) { break }

            var fds = readers.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
            if stdinOpen { fds.append(pollfd(fd: child.stdin, events: Int16(POLLOUT), revents: 0)) }
            if cancellation.descriptor >= 0 { fds.append(pollfd(fd: cancellation.descriptor, events: Int16(POLLIN), revents: 0)) }
            // Readers open: they close when the run's last process is gone (the usual wake-up); the
            // tick only catches an exit while something else still holds them. Readers closed: the
            // monitor is exiting, so look again soon.
            let tick: UInt64 = exited ? 10_000_000 : readers.isEmpty ? 1_000_000 : 50_000_000
            let wait = min(deadline - now, exited ? min(tick, graceEnds &- now) : tick)
            _ = poll(&fds, nfds_t(fds.count), Int32(max(1, (wait + 999_999) / 1_000_000)))
            for entry in fds where entry.revents != 0 {
                if entry.fd == cancellation.descriptor { continue }
                if entry.fd == child.stdin {
                    let written = pending.withUnsafeBytes { write(child.stdin, $0.baseAddress, $0.count) }
                    if written > 0 { pending = pending.dropFirst(written) }
                    // EPIPE (SIGPIPE is blocked on this thread): the code stopped reading.
                    if pending.isEmpty || (written < 0 && errno != EAGAIN && errno != EINTR) {
                        close(child.stdin)
                        stdinOpen = false
                    }
                } else {
                    consume(entry.fd)
                }
            }
        }

        if stdinOpen { close(child.stdin) }
        if killed || !exited { _ = waitForExit(child.pid, timeout: 5) }
        while waitpid(child.pid, &transcript.status, 0) == -1 && errno == EINTR {}
        if isolation == .none { ProcessTree.killGroup(ledBy: child.pid) }
        // Whatever is still buffered (every writer is gone in the contained isolations).
        for fd in readers {
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
            while readers.contains(fd) {
                let before = transcript.stdout.count + transcript.stderr.count + channel.count
                consume(fd)
                if transcript.stdout.count + transcript.stderr.count + channel.count == before { break }
            }
        }
        for fd in readers { close(fd) }
        transcript.endedAt = SandboxClock.now()
        for line in channel.split(separator: UInt8(ascii: "\n")) {
            if let event = try? JSONValue(parsing: line) { transcript.events.append(event) }
        }
        return transcript
    }

    // MARK: - Killing

    /// Kills the whole run; the spawned process is left for the caller to reap.
    static func terminate(_ pid: pid_t, isolation: SandboxIsolation) {
        switch isolation {
        case .bubblewrap, .namespaces:
            // The monitor's child is the namespace's PID 1: killing it ends the namespace. The rest of
            // the tree is killed too, in case the namespace is still being set up.
            let members = ProcessTree.members(of: pid).filter { !$0.isDead }
            for member in members { kill(member.pid, SIGKILL) }
            if members.isEmpty || !waitForExit(pid, timeout: 1) { kill(pid, SIGKILL) }
        case .none:
            ProcessTree.killGroup(ledBy: pid)
            kill(pid, SIGKILL)
        }
    }

    /// Whether `pid` (our child) has exited, leaving it unreaped.
    static func hasExited(_ pid: pid_t) -> Bool {
        var info = siginfo_t()
        guard waitid(P_PID, id_t(pid), &info, WEXITED | WNOHANG | WNOWAIT) == 0 else { return errno == ECHILD }
        return info._sifields._sigchld.si_pid == pid
    }

    /// Polls until `pid` has exited or `timeout` seconds pass.
    @discardableResult
    static func waitForExit(_ pid: pid_t, timeout: Double) -> Bool {
        let deadline = SandboxClock.now() + UInt64(timeout * 1e9)
        var pause: UInt32 = 200
        while !hasExited(pid) {
            if SandboxClock.now() >= deadline { return false }
            usleep(pause)
            pause = min(pause * 2, 5_000)
        }
        return true
    }

    // MARK: - Helpers

    /// Appends what fits under `cap`; returns whether anything was dropped.
    private static func append(_ bytes: ArraySlice<UInt8>, to output: inout [UInt8], cap: Int) -> Bool {
        let room = max(0, cap - output.count)
        output += bytes.prefix(room)
        return bytes.count > room
    }

    private static func nanoseconds(_ duration: Duration) -> UInt64 {
        let parts = duration.components
        guard parts.seconds >= 0 else { return 0 }
        return UInt64(min(parts.seconds, 1 << 32)) * 1_000_000_000 + UInt64(max(0, parts.attoseconds) / 1_000_000_000)
    }

    /// A write to a pipe whose reader is gone then fails with EPIPE instead of raising SIGPIPE,
    /// which would kill agentd; the spawned child gets an empty mask (`POSIX_SPAWN_SETSIGMASK`).
    private static func blockAllSignals() {
        var all = sigset_t()
        sigfillset(&all)
        pthread_sigmask(SIG_BLOCK, &all, nil)
    }
}
