#if canImport(Glibc)
import CEpoll
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A process started for a sandbox, with pipes on its descriptors 0–3, spawned by
/// `ShellSpawner` as the bash tool is: `posix_spawn` into a new session, signal mask and
/// dispositions reset, every other descriptor closed (Foundation's `Process` leaks its pipes).
///
/// Descriptor 3 is the harness's result channel; the ends kept here are close-on-exec and
/// non-blocking.
struct SandboxChild {
    let pid: pid_t
    let stdin: Int32
    let stdout: Int32
    let stderr: Int32
    let channel: Int32

    /// Spawns `arguments[0]` (an absolute path) with exactly `environment`.
    static func spawn(arguments: [String], environment: [String]) throws(ShellSpawner.Failure) -> SandboxChild {
        precondition(!arguments.isEmpty && arguments[0].hasPrefix("/"), "arguments[0] is an absolute path")
        var opened: [Int32] = []
        do {
            var pipes: [(read: Int32, write: Int32)] = []
            for _ in 0..<4 {
                let fds = try ShellSpawner.makePipe()
                opened += [fds.read, fds.write]
                pipes.append(fds)
            }
            let (input, output, errors, channel) = (pipes[0], pipes[1], pipes[2], pipes[3])
            for fd in [input.write, output.read, errors.read, channel.read] {
                _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
            }
            let pid = try ShellSpawner.spawnProcess(
                arguments: arguments, environment: environment,
                descriptors: [input.read, output.write, errors.write, channel.write]
            )
            for fd in [input.read, output.write, errors.write, channel.write] { close(fd) }
            return SandboxChild(pid: pid, stdin: input.write, stdout: output.read, stderr: errors.read, channel: channel.read)
        } catch {
            for fd in opened { close(fd) }
            throw error
        }
    }

    /// Runs a short helper (a probe, the interpreter lookup) to completion on the calling thread, with
    /// stdin empty and stdout and stderr captured together.
    ///
    /// - Returns: The `waitpid` status and the output, or `nil` when it could not be spawned or
    ///   outlived `timeout` seconds (it is then killed).
    static func capture(arguments: [String], environment: [String], timeout: Double = 10) -> (status: Int32, output: String)? {
        guard let child = try? spawn(arguments: arguments, environment: environment) else { return nil }
        close(child.stdin)
        close(child.channel)
        defer { close(child.stdout); close(child.stderr) }
        var output: [UInt8] = []
        var open = [child.stdout, child.stderr]
        let deadline = SandboxClock.now() + UInt64(timeout * 1e9)
        var buffer = [UInt8](repeating: 0, count: 16_384)
        while !open.isEmpty, SandboxClock.now() < deadline {
            var fds = open.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
            _ = poll(&fds, nfds_t(fds.count), 100)
            for entry in fds where entry.revents != 0 {
                let count = buffer.withUnsafeMutableBytes { read(entry.fd, $0.baseAddress, $0.count) }
                if count > 0 {
                    if output.count < 1 << 20 { output += buffer[..<count] }
                } else if count == 0 || (errno != EAGAIN && errno != EINTR) {
                    open.removeAll { $0 == entry.fd }
                }
            }
        }
        if !open.isEmpty { kill(-child.pid, SIGKILL); kill(child.pid, SIGKILL) }
        var status: Int32 = 0
        while waitpid(child.pid, &status, 0) == -1 && errno == EINTR {}
        return open.isEmpty ? (status, String(decoding: output, as: UTF8.self)) : nil
    }
}

/// `CLOCK_MONOTONIC` in nanoseconds: the clock the harness stamps its `calling` event with
/// (`time.clock_gettime_ns(time.CLOCK_MONOTONIC)`), so the two can be subtracted.
enum SandboxClock {
    static func now() -> UInt64 {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_nsec)
    }
}
