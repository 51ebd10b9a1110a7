import AgentCore
import AgentHTTP
import AgentTesting
import Foundation
import Testing
@testable import agentctl

/// `agentctl login`, `logout` and `whoami`, and how every remote command sends its credential,
/// against a real agentd with accounts in-process.
@Suite(.timeLimit(.minutes(1)))
struct AuthCommandTests {
    /// The permission bits of `path`.
    static func mode(_ path: String) throws -> Int {
        try #require(FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int)
    }

    @Test func loginStoresTheTokenInAFileForTheUserAloneAndWhoamiUsesIt() async throws {
        let agentd = try await PlatformHarness()
        defer { Task { await agentd.finish() } }
        let id = try await agentd.register("ada")
        let (code, output) = await agentd.agentctl(["login", "--username", "ada"], environment: ["AGENTD_PASSWORD": agentd.password])
        #expect(code == .success, "\(output.stderr)")
        #expect(output.stdout == "Logged in to \(agentd.url) as ada\n")
        #expect(output.stderr.isEmpty)

        #expect(try Self.mode(agentd.credentialsFile) == 0o600)
        #expect(try Self.mode(agentd.config.path + "/agentd") == 0o700)
        let stored = try #require(try CredentialStore(path: agentd.credentialsFile).login(for: agentd.url))
        #expect(stored.username == "ada")
        #expect(try await agentd.accounts.authenticate(bearer: stored.token).userID == id)
        // No temporary file is left beside it, and the token was never printed.
        #expect(try FileManager.default.contentsOfDirectory(atPath: agentd.config.path + "/agentd") == ["credentials.json"])
        #expect(!output.stdout.contains(stored.token))

        let whoami = await agentd.agentctl(["whoami"])
        #expect(whoami.code == .success, "\(whoami.output.stderr)")
        #expect(whoami.output.stdout == "ada <ada@example.com> (user \(id)) at \(agentd.url), with the login token from the stored login\n")
        let json = await agentd.agentctl(["whoami", "--json"])
        #expect(try JSONValue(parsing: json.output.stdout)["username"] == "ada")
        // The stored token is keyed by the server: the same URL spelt with a trailing slash finds it.
        #expect(await agentd.agentctl(["--server", agentd.url + "/", "whoami"]).code == .success)
    }

    @Test func aWrongPasswordExitsOneWithAClearMessageAndStoresNothing() async throws {
        let agentd = try await PlatformHarness()
        defer { Task { await agentd.finish() } }
        try await agentd.register("ada")
        let (code, output) = await agentd.agentctl(["login", "--username", "ada"], environment: ["AGENTD_PASSWORD": "not the password"])
        #expect(code == .failure)
        #expect(output.stdout.isEmpty)
        #expect(output.stderr == "agentctl: login failed: Incorrect username or password\n")
        #expect(!FileManager.default.fileExists(atPath: agentd.credentialsFile))
        let whoami = await agentd.agentctl(["whoami"])
        #expect(whoami.code == .failure)
        #expect(whoami.output.stderr.hasPrefix("agentctl: not logged in or token expired: run agentctl login ("))
    }

    @Test func thePasswordComesFromStandardInputOrAPromptWithoutEcho() async throws {
        let agentd = try await PlatformHarness()
        defer { Task { await agentd.finish() } }
        try await agentd.register("ada")
        // --password-stdin: the first line of standard input, without its line ending.
        let piped = ScriptedConsole(input: agentd.password + "\r\n")
        let stdin = await agentd.agentctl(["login", "--username", "ada", "--password-stdin"], console: piped)
        #expect(stdin.code == .success, "\(stdin.output.stderr)")
        #expect(piped.asked.isEmpty)
        // Not a terminal and no variable: standard input too.
        let plain = await agentd.agentctl(["login", "--username", "ada"], console: ScriptedConsole(input: agentd.password + "\n"))
        #expect(plain.code == .success, "\(plain.output.stderr)")
        // On a terminal: the user name asked with echo, the password without.
        let terminal = ScriptedConsole(terminal: true, answers: ["ada", agentd.password])
        let asked = await agentd.agentctl(["login"], console: terminal)
        #expect(asked.code == .success, "\(asked.output.stderr)")
        #expect(terminal.asked.map(\.prompt) == ["Username: ", "Password for ada: "])
        #expect(terminal.asked.map(\.secret) == [false, true])
        // No terminal and no --username: a clear failure, before anything is sent.
        let nameless = await agentd.agentctl(["login"], console: ScriptedConsole(input: agentd.password))
        #expect(nameless.code == .failure)
        #expect(nameless.output.stderr == "agentctl: no user name: pass --username or set $AGENTD_USERNAME\n")
    }

    @Test func logoutForgetsOnlyThatServersLogin() async throws {
        let agentd = try await PlatformHarness()
        defer { Task { await agentd.finish() } }
        try await agentd.loggedIn("ada")
        let store = CredentialStore(path: agentd.credentialsFile)
        try store.save(CredentialStore.Login(token: "other-token", username: "bob", savedAt: 0), for: "http://agentd.example:8000")

        let (code, output) = await agentd.agentctl(["logout"])
        #expect(code == .success)
        #expect(output.stdout == "Logged out of \(agentd.url)\n")
        #expect(try store.login(for: agentd.url) == nil)
        #expect(try store.login(for: "HTTP://AGENTD.example:8000/")?.token == "other-token")
        #expect(try Self.mode(agentd.credentialsFile) == 0o600)
        let whoami = await agentd.agentctl(["whoami"])
        #expect(whoami.code == .failure)
        #expect(whoami.output.stderr.hasPrefix("agentctl: not logged in or token expired: run agentctl login"))

        let again = await agentd.agentctl(["logout", "--json"])
        #expect(again.code == .success)
        #expect(try JSONValue(parsing: again.output.stdout) == ["server": .string(agentd.url), "logged_out": false])
        // The last login gone, the file goes too.
        try store.remove(for: "http://agentd.example:8000")
        #expect(!FileManager.default.fileExists(atPath: agentd.credentialsFile))
    }

    @Test func anAPIKeyOrATokenInTheEnvironmentIsSentBeforeTheStoredLogin() async throws {
        let agentd = try await PlatformHarness()
        defer { Task { await agentd.finish() } }
        let ada = try await agentd.register("ada")
        let bob = try await agentd.register("bob")
        try await agentd.loggedIn("carol")
        let key = try await agentd.apiKey(of: ada)

        let byKey = await agentd.agentctl(["whoami"], environment: ["AGENTD_API_KEY": key])
        #expect(byKey.code == .success)
        #expect(byKey.output.stdout.hasPrefix("ada <ada@example.com>"))
        #expect(byKey.output.stdout.hasSuffix(", with the API key from $AGENTD_API_KEY\n"))
        #expect(!byKey.output.stdout.contains(key))
        #expect(await agentd.agentctl(["agents", "list"], environment: ["AGENTD_API_KEY": key]).code == .success)

        let token = try await agentd.accounts.login(username: "bob", password: agentd.password, client: "test")
        let byToken = await agentd.agentctl(["whoami"], environment: ["AGENTD_TOKEN": token])
        #expect(byToken.output.stdout.hasPrefix("bob <bob@example.com> (user \(bob))"))
        // X-API-Key comes first, as seed 003's "Authentication Priority" says.
        let both = await agentd.agentctl(["whoami"], environment: ["AGENTD_TOKEN": token, "AGENTD_API_KEY": key])
        #expect(both.output.stdout.hasPrefix("ada "))
        // Without either, the stored login.
        #expect(try await agentd.succeed(["whoami"]).hasPrefix("carol "))

        let wrong = await agentd.agentctl(["agents", "list"], environment: ["AGENTD_API_KEY": "anymind_not-a-key"])
        #expect(wrong.code == .failure)
        #expect(wrong.output.stderr == "agentctl: not logged in or token expired: run agentctl login (Invalid API key; HTTP 401)\n")
        #expect(!wrong.output.stderr.contains("anymind_not-a-key"))
    }

    @Test func sessionsWorkUnderRequiredAuthenticationWithAStoredToken() async throws {
        let agentd = try await PlatformHarness(mode: .required, script: #"[{"text": "Hello from a guarded session."}]"#)
        defer { Task { await agentd.finish() } }
        try await agentd.register("ada")
        let refused = await agentd.agentctl(["sessions", "list"])
        #expect(refused.code == .failure)
        #expect(refused.output.stderr.hasPrefix("agentctl: not logged in or token expired: run agentctl login ("))
        #expect(await agentd.agentctl(["health"]).code == .success)  // public

        _ = try await agentd.succeed(["login", "--username", "ada"], environment: ["AGENTD_PASSWORD": agentd.password])
        let id = try await agentd.succeed(["sessions", "create", "--name", "guarded"])
        let list = await agentd.agentctl(["sessions", "list"])
        #expect(list.code == .success, "\(list.output.stderr)")
        #expect(list.output.stdout.lines.contains { $0.hasPrefix(id) && $0.contains("guarded") })
        let show = await agentd.agentctl(["sessions", "show", id, "--json"])
        #expect(try JSONValue(parsing: show.output.stdout)["id"]?.stringValue == id)
        // The event stream (SSE) that `send` follows carries the credential too.
        let send = await agentd.agentctl(["sessions", "send", id, "hi"])
        #expect(send.code == .success, "\(send.output.stderr)")
        #expect(send.output.stdout.contains("Hello from a guarded session."))
        #expect(await agentd.agentctl(["sessions", "delete", id]).code == .success)
    }

    @Test func aCorruptCredentialsFileIsAClearFailureAndEnvironmentCredentialsStillWork() async throws {
        let agentd = try await PlatformHarness()
        defer { Task { await agentd.finish() } }
        let ada = try await agentd.register("ada")
        try FileManager.default.createDirectory(atPath: agentd.config.path + "/agentd", withIntermediateDirectories: true)
        try Data("not json".utf8).write(to: URL(fileURLWithPath: agentd.credentialsFile))
        let (code, output) = await agentd.agentctl(["whoami"])
        #expect(code == .failure)
        #expect(output.stderr == "agentctl: \(agentd.credentialsFile) is not an agentctl credentials file; remove it and run agentctl login\n")
        let key = try await agentd.apiKey(of: ada)
        #expect(await agentd.agentctl(["whoami"], environment: ["AGENTD_API_KEY": key]).code == .success)
    }

    @Test func theCredentialsFileFollowsXDGConfigHomeElseHome() {
        #expect(CredentialStore(environment: ["XDG_CONFIG_HOME": "/x/config", "HOME": "/home/ada"]).path == "/x/config/agentd/credentials.json")
        #expect(CredentialStore(environment: ["HOME": "/home/ada"]).path == "/home/ada/.config/agentd/credentials.json")
        // A relative $XDG_CONFIG_HOME is invalid (XDG Base Directory Specification) and ignored.
        #expect(CredentialStore(environment: ["XDG_CONFIG_HOME": "config", "HOME": "/home/ada"]).path
            == "/home/ada/.config/agentd/credentials.json")
        #expect(CredentialStore.key(for: "HTTP://Agentd.Example:8000/") == "http://agentd.example:8000")
        #expect(CredentialStore.key(for: "https://Host/Prefix/") == "https://host/Prefix")
        // A credential's description never holds the secret.
        let credential = Credential(kind: .apiKey, secret: "anymind_secret", source: .apiKeyVariable)
        #expect("\(credential)" == "API key from $AGENTD_API_KEY")
    }
}
