import AgentCore
import AgentHTTP
import AgentStore
import AgentTesting
import Foundation
@testable import agentctl

/// A real agentd in the test process: a SQLite store in a temporary directory, a session service
/// on a scripted model and fixed tools, and the native API on an HTTP server on a loopback port.
///
/// ```swift
/// let agentd = try await AgentdHarness(script: #"[{"text": "Hi."}]"#)
/// defer { Task { await agentd.finish() } }
/// let (code, output) = await agentd.agentctl(["sessions", "list"])
/// ```
final class AgentdHarness: Sendable {
    let sessions: ScriptedSessions
    var service: SessionService { sessions.service }
    let server: HTTPServer
    /// The server's base URL, `http://127.0.0.1:PORT`.
    let url: String

    init(script: String = "[]", tools: [any Tool] = []) async throws {
        sessions = try await ScriptedSessions(script: script, tools: tools, prefix: "agentctl-agentd")
        var router = Router()
        NativeAPI(service: sessions.service).register(on: &router)
        server = HTTPServer(configuration: HTTPServerConfiguration(host: "127.0.0.1", port: 0, eventLoopCount: 1), handler: router)
        let port = try server.start()
        url = "http://127.0.0.1:\(port)"
    }

    /// Stops the server and the service and removes the directory.
    func finish() async {
        await server.shutdown(gracePeriod: .milliseconds(200))
        await sessions.finish()
    }

    /// Runs agentctl in-process against this server (through `$AGENTD_URL`), with a config
    /// directory of its own so no stored login of the machine's user is read.
    func agentctl(_ arguments: [String], output: MemoryOutput = MemoryOutput()) async -> (code: ExitCode, output: MemoryOutput) {
        let code = await AgentCtl.run(arguments, environment: ["AGENTD_URL": url, "XDG_CONFIG_HOME": sessions.directory + "/config"],
                                      output: output)
        return (code, output)
    }

    /// Creates a session through agentctl and returns its id.
    func create(_ options: [String] = []) async throws -> String {
        let (code, output) = await agentctl(["sessions", "create"] + options)
        guard code == .success else { throw HarnessError("create failed (\(code)): \(output.stderr)") }
        return output.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Waits until the session's run settles (ended, or waiting for a person) and returns its status.
    func settle(_ id: String) async throws -> SessionStatus {
        try await service.waitUntilSettled(id, timeout: 20).status
    }

    /// A URL on loopback where nothing listens: a port that was bound and then closed.
    static func closedPortURL() async throws -> String {
        let server = HTTPServer(configuration: HTTPServerConfiguration(host: "127.0.0.1", port: 0, eventLoopCount: 1),
                                handler: Router())
        let port = try server.start()
        await server.shutdown(gracePeriod: .zero)
        return "http://127.0.0.1:\(port)"
    }
}

/// A harness step that did not work out.
struct HarnessError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
