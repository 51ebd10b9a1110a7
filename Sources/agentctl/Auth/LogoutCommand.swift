import AgentCore
import CommandLineSupport

/// `agentctl logout`: forgets the token `agentctl login` stored for the server.
struct LogoutCommand: RemoteCommand {
    static let spec = CommandSpec(
        name: "logout",
        help: Help(command: "agentctl logout", overview: "Forget the stored token for this server.",
                   usage: "agentctl logout [--server URL] [--json]", options: RemoteOptions.rows),
        authenticated: false,
        parse: { cursor in
            _ = try cursor.positionals()
            return LogoutCommand()
        })

    func run(_ remote: Remote) async throws(RemoteError) -> ExitCode {
        let server = remote.client.server
        let removed = try remote.target.credentials.remove(for: server)
        remote.show(["server": .string(server), "logged_out": .bool(removed)],
                    text: removed ? "Logged out of \(server)\n" : "Not logged in to \(server)\n")
        for variable in ["AGENTD_API_KEY", "AGENTD_TOKEN"] where remote.target.environment[variable]?.isEmpty == false {
            remote.output.err("agentctl: note: $\(variable) is set and is still sent\n")
        }
        return .success
    }
}
