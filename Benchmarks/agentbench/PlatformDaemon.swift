import AgentCore
import Foundation

/// The real agentd (release build, next to this binary or `AGENTD_BIN`) for the platform
/// benchmark: a host-made account on a data directory, daemons started in either auth mode with
/// seed 003's settings in their environment, and a login token plus API key for that account.
///
/// ```swift
/// try PlatformDaemon.addUser(dataDirectory: data)
/// let daemon = try PlatformDaemon.start(name: "agentd-auth", dataDirectory: data, auth: "required", scratch: scratch)
/// let (token, key) = try PlatformDaemon.credentials(port: daemon.port)
/// ```
enum PlatformDaemon {
    static let username = "bench"
    static let password = "bench-password-not-secret"
    /// `SECRET_KEY` for every daemon and `users add` (at least 32 bytes, RFC 7518 §3.2).
    static let secretKey = "agentbench-platform-secret-key-0123456789"
    /// `WORKER_CONCURRENCY` (seed 003's default).
    static let workerConcurrency = 4
    /// `EXECUTION_TIMEOUT`: long enough that a cancel that fails shows as a timeout, not a cancel.
    static let executionTimeout = 60

    /// The agentd executable: `AGENTD_BIN`, else `agentd` beside this binary.
    static func binary() throws -> String {
        let binary = ProcessInfo.processInfo.environment["AGENTD_BIN"]
            ?? URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("agentd").path
        guard FileManager.default.isExecutableFile(atPath: binary) else {
            throw BenchError("no agentd at \(binary): build it with `swift build -c release --product agentd` or set AGENTD_BIN")
        }
        return binary
    }

    /// The variables every daemon (and `users add`) gets, as `NAME=value` for `env`.
    static var environment: [String] {
        ["SECRET_KEY=\(secretKey)", "WORKER_CONCURRENCY=\(workerConcurrency)", "EXECUTION_TIMEOUT=\(executionTimeout)"]
    }

    /// `agentd users add --data-dir DIR bench` (NAME comes last), the password from `AGENTD_PASSWORD`.
    static func addUser(dataDirectory: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = environment + ["AGENTD_PASSWORD=\(password)", try binary(), "users", "add", "--data-dir", dataDirectory, username]
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        let message = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw BenchError("agentd users add failed (\(process.terminationStatus)): \(String(decoding: message, as: UTF8.self))")
        }
    }

    /// Starts agentd on `dataDirectory` with `--auth auth`, replaying an empty script (no model), its
    /// requests not access-logged. `env` execs agentd in place, so the process id is agentd's.
    static func start(name: String, dataDirectory: String, auth: String, scratch: String, cpus: String? = nil) throws -> ServerProcess {
        let binary = try binary()
        let script = scratch + "/script.json"
        if !FileManager.default.fileExists(atPath: script) { try Data("[]".utf8).write(to: URL(fileURLWithPath: script)) }
        return try ServerProcess.start(
            name: name, executable: "/usr/bin/env",
            arguments: { environment + [binary, "--port", "\($0)", "--data-dir", dataDirectory, "--auth", auth,
                                        "--script", script, "--log-level", "warning"] },
            cpus: cpus, readyPath: "/api/v1/health")
    }

    /// Logs in as the bench user and makes an API key: the token and the key.
    static func credentials(port: Int) throws -> (token: String, key: String) {
        let token = try login(port: port)
        let made = try PlatformClient(port: port, token: token).call("POST", "/api/v1/api-keys", json: ["name": "agentbench"], expect: 201)
        guard let key = made["key"]?.stringValue else { throw BenchError("POST /api/v1/api-keys gave no key: \(made.serialized())") }
        return (token, key)
    }

    /// One successful login; its access token.
    static func login(port: Int, on socket: BlockingSocket? = nil) throws -> String {
        let answer = try PlatformClient(port: port).call(
            "POST", "/api/v1/auth/login", json: ["username": .string(username), "password": .string(password)], on: socket)
        guard let token = answer["access_token"]?.stringValue else { throw BenchError("login gave no token: \(answer.serialized())") }
        return token
    }
}
