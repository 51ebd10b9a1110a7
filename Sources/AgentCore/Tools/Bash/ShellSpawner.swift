#if canImport(Glibc)
import CEpoll
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Starts a process in its own session (hence its own process group) with its stdin, stdout and
/// stderr connected to pipes, using `posix_spawn`.
enum ShellSpawner {
    /// A started process and this side's ends of its pipes (close-on-exec, non-blocking).
    struct Spawned: Sendable {
        let pid: pid_t
        let stdin: Int32
        let stdout: Int32
        let stderr: Int32
    }

    /// A failed system call.
    struct Failure: Error, CustomStringConvertible {
        let call: String
        let code: Int32
        var description: String { "\(call): \(String(cString: strerror(code)))" }
    }

    /// glibc's `POSIX_SPAWN_SETSID` (since 2.26; musl has the same value). Swift's Glibc module hides it
    /// behind `_GNU_SOURCE`.
    private static let spawnSetSID: Int32 = 0x80

    /// Spawns `arguments[0]` with `arguments` and `environment` (`NAME=value` strings).
    ///
    /// The child starts a new session: it has no controlling terminal, so a command that opens
    /// `/dev/tty` (a password prompt) fails at once instead of stopping on SIGTTIN, and the whole
    /// group can be killed with one `killpg(pid)`. Signal dispositions and the signal mask are reset,
    /// so an `SIGPIPE` that agentd ignores is not ignored by `yes | head`.
    static func spawn(arguments: [String], environment: [String]) throws(Failure) -> Spawned {
        precondition(!arguments.isEmpty, "arguments[0] is the executable")
        var opened: [Int32] = []
        func closeAll() { for fd in opened { close(fd) } }
        func openPipe() throws(Failure) -> (read: Int32, write: Int32) {
            let fds = try makePipe()
            opened += [fds.read, fds.write]
            return fds
        }
        do {
            let input = try openPipe()
            let output = try openPipe()
            let errors = try openPipe()
            for fd in [input.write, output.read, errors.read] {
                _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
            }
            let pid = try spawnProcess(
                arguments: arguments, environment: environment,
                stdin: input.read, stdout: output.write, stderr: errors.write
            )
            for fd in [input.read, output.write, errors.write] { close(fd) }
            return Spawned(pid: pid, stdin: input.write, stdout: output.read, stderr: errors.read)
        } catch {
            closeAll()
            throw error
        }
    }

    /// A close-on-exec pipe.
    static func makePipe() throws(Failure) -> (read: Int32, write: Int32) {
        var fds: [Int32] = [-1, -1]
        let result = fds.withUnsafeMutableBufferPointer { pipeCloseOnExec($0.baseAddress!) }
        guard result == 0 else { throw Failure(call: "pipe", code: errno) }
        return (fds[0], fds[1])
    }

    /// Spawns `arguments[0]` in a new session with the given descriptors as its 0, 1 and 2 (the
    /// descriptors stay open here; every other descriptor is closed in the child). Shared
    /// with the virtual desktop, whose programs write to log files instead of pipes.
    static func spawnProcess(
        arguments: [String], environment: [String], stdin: Int32, stdout: Int32, stderr: Int32
    ) throws(Failure) -> pid_t {
        try spawnProcess(arguments: arguments, environment: environment, descriptors: [stdin, stdout, stderr])
    }

    /// Spawns `arguments[0]` in a new session with `descriptors[i]` as its descriptor `i` (the
    /// sandbox passes a fourth, its result channel); every descriptor above them is closed in the child.
    static func spawnProcess(arguments: [String], environment: [String], descriptors: [Int32]) throws(Failure) -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        // In order from 0; each source is a fresh descriptor numbered above the targets, and dup2
        // clears close-on-exec on the copy; the originals close on exec.
        for (target, source) in descriptors.enumerated() {
            posix_spawn_file_actions_adddup2(&actions, source, Int32(target))
        }
        // And every other descriptor: Foundation's Pipe and Process open theirs without close-on-exec,
        // and a child holding another component's pipe or socket keeps it open past its owner's close.
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

        let argv = arguments.map { strdup($0) } + [nil]
        let envp = environment.map { strdup($0) } + [nil]
        defer { for pointer in argv + envp { free(pointer) } }

        var pid: pid_t = 0
        let resetFlags = Int32(POSIX_SPAWN_SETSIGMASK) | Int32(POSIX_SPAWN_SETSIGDEF)
        posix_spawnattr_setflags(&attributes, Int16(resetFlags | spawnSetSID))
        var result = posix_spawn(&pid, arguments[0], &actions, &attributes, argv, envp)
        if result == EINVAL {
            // An old libc without POSIX_SPAWN_SETSID: settle for a new process group.
            posix_spawnattr_setflags(&attributes, Int16(resetFlags | Int32(POSIX_SPAWN_SETPGROUP)))
            posix_spawnattr_setpgroup(&attributes, 0)
            result = posix_spawn(&pid, arguments[0], &actions, &attributes, argv, envp)
        }
        guard result == 0 else { throw Failure(call: "posix_spawn \(arguments[0])", code: result) }
        return pid
    }

    /// `pipe2(fds, O_CLOEXEC)`, so no process another thread spawns meanwhile inherits our pipe ends.
    /// Swift's Glibc module hides `pipe2` behind `_GNU_SOURCE`, so it is looked up at run time, with a
    /// `pipe` + `FD_CLOEXEC` fallback (which has that small race).
    private static func pipeCloseOnExec(_ fds: UnsafeMutablePointer<Int32>) -> Int32 {
        typealias Pipe2 = @convention(c) (UnsafeMutablePointer<Int32>, Int32) -> Int32
        if let handle = dlopen(nil, RTLD_NOW) {
            defer { dlclose(handle) }
            if let symbol = dlsym(handle, "pipe2") {
                return unsafeBitCast(symbol, to: Pipe2.self)(fds, O_CLOEXEC)
            }
        }
        guard pipe(fds) == 0 else { return -1 }
        _ = fcntl(fds[0], F_SETFD, FD_CLOEXEC)
        _ = fcntl(fds[1], F_SETFD, FD_CLOEXEC)
        return 0
    }
}
