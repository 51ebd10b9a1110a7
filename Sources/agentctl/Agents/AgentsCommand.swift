import CommandLineSupport

/// `agentctl agents <verb>`: agents on agentd's platform (seed 003 "Agent Management"), their
/// deployment from a directory, and running them.
enum AgentsCommand {
    static let group = CommandGroup(
        name: "agents", overview: "Create, deploy and run agents on agentd's platform.",
        specs: [
            AgentCreateCommand.spec, AgentListCommand.spec, AgentCommand.spec(.show), AgentUpdateCommand.spec,
            DeployCommand.spec, ExecuteCommand.spec, AgentCommand.spec(.logs), AgentCommand.spec(.delete),
        ])
}
