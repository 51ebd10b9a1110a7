import AgentCore
import CommandLineSupport

/// `agentctl executions list`: the caller's executions as a table, newest first, optionally of one version.
struct ExecutionListCommand: RemoteCommand {
    static let spec = CommandSpec(
        name: "list",
        help: Help(
            command: "agentctl executions list", overview: "List your agents' executions.",
            usage: "agentctl executions list [--agent-version ID] [--skip N] [--limit N] [--json]",
            options: [
                ("--agent-version ID", "Only executions of this version (see agentctl agents show)."),
                ("--skip N", "Executions to skip first."),
                ("--limit N", "Most executions to show (default: 100)."),
            ] + RemoteOptions.rows),
        parse: { cursor in
            let version = try cursor.takeValue("--agent-version").map { try PlatformText.id($0, argument: "version id") }
            var query = try PageQuery(parsing: &cursor)
            if let version { query.items.insert("agent_version_id=\(version)", at: 0) }
            _ = try cursor.positionals()
            return ExecutionListCommand(query: query)
        })

    let query: PageQuery

    func run(_ remote: Remote) async throws(RemoteError) -> ExitCode {
        let executions = try await remote.client.json("GET", "/api/v1/runtime/executions" + query.string)
        remote.show(executions, text: PlatformText.executions(executions.arrayValue ?? []))
        return .success
    }
}
