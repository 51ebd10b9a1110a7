#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Starts the desktop's programs: each in a new session (hence its own process group), with stdin
/// from `/dev/null` and its output appended to a log file, through the bash tool's `posix_spawn` setup
/// (signal mask and dispositions reset).
enum DesktopSpawner {
    /// Starts `arguments` with `environment`.
    ///
    /// - Parameters:
    ///   - arguments: `arguments[0]` is an absolute path or a name looked up in `environment`'s `PATH`.
    ///   - environment: The complete environment.
    ///   - log: The file stdout and stderr are appended to (created 0600).
    ///   - stdout: A descriptor to use as stdout instead of the log (Xvfb's `-displayfd 1`).
    /// - Returns: The pid, which is also the new process group's id.
    /// - Throws: `DesktopError` with code `.spawnFailed`.
    static func spawn(
        arguments: [String], environment: [String: String], log: String, stdout: Int32? = nil
    ) throws(DesktopError) -> pid_t {
        precondition(!arguments.isEmpty, "arguments[0] is the executable")
        let name = arguments[0]
        guard let path = resolve(name, path: environment["PATH"]) else {
            throw DesktopError(.spawnFailed, "cannot start \(name): no such executable")
        }
        let input = open("/dev/null", O_RDONLY | O_CLOEXEC)
        guard input >= 0 else { throw failure(name, "open /dev/null", errno) }
        defer { close(input) }
        let output = open(log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
        guard output >= 0 else { throw failure(name, "open \(log)", errno) }
        defer { close(output) }
        do {
            return try ShellSpawner.spawnProcess(
                arguments: [path] + arguments.dropFirst(), environment: DesktopEnvironment.strings(environment),
                stdin: input, stdout: stdout ?? output, stderr: output
            )
        } catch {
            throw DesktopError(.spawnFailed, "cannot start \(name): \(error)")
        }
    }

    /// `name` itself when it contains a `/`, else the first executable `dir/name` on `path`.
    static func resolve(_ name: String, path: String?) -> String? {
        if name.contains("/") { return access(name, X_OK) == 0 ? name : nil }
        let directories = (path ?? "/usr/local/bin:/usr/bin:/bin").split(separator: ":")
        for directory in directories where !directory.isEmpty {
            let candidate = "\(directory)/\(name)"
            if access(candidate, X_OK) == 0 { return candidate }
        }
        return nil
    }

    private static func failure(_ name: String, _ call: String, _ code: Int32) -> DesktopError {
        DesktopError(.spawnFailed, "cannot start \(name): \(call): \(String(cString: strerror(code)))")
    }
}
