import AgentCore
import AgentTesting
import Foundation
import Testing

/// The built `agentd` in a child process, started and awaited until it prints its listening line.
///
/// ```swift
/// let daemon = try await DaemonProcess.start(["--script", script], dataDirectory: directory.path)
/// let health = try await daemon.api.get("/api/v1/health")
/// let result = try await daemon.terminate()
/// ```
final class DaemonProcess: Sendable {
    let child: ChildProcess
    /// The port agentd printed in `listening on http://127.0.0.1:PORT`.
    let port: Int
    /// Seconds from spawning to the listening line.
    let startupSeconds: Double
    var api: APIClient { APIClient(baseURL: "http://127.0.0.1:\(port)") }

    private init(child: ChildProcess, port: Int, startupSeconds: Double) {
        self.child = child
        self.port = port
        self.startupSeconds = startupSeconds
    }

    /// The path of the built agentd (`AGENTD_BINARY` overrides).
    static func binary() throws -> String {
        try #require(
            BuiltExecutable.path(named: "agentd", override: "AGENTD_BINARY"),
            "agentd is not built beside the tests (swift build --build-tests)")
    }

    /// Starts agentd on a free port (`--port 0`) with `arguments`, and waits until it listens.
    /// - Throws: when it exits or stays silent instead; the issue shows what it printed.
    static func start(
        _ arguments: [String], dataDirectory: String, environment: [String: String] = ChildProcess.environment(),
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> DaemonProcess {
        let began = ContinuousClock.now
        let child = try ChildProcess(
            ["--port", "0", "--data-dir", dataDirectory] + arguments, environment: environment, binary: try binary())
        let snapshot = await child.wait(timeout: .seconds(20)) { $0.stdout.contains("\n") || $0.isFinished }
        let elapsed = ContinuousClock.now - began
        guard let line = snapshot?.stdout.lines.first, let port = listeningPort(line) else {
            child.killIfRunning()
            let seen = child.snapshot
            Issue.record("agentd did not start: stdout \(seen.stdout) stderr \(seen.stderr)", sourceLocation: sourceLocation)
            throw DaemonDidNotStart()
        }
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        return DaemonProcess(child: child, port: port, startupSeconds: seconds)
    }

    /// The port in `listening on http://HOST:PORT`.
    static func listeningPort(_ line: String) -> Int? {
        guard line.hasPrefix("listening on http://"), let colon = line.lastIndex(of: ":") else { return nil }
        return Int(line[line.index(after: colon)...])
    }

    /// Sends SIGTERM and waits for the exit.
    func terminate(timeout: Duration = .seconds(15)) async -> ChildProcess.Snapshot? {
        child.send(SIGTERM)
        return await child.finished(timeout: timeout)
    }

    deinit {
        child.killIfRunning()
    }
}

/// agentd exited or stayed silent instead of printing its listening line.
struct DaemonDidNotStart: Error {}

/// Writes a `--script` file of assistant turns into `directory` and returns its path.
func writeScript(_ turns: JSONValue, in directory: String) throws -> String {
    let path = directory + "/script-\(UUID().uuidString).json"
    try Data(turns.serializedBytes()).write(to: URL(fileURLWithPath: path))
    return path
}
