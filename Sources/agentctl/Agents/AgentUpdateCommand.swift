import AgentCore
import CommandLineSupport

/// `agentctl agents update ID`: renames, redescribes, archives or restores an agent.
struct AgentUpdateCommand: RemoteCommand {
    /// The statuses a client may ask for: archiving, and back from it to what the builds say.
    static let statuses = PlatformAgent.Status.allCases.map(\.rawValue)

    static let spec = CommandSpec(
        name: "update",
        help: Help(
            command: "agentctl agents update", overview: "Change an agent's name, description or status.",
            usage: "agentctl agents update ID [--name N] [--description D] [--status S] [--json]",
            arguments: [("ID", "The agent's id.")],
            options: [
                ("--name N", "A new name."),
                ("--description D", "A new description (empty clears it)."),
                ("--status S", "archived to archive it; from archived, draft, ready or failed restores it."),
            ] + RemoteOptions.rows),
        parse: { cursor in
            var body: [String: JSONValue] = [:]
            if let name = try cursor.takeValue("--name") {
                guard !name.isEmpty else { throw UsageError("The value for '--name' must not be empty") }
                body["name"] = .string(name)
            }
            if let description = try cursor.takeValue("--description") {
                body["description"] = description.isEmpty ? .null : .string(description)
            }
            if let status = try cursor.takeValue("--status") {
                guard statuses.contains(status) else {
                    throw UsageError("The value '\(status)' for '--status' must be one of \(statuses.joined(separator: ", "))")
                }
                body["status"] = .string(status)
            }
            let id = try PlatformText.id(cursor.positionals("ID")[0])
            guard !body.isEmpty else { throw UsageError("Nothing to change: give '--name', '--description' or '--status'") }
            return AgentUpdateCommand(id: id, body: .object(body))
        })

    let id: String
    /// The PATCH body.
    let body: JSONValue

    func run(_ remote: Remote) async throws(RemoteError) -> ExitCode {
        let agent = try await remote.client.json("PATCH", "/api/v1/agents/" + id, body: body)
        remote.show(agent, text: PlatformText.agent(agent))
        return .success
    }
}
