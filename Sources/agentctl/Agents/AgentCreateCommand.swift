import AgentCore
import CommandLineSupport

/// `agentctl agents create NAME`: a new agent, with no version yet (`agents deploy` uploads one).
struct AgentCreateCommand: RemoteCommand {
    static let spec = CommandSpec(
        name: "create",
        help: Help(
            command: "agentctl agents create", overview: "Create an agent and print its id.",
            usage: "agentctl agents create NAME [--description D] [--json]",
            arguments: [("NAME", "The agent's name.")],
            options: [("--description D", "What the agent does.")] + RemoteOptions.rows),
        parse: { cursor in
            let description = try cursor.takeValue("--description")
            let name = try cursor.positionals("NAME")[0]
            guard !name.isEmpty else { throw UsageError("The NAME argument must not be empty") }
            return AgentCreateCommand(name: name, description: description)
        })

    let name: String
    let description: String?

    func run(_ remote: Remote) async throws(RemoteError) -> ExitCode {
        var body: JSONValue = ["name": .string(name)]
        if let description { body["description"] = .string(description) }
        let agent = try await remote.client.json("POST", "/api/v1/agents", body: body)
        remote.show(agent, text: PlatformText.text(agent["id"]) + "\n")
        return .success
    }
}
