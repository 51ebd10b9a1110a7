import AgentCore
import CommandLineSupport

/// `agentctl health`: whether agentd answers, its version and how many sessions are live.
struct HealthCommand: RemoteCommand {
    static let spec = CommandSpec(
        name: "health",
        help: Help(command: "agentctl health", overview: "Check that agentd answers.",
                   usage: "agentctl health [--server URL] [--json]",
                   options: RemoteOptions.rows),
        parse: { cursor in
            _ = try cursor.positionals()
            return HealthCommand()
        })

    func run(_ remote: Remote) async throws(RemoteError) -> ExitCode {
        let health = try await remote.client.json("GET", "/api/v1/health")
        if remote.json {
            remote.printJSON(health)
        } else {
            let version = health["version"]?.stringValue ?? "?"
            let live = health["live_sessions"]?.intValue ?? 0
            remote.output.out("\(health["status"]?.stringValue ?? "ok"): agentd \(version) at \(remote.client.server), \(live) live session\(live == 1 ? "" : "s")\n")
        }
        return .success
    }
}

/// The options every remote command takes, as help rows.
enum RemoteOptions {
    static let rows: [(String, String)] = [
        ("--server URL", "agentd's address (default: $AGENTD_URL or \(Remote.defaultServer))."),
        ("--json", "Print the API's JSON instead of text."),
    ]
}
