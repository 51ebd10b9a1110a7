import Dispatch
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// How a command sent to the shell ended.
enum ShellOutcome: Sendable, Equatable {
    /// Both markers arrived (or the stderr one was given up on after a short grace period).
    case finished(stdout: CapturedBytes, stderr: CapturedBytes, status: Int32)
    /// The deadline passed first; the output is what had arrived.
    case timedOut(stdout: CapturedBytes, stderr: CapturedBytes)
    /// The shell exited first (`exit 3`, killed); the output is what had arrived.
    case exited(returnCode: Int32, stdout: CapturedBytes, stderr: CapturedBytes)
    /// The calling task was cancelled.
    case cancelled
}

/// The shell's three pipes, driven by one dedicated thread in a `poll(2)` loop.
///
/// Async callers never block: `run` parks a continuation that the I/O thread resumes when the command's
/// markers arrive, the deadline passes, the shell exits, or the task is cancelled. The thread writes
/// the command to stdin without blocking (a long command waits for bash to read it), reads stdout and
/// stderr into bounded `SentinelBuffer`s, and keeps reading and discarding while a command floods them.
final class ShellIO: Sendable {
    /// Timing and memory limits.
    struct Limits: Sendable {
        /// Bytes kept per stream per command; beyond that output is discarded while the marker is awaited.
        var captureBytes: Int
        /// How long to wait for the stderr marker once the stdout marker has arrived.
        var stderrGrace: Double
    }

    private struct Pending {
        let token: UInt64
        let continuation: CheckedContinuation<ShellOutcome, Never>
        let deadline: UInt64
        var script: [UInt8]
        var written = 0
        var stdoutResult: (output: CapturedBytes, status: Int32)?
        var graceDeadline: UInt64?

        var unwritten: ArraySlice<UInt8> { script[written...] }
    }

    private struct State {
        var stdout: SentinelBuffer
        var stderr: SentinelBuffer
        var pending: Pending?
        var lastToken: UInt64 = 0
        var cancelledToken: UInt64?
        var returnCode: Int32?
        var drainedAfterExit = false
        var stopped = false
    }

    /// A continuation to resume once the lock is released.
    private struct Resumption {
        let continuation: CheckedContinuation<ShellOutcome, Never>
        let outcome: ShellOutcome
        func callAsFunction() { continuation.resume(returning: outcome) }
    }

    private let state: Mutex<State>
    private let sentinel: BashSentinel
    private let limits: Limits
    private let wakeRead: Int32
    private let wakeWrite: Int32

    /// Takes ownership of the descriptors and starts the I/O thread.
    ///
    /// - Parameter wake: A pipe (from `ShellSpawner.makePipe()`) used to interrupt the thread's `poll`.
    init(
        stdin: Int32, stdout: Int32, stderr: Int32, wake: (read: Int32, write: Int32),
        sentinel: BashSentinel, limits: Limits, label: String
    ) {
        for fd in [wake.read, wake.write] { _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) }
        wakeRead = wake.read
        wakeWrite = wake.write
        self.sentinel = sentinel
        self.limits = limits
        state = Mutex(State(
            stdout: SentinelBuffer(capacity: limits.captureBytes),
            stderr: SentinelBuffer(capacity: limits.captureBytes)
        ))
        DedicatedThread.start(name: "bash-io-\(label)") { [self] in
            loop(stdin: stdin, stdout: stdout, stderr: stderr)
        }
    }

    deinit {
        // The I/O thread holds `self` until it returns, so nobody can wake it any more.
        close(wakeRead)
        close(wakeWrite)
    }

    // MARK: - Calls from other threads

    /// Sends `script` to the shell and waits for the command's outcome.
    ///
    /// Cancelling the calling task resumes at once with `.cancelled`; the caller then kills the shell.
    func run(script: [UInt8], timeout: Double) async -> ShellOutcome {
        let token = state.withLock { state in
            state.lastToken += 1
            return state.lastToken
        }
        let deadline = DispatchTime.now().uptimeNanoseconds + Self.nanoseconds(timeout)
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let immediate: ShellOutcome? = state.withLock { state in
                    if state.cancelledToken == token { return .cancelled }
                    if state.stopped {
                        return .exited(returnCode: state.returnCode ?? -SIGKILL, stdout: .empty, stderr: .empty)
                    }
                    precondition(state.pending == nil, "one command at a time")
                    state.pending = Pending(
                        token: token, continuation: continuation, deadline: deadline, script: script
                    )
                    return nil
                }
                if let immediate { continuation.resume(returning: immediate) } else { wake() }
            }
        } onCancel: {
            let resumption: Resumption? = state.withLock { state in
                guard let pending = state.pending, pending.token == token else {
                    state.cancelledToken = token  // `run` has not registered yet
                    return nil
                }
                state.pending = nil
                return Resumption(continuation: pending.continuation, outcome: .cancelled)
            }
            resumption?()
        }
    }

    /// Called by the exit monitor when the shell has exited.
    func shellExited(returnCode: Int32) {
        state.withLock { $0.returnCode = returnCode }
        wake()
    }

    /// Stops the I/O thread, which closes the pipes. A command still waiting ends as `.exited`.
    func stop() {
        state.withLock { $0.stopped = true }
        wake()
    }

    private func wake() {
        var byte: UInt8 = 1
        _ = write(wakeWrite, &byte, 1)  // a full pipe already means "wake up"
    }

    // MARK: - The I/O thread

    private func loop(stdin: Int32, stdout: Int32, stderr: Int32) {
        Self.blockAllSignals()
        let chunkSize = 64 * 1024
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: chunkSize, alignment: 1)
        var input: Int32? = stdin
        var output: Int32? = stdout
        var errors: Int32? = stderr
        defer {
            buffer.deallocate()
            for fd in [input, output, errors].compactMap({ $0 }) { close(fd) }
        }

        while true {
            let now = DispatchTime.now().uptimeNanoseconds
            let plan = state.withLock { state in
                (stopped: state.stopped,
                 write: input != nil && state.pending.map { !$0.unwritten.isEmpty } == true,
                 drain: state.returnCode != nil && !state.drainedAfterExit,
                 timeout: Self.pollTimeout(state.pending, now: now))
            }
            if plan.stopped { break }

            var stdoutChunk: [UInt8] = []
            var stderrChunk: [UInt8] = []
            if plan.drain {
                // The shell is gone: collect what it wrote before deciding the command's outcome. A
                // background child may keep writing, so stop after a bounded amount.
                if let fd = output { Self.drain(fd, into: &stdoutChunk, buffer: buffer, limit: limits.captureBytes) }
                if let fd = errors { Self.drain(fd, into: &stderrChunk, buffer: buffer, limit: limits.captureBytes) }
                state.withLock { $0.drainedAfterExit = true }
            } else {
                var fds = [pollfd(fd: wakeRead, events: Int16(POLLIN), revents: 0)]
                for fd in [output, errors] { fds.append(pollfd(fd: fd ?? -1, events: Int16(POLLIN), revents: 0)) }
                fds.append(pollfd(fd: plan.write ? input ?? -1 : -1, events: Int16(POLLOUT), revents: 0))
                let ready = poll(&fds, nfds_t(fds.count), plan.timeout)
                if ready < 0 && errno != EINTR { break }
                if ready > 0 {
                    if fds[0].revents != 0 { Self.discardWakeBytes(wakeRead, buffer: buffer) }
                    if fds[1].revents != 0 { Self.readOnce(&output, into: &stdoutChunk, buffer: buffer) }
                    if fds[2].revents != 0 { Self.readOnce(&errors, into: &stderrChunk, buffer: buffer) }
                    if fds[3].revents != 0 { writePending(&input) }
                }
            }

            let resumption = state.withLock { state in
                state.stdout.append(stdoutChunk[...])
                state.stderr.append(stderrChunk[...])
                return evaluate(&state, now: DispatchTime.now().uptimeNanoseconds)
            }
            resumption?()
        }

        // Stopped, or poll failed: either way no command can be served any more.
        let resumption: Resumption? = state.withLock { state in
            state.stopped = true
            guard let pending = state.pending else { return nil }
            state.pending = nil
            let outcome = ShellOutcome.exited(
                returnCode: state.returnCode ?? -SIGKILL,
                stdout: state.stdout.takeAll(), stderr: state.stderr.takeAll()
            )
            return Resumption(continuation: pending.continuation, outcome: outcome)
        }
        resumption?()
    }

    /// Decides whether the pending command is over.
    private func evaluate(_ state: inout State, now: UInt64) -> Resumption? {
        guard var pending = state.pending else { return nil }
        func finish(_ outcome: ShellOutcome) -> Resumption {
            state.pending = nil
            return Resumption(continuation: pending.continuation, outcome: outcome)
        }
        if pending.stdoutResult == nil, let taken = state.stdout.take(through: sentinel.stdoutMarker) {
            pending.stdoutResult = (taken.output, taken.status ?? 0)
            pending.graceDeadline = now + Self.nanoseconds(limits.stderrGrace)
        }
        if let (stdout, status) = pending.stdoutResult {
            if let taken = state.stderr.take(through: sentinel.stderrMarker) {
                return finish(.finished(stdout: stdout, stderr: taken.output, status: status))
            }
            // The stderr marker follows the stdout one at once unless the command redirected the shell's
            // stderr (`exec 2>/dev/null`): then take what is there after a short grace period.
            if now >= pending.graceDeadline ?? now || state.returnCode != nil {
                return finish(.finished(stdout: stdout, stderr: state.stderr.takeAll(), status: status))
            }
            state.pending = pending
            return nil
        }
        if let returnCode = state.returnCode, state.drainedAfterExit {
            return finish(.exited(
                returnCode: returnCode, stdout: state.stdout.takeAll(), stderr: state.stderr.takeAll()
            ))
        }
        if now >= pending.deadline {
            // reference §6.3: on timeout the command is abandoned; we return what it printed so far.
            return finish(.timedOut(stdout: state.stdout.takeAll(), stderr: state.stderr.takeAll()))
        }
        state.pending = pending
        return nil
    }

    private func writePending(_ input: inout Int32?) {
        guard let fd = input else { return }
        let next = state.withLock { state in state.pending.map { ($0.token, Array($0.unwritten)) } }
        guard let (token, bytes) = next, !bytes.isEmpty else { return }
        let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        if written > 0 {
            state.withLock { state in
                if state.pending?.token == token { state.pending?.written += written }
            }
        } else if written < 0 && errno != EAGAIN && errno != EINTR {
            // EPIPE: the shell is gone (SIGPIPE is blocked on this thread). The exit monitor reports it.
            close(fd)
            input = nil
        }
    }

    // MARK: - Helpers

    private static func pollTimeout(_ pending: Pending?, now: UInt64) -> Int32 {
        guard let pending else { return -1 }
        let deadline = min(pending.deadline, pending.graceDeadline ?? .max)
        guard deadline > now else { return 0 }
        let milliseconds = (deadline - now + 999_999) / 1_000_000
        return Int32(clamping: milliseconds)
    }

    private static func nanoseconds(_ seconds: Double) -> UInt64 {
        seconds <= 0 ? 0 : UInt64(min(seconds, 1e9) * 1e9)
    }

    /// One `read`; EOF or an error closes the descriptor and sets it to nil.
    private static func readOnce(_ fd: inout Int32?, into chunk: inout [UInt8], buffer: UnsafeMutableRawBufferPointer) {
        guard let descriptor = fd else { return }
        let count = read(descriptor, buffer.baseAddress, buffer.count)
        if count > 0 {
            chunk.append(contentsOf: UnsafeRawBufferPointer(rebasing: buffer[..<count]))
        } else if count == 0 || (errno != EAGAIN && errno != EINTR) {
            close(descriptor)
            fd = nil
        }
    }

    private static func drain(
        _ fd: Int32, into chunk: inout [UInt8], buffer: UnsafeMutableRawBufferPointer, limit: Int
    ) {
        while chunk.count < limit {
            let count = read(fd, buffer.baseAddress, buffer.count)
            if count > 0 {
                chunk.append(contentsOf: UnsafeRawBufferPointer(rebasing: buffer[..<count]))
            } else if count < 0 && errno == EINTR {
                continue
            } else {
                return  // EAGAIN: nothing more buffered; 0: EOF (the loop closes it on its next read)
            }
        }
    }

    private static func discardWakeBytes(_ fd: Int32, buffer: UnsafeMutableRawBufferPointer) {
        while read(fd, buffer.baseAddress, buffer.count) > 0 {}
    }

    /// Keeps signals off the I/O thread; in particular a write to a dead shell's stdin fails with EPIPE
    /// instead of raising SIGPIPE, which would kill agentd.
    private static func blockAllSignals() {
        var all = sigset_t()
        sigfillset(&all)
        pthread_sigmask(SIG_BLOCK, &all, nil)
    }
}
