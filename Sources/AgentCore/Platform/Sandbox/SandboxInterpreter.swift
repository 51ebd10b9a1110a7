import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The real Python interpreter behind a command such as `python3`, and the installation prefix the
/// sandbox must mount for it.
///
/// `python3` may be a launcher (pyenv's shim is a bash script that takes tens of milliseconds), so
/// it is asked once for `sys.executable` and `sys.base_prefix` and the answer is cached for the
/// life of the process; every run then execs the real binary directly.
struct SandboxInterpreter: Sendable, Equatable {
    /// The interpreter binary, symlinks resolved.
    let executable: String
    /// `sys.base_prefix`, symlinks resolved: bound read-only at the same path inside the sandbox.
    let prefix: String

    private static let cache = Mutex<[String: SandboxInterpreter]>([:])

    /// Resolves `command` (a path, or a name looked up on agentd's `PATH`).
    ///
    /// - Returns: The interpreter, or why it could not be found.
    static func resolve(_ command: String) -> Result<SandboxInterpreter, SandboxFailure> {
        if let known = cache.withLock({ $0[command] }) { return .success(known) }
        guard let path = locate(command) else {
            return .failure(SandboxFailure("no Python interpreter \"\(command)\" was found on PATH"))
        }
        // Run with agentd's own environment: launchers such as pyenv's need theirs. This is the
        // trusted interpreter printing two paths, not agent code.
        let script = "import os, sys; print(os.path.realpath(sys.executable)); print(os.path.realpath(sys.base_prefix))"
        let environment = currentEnvironment()
        guard let answer = SandboxChild.capture(arguments: [path, "-c", script], environment: environment, timeout: 30),
              answer.status == 0
        else { return .failure(SandboxFailure("the Python interpreter \(path) did not start")) }
        let lines = answer.output.split(separator: "\n").map(String.init)
        guard lines.count >= 2, lines[lines.count - 2].hasPrefix("/"), lines[lines.count - 1].hasPrefix("/") else {
            return .failure(SandboxFailure("the Python interpreter \(path) did not report its location"))
        }
        let interpreter = SandboxInterpreter(executable: lines[lines.count - 2], prefix: lines[lines.count - 1])
        cache.withLock { $0[command] = interpreter }
        return .success(interpreter)
    }

    private static func locate(_ command: String) -> String? {
        if command.contains("/") { return access(command, X_OK) == 0 ? command : nil }
        let searchPath = getenv("PATH").map { String(cString: $0) } ?? SandboxTools.sandboxPath
        for directory in searchPath.split(separator: ":") where directory.hasPrefix("/") {
            let candidate = "\(directory)/\(command)"
            if access(candidate, X_OK) == 0 { return candidate }
        }
        return nil
    }

    private static func currentEnvironment() -> [String] {
        var result: [String] = []
        var cursor = environ
        while let entry = cursor.pointee {
            result.append(String(cString: entry))
            cursor += 1
        }
        return result
    }
}

/// Why a sandbox could not be set up (reported as `SandboxResult.rejected`).
struct SandboxFailure: Error, Sendable, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
