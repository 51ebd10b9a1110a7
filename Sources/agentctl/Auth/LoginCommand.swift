import AgentCore
import CommandLineSupport
import Foundation

/// `agentctl login`: logs in with a user name and password (seed 003 `POST /api/v1/auth/login`)
/// and stores the token for the server, so later commands send it.
///
/// The password comes from standard input with `--password-stdin`, else `$AGENTD_PASSWORD`, else
/// a prompt without echo on a terminal, else standard input. It is never printed, nor is the token.
struct LoginCommand: RemoteCommand {
    static let spec = CommandSpec(
        name: "login",
        help: Help(
            command: "agentctl login", overview: "Log in and store the token for this server.",
            usage: "agentctl login [--username U] [--password-stdin] [--server URL] [--json]",
            options: [
                ("--username U", "Your user name (default: $AGENTD_USERNAME, or asked on a terminal)."),
                ("--password-stdin", "Read the password from standard input (default: $AGENTD_PASSWORD, or asked on a terminal without echo)."),
            ] + RemoteOptions.rows),
        authenticated: false,
        parse: { cursor in
            let username = try cursor.takeValue("--username")
            let fromStandardInput = cursor.takeFlag("--password-stdin")
            _ = try cursor.positionals()
            if username?.isEmpty == true { throw UsageError("The value for '--username' must not be empty") }
            return LoginCommand(username: username, passwordFromStandardInput: fromStandardInput)
        })

    let username: String?
    let passwordFromStandardInput: Bool

    func run(_ remote: Remote) async throws(RemoteError) -> ExitCode {
        let environment = remote.target.environment
        let console = remote.console
        guard let username = username ?? environment["AGENTD_USERNAME"].flatMap({ $0.isEmpty ? nil : $0 })
                ?? (console.inputIsTerminal ? console.ask("Username: ", secret: false) : nil), !username.isEmpty else {
            throw .failed("no user name: pass --username or set $AGENTD_USERNAME")
        }
        let password: String
        if passwordFromStandardInput {
            password = Self.firstLine(console.readInput())
        } else if let variable = environment["AGENTD_PASSWORD"], !variable.isEmpty {
            password = variable
        } else if console.inputIsTerminal {
            password = console.ask("Password for \(username): ", secret: true) ?? ""
        } else {
            password = Self.firstLine(console.readInput())
        }
        guard !password.isEmpty else { throw .failed("no password given") }

        let response = try await remote.client.send("POST", "/api/v1/auth/login",
                                                    body: ["username": .string(username), "password": .string(password)])
        if response.status == 401 { throw .failed("login failed: \(AgentdClient.detail(of: response))") }
        try AgentdClient.check(response)
        guard let token = (try? JSONValue(parsing: response.body))?["access_token"]?.stringValue, !token.isEmpty else {
            throw .failed("agentd's login answer has no access_token")
        }
        let store = remote.target.credentials
        try store.save(CredentialStore.Login(token: token, username: username, savedAt: Date().timeIntervalSince1970),
                       for: remote.client.server)
        if remote.json {
            remote.printJSON(["server": .string(remote.client.server), "username": .string(username),
                              "credentials_file": .string(store.path)])
        } else {
            remote.output.out("Logged in to \(remote.client.server) as \(username)\n")
        }
        return .success
    }

    /// The first line of piped text, without its line ending (`echo secret | agentctl login …`).
    static func firstLine(_ text: String) -> String {
        // "\r\n" is one Character, and a newline.
        String(text.split(maxSplits: 1, omittingEmptySubsequences: false, whereSeparator: \.isNewline).first ?? "")
    }
}
