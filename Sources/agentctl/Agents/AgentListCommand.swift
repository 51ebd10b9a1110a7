import AgentCore
import CommandLineSupport

/// `agentctl agents list`: the caller's agents as a table, oldest first, a page at a time.
struct AgentListCommand: RemoteCommand {
    static let spec = CommandSpec(
        name: "list",
        help: Help(
            command: "agentctl agents list", overview: "List your agents.",
            usage: "agentctl agents list [--skip N] [--limit N] [--json]",
            options: [
                ("--skip N", "Agents to skip first."),
                ("--limit N", "Most agents to show (default: 100)."),
            ] + RemoteOptions.rows),
        parse: { cursor in
            let query = try PageQuery(parsing: &cursor)
            _ = try cursor.positionals()
            return AgentListCommand(query: query)
        })

    let query: PageQuery

    func run(_ remote: Remote) async throws(RemoteError) -> ExitCode {
        let agents = try await remote.client.json("GET", "/api/v1/agents" + query.string)
        remote.show(agents, text: PlatformText.agents(agents.arrayValue ?? []))
        return .success
    }
}

/// seed 003's paging, `?skip=N&limit=N`, with any extra items first.
struct PageQuery: Sendable {
    /// The largest page the platform serves.
    static let maximumLimit = 1000

    var items: [String] = []

    /// Takes `--skip` and `--limit`.
    init(parsing cursor: inout ArgumentCursor) throws {
        if let skip = try cursor.takeInt("--skip", in: 0...Int.max) { items.append("skip=\(skip)") }
        if let limit = try cursor.takeInt("--limit", in: 1...Self.maximumLimit) { items.append("limit=\(limit)") }
    }

    /// `?…`, or empty without items.
    var string: String { items.isEmpty ? "" : "?" + items.joined(separator: "&") }
}
