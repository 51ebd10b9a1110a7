#if canImport(Glibc)
import CEpoll
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A process started for a sandbox, with pipes on its descriptors 0–3, spawned the way
/// `ShellSpawner` spawns the bash tool: `posix_spawn` into a new session, signal mask and
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

    /// glibc's `POSIX_SPAWN_SETSID` (hidden behind `_GNU_SOURCE` in Swift's Glibc module).
    private static let spawnSetSID: Int32 = 0x80

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
            let pid = try spawnProcess(
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

    /// `posix_spawn` with `descriptors[i]` as the child's descriptor `i`, everything above closed.
    private static func spawnProcess(arguments: [String], environment: [String], descriptors: [Int32]) throws(ShellSpawner.Failure) -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        // In order 0…3; each source is a fresh pipe end numbered above 3 or consumed before it is
        // overwritten, and dup2 clears close-on-exec on the copy (glibc ≥ 2.29 also when equal).
        for (target, source) in descriptors.enumerated() {
            posix_spawn_file_actions_adddup2(&actions, source, Int32(target))
        }
        #if canImport(Glibc)
        posix_spawn_file_actions_addclosefrom_np(&actions, Int32(descriptors.count))
        #endif

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        var allSignals = sigset_t()
        sigfillset(&allSignals)
        posix_spawnattr_setsigdefault(&attributes, &allSignals)
        let flags = Int32(POSIX_SPAWN_SETSIGMASK) | Int32(POSIX_SPAWN_SETSIGDEF) | spawnSetSID
        posix_spawnattr_setflags(&attributes, Int16(flags))

        let argv = arguments.map { strdup($0) } + [nil]
        let envp = environment.map { strdup($0) } + [nil]
        defer { for pointer in argv + envp { free(pointer) } }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, arguments[0], &actions, &attributes, argv, envp)
        guard result == 0 else { throw ShellSpawner.Failure(call: "posix_spawn \(arguments[0])", code: result) }
        return pid
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
