import AgentCore
import AgentHTTP
import AgentStore
import AgentTesting
import Foundation
@testable import agentctl

/// agentd's whole HTTP stack with accounts and seed 003's agent platform, on a loopback port: a
/// SQLite store in a temporary directory, the real sandbox for agent code, and a config directory
/// of its own for agentctl's stored credentials (`$XDG_CONFIG_HOME`).
///
/// ```swift
/// let agentd = try await PlatformHarness()
/// defer { Task { await agentd.finish() } }
/// try await agentd.register("ada")
/// let (code, output) = await agentd.agentctl(["login", "--username", "ada"], environment: ["AGENTD_PASSWORD": agentd.password])
/// ```
final class PlatformHarness: Sendable {
    let sessions: ScriptedSessions
    let accounts: AccountService
    let platform: PlatformService
    let server: HTTPServer
    /// The server's base URL, `http://127.0.0.1:PORT`.
    let url: String
    /// agentctl's `$XDG_CONFIG_HOME`.
    let config: TemporaryDirectory

    /// The secret tokens are signed with in these tests.
    static let secret = Array("agentctl-test-secret-key-of-more-than-32-bytes".utf8)
    /// Every test user's password.
    let password = "a long password"

    /// Starts everything.
    /// - Parameters:
    ///   - mode: `.required` makes the native API (sessions) need a credential too.
    ///   - script: the scripted model's turns for sessions (see `ScriptedModelClient`).
    init(mode: AuthenticationMiddleware.Mode = .none, script: String = "[]") async throws {
        sessions = try await ScriptedSessions(script: script, prefix: "agentctl-platform")
        accounts = AccountService(store: sessions.store.accounts,
                                  configuration: AccountConfiguration(secret: Self.secret, passwordIterations: 1_000))
        let storage = sessions.directory + "/storage"
        platform = PlatformService(store: sessions.store.platform, sessions: sessions.service, sandbox: Sandbox(scratchRoot: storage + "/scratch"),
                                   configuration: PlatformConfiguration(storageRoot: storage, uploadMaxSize: 1 << 20,
                                                                        workerConcurrency: 2, executionTimeout: 10))
        try await platform.start()
        let handler = try AgentdStack(service: sessions.service, corsOrigins: [],
                                      access: AgentdAccess(accounts: accounts, platform: platform, mode: mode)).handler
        server = HTTPServer(configuration: HTTPServerConfiguration(host: "127.0.0.1", port: 0, eventLoopCount: 1), handler: handler)
        url = "http://127.0.0.1:\(try server.start())"
        config = try TemporaryDirectory(prefix: "agentctl-config")
    }

    /// Stops the server and the services and removes the directories.
    func finish() async {
        await server.shutdown(gracePeriod: .milliseconds(200))
        await platform.shutdown()
        await sessions.finish()
        config.remove()
    }

    /// The environment agentctl runs with: this server, this config directory, and `extra`.
    func environment(_ extra: [String: String] = [:]) -> [String: String] {
        ["AGENTD_URL": url, "XDG_CONFIG_HOME": config.path, "HOME": config.path].merging(extra) { $1 }
    }

    /// Where `agentctl login` stores tokens in this environment.
    var credentialsFile: String { config.path + "/agentd/credentials.json" }

    /// Runs agentctl in-process against this server.
    func agentctl(_ arguments: [String], environment extra: [String: String] = [:], console: any Console = ScriptedConsole(),
                  output: MemoryOutput = MemoryOutput()) async -> (code: ExitCode, output: MemoryOutput) {
        let code = await AgentCtl.run(arguments, environment: environment(extra), output: output, console: console)
        return (code, output)
    }

    /// Runs agentctl and returns its standard output, trimmed; throws when it fails.
    func succeed(_ arguments: [String], environment extra: [String: String] = [:]) async throws -> String {
        let (code, output) = await agentctl(arguments, environment: extra)
        guard code == .success else { throw HarnessError("agentctl \(arguments.joined(separator: " ")) failed (\(code)): \(output.stderr)") }
        return output.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Registers a user (through the service, not the CLI) and returns their id.
    @discardableResult
    func register(_ name: String) async throws -> Int {
        try await accounts.register(RegistrationRequest(email: "\(name)@example.com", username: name, password: password)).id
    }

    /// Registers a user and logs in as them with `agentctl login`.
    func loggedIn(_ name: String) async throws {
        try await register(name)
        _ = try await succeed(["login", "--username", name], environment: ["AGENTD_PASSWORD": password])
    }

    /// A new API key of user `id`, made through the service.
    func apiKey(of id: Int) async throws -> String {
        try await accounts.createAPIKey(for: Principal(userID: id, isAdmin: false, credential: .token), name: "tests").plaintext
    }

    /// The entries of a version's stored artifact, downloaded through the API as the user with `key`.
    func artifactEntries(_ tarballPath: String, key: String) async throws -> [String] {
        let client = AgentdClient(server: url, credential: Credential(kind: .apiKey, secret: key, source: .apiKeyVariable))
        let response = try await client.send("GET", "/api/v1/uploads/" + tarballPath)
        guard response.status == 200 else { throw HarnessError("artifact download answered \(response.status)") }
        let reader = TarReader(source: GzipStream(source: ByteArraySource(response.body), outputLimit: 1 << 24))
        var names: [String] = []
        while let entry = try reader.next() { names.append(entry.path) }
        return names
    }
}
