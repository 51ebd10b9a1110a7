import AgentCore
import CommandLineSupport

/// `agentctl whoami`: the user the credential belongs to (seed 003 `GET /api/v1/auth/me`).
struct WhoamiCommand: RemoteCommand {
    static let spec = CommandSpec(
        name: "whoami",
        help: Help(command: "agentctl whoami", overview: "Show the user agentctl acts as.",
                   usage: "agentctl whoami [--server URL] [--json]", options: RemoteOptions.rows),
        parse: { cursor in
            _ = try cursor.positionals()
            return WhoamiCommand()
        })

    func run(_ remote: Remote) async throws(RemoteError) -> ExitCode {
        let user = try await remote.client.json("GET", "/api/v1/auth/me")
        if remote.json {
            remote.printJSON(user)
            return .success
        }
        let name = user["username"]?.stringValue ?? "?"
        let email = user["email"]?.stringValue.map { " <\($0)>" } ?? ""
        let via = remote.client.credential.map { ", with the \($0)" } ?? ""
        remote.output.out("\(name)\(email) (user \(user["id"]?.intValue ?? 0)) at \(remote.client.server)\(via)\n")
        return .success
    }
}
