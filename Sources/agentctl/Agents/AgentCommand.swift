import AgentCore
import CommandLineSupport

/// The one-agent verbs: `show` (with its versions), `delete` and `logs`.
struct AgentCommand: RemoteCommand {
    enum Action: String, Sendable {
        case show, delete, logs
    }

    let action: Action
    let id: String

    static func spec(_ action: Action) -> CommandSpec {
        CommandSpec(name: action.rawValue, help: help(action), parse: { cursor in
            AgentCommand(action: action, id: try PlatformText.id(cursor.positionals("ID")[0]))
        })
    }

    static func help(_ action: Action) -> Help {
        let overview = switch action {
        case .show: "Show an agent and its versions."
        case .delete: "Delete an agent with its versions, executions and logs."
        case .logs: "Print an agent's build and run log."
        }
        return Help(command: "agentctl agents \(action.rawValue)", overview: overview,
                    usage: "agentctl agents \(action.rawValue) ID [--json]",
                    arguments: [("ID", "The agent's id.")], options: RemoteOptions.rows)
    }

    func run(_ remote: Remote) async throws(RemoteError) -> ExitCode {
        let path = "/api/v1/agents/" + id
        let client = remote.client
        switch action {
        case .show:
            let agent = try await client.json("GET", path)
            if remote.json {
                remote.printJSON(agent)
                return .success
            }
            let versions = try await client.json("GET", path + "/versions").arrayValue ?? []
            remote.output.out(PlatformText.agent(agent))
            if !versions.isEmpty { remote.output.out("\n" + PlatformText.versions(versions)) }
        case .delete:
            _ = try await client.json("DELETE", path)
            remote.show(["id": .int(Int(id) ?? 0), "deleted": true], text: "deleted agent \(id)\n")
        case .logs:
            let entries = try await client.json("GET", "/api/v1/logs/" + id)
            remote.show(entries, text: PlatformText.logs(entries.arrayValue ?? []))
        }
        return .success
    }
}
