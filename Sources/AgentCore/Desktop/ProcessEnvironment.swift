#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads other processes' environment and command line from Linux `/proc`.
///
/// The desktop uses it to find programs that left its process trees (Chromium's crash handler
/// double-forks into a session of its own) but still carry the desktop's `XAUTHORITY`.
enum ProcessEnvironment {
    /// `/proc/<pid>/environ` as `NAME=value` strings; nil when unreadable (gone, or a zombie: empty).
    static func environment(of pid: pid_t) -> [String]? {
        readNULSeparated("/proc/\(pid)/environ")
    }

    /// `/proc/<pid>/cmdline` as arguments; nil when unreadable.
    static func commandLine(of pid: pid_t) -> [String]? {
        readNULSeparated("/proc/\(pid)/cmdline")
    }

    /// The live processes (not zombies, not this one) whose environment contains `entry` exactly.
    static func processes(withEnvironmentEntry entry: String) -> [ProcessTree.Entry] {
        let me = getpid()
        return ProcessTree.snapshot().filter { process in
            process.pid != me && !process.isDead && (environment(of: process.pid)?.contains(entry) ?? false)
        }
    }

    private static func readNULSeparated(_ path: String) -> [String]? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 16_384)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { break }
            bytes += chunk[..<count]
        }
        return bytes.split(separator: 0, omittingEmptySubsequences: true).map {
            String(decoding: $0, as: UTF8.self)
        }
    }
}
