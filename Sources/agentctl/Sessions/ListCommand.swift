import AgentCore
import CommandLineSupport

/// `agentctl sessions list`: sessions as a table (id, status, name, created), newest first.
struct ListCommand: RemoteCommand {
    static let spec = CommandSpec(
        name: "list",
        help: Help(
            command: "agentctl sessions list", overview: "List sessions.",
            usage: "agentctl sessions list [--status S] [--tag T] [--limit N] [--offset N] [--json]",
            options: [
                ("--status S", "Only sessions in these statuses (comma-separated)."),
                ("--tag T", "Only sessions with this tag."),
                ("--limit N", "Most sessions to show (default: 50)."),
                ("--offset N", "Sessions to skip first."),
            ] + RemoteOptions.rows),
        parse: { cursor in try ListCommand(parsing: &cursor) })

    /// The query string, `?…` or empty.
    var query: String

    init(parsing cursor: inout ArgumentCursor) throws {
        var items: [String] = []
        if let status = try cursor.takeValue("--status") { items.append("status=" + AgentdClient.escape(status)) }
        if let tag = try cursor.takeValue("--tag") { items.append("tag=" + AgentdClient.escape(tag)) }
        if let limit = try cursor.takeInt("--limit", in: 1...SessionQuery.maximumLimit) { items.append("limit=\(limit)") }
        if let offset = try cursor.takeInt("--offset", in: 0...Int.max) { items.append("offset=\(offset)") }
        _ = try cursor.positionals()
        query = items.isEmpty ? "" : "?" + items.joined(separator: "&")
    }

    func run(_ remote: Remote) async throws(RemoteError) -> ExitCode {
        let page = try await remote.client.json("GET", "/api/v1/sessions" + query)
        if remote.json {
            remote.printJSON(page)
            return .success
        }
        let rows = (page["sessions"]?.arrayValue ?? []).map { session in
            [session["id"]?.stringValue ?? "", session["status"]?.stringValue ?? "", session["name"]?.stringValue ?? "",
             SessionText.date(session["created_at"]?.doubleValue)]
        }
        remote.output.out(SessionText.table(header: ["ID", "STATUS", "NAME", "CREATED"], rows: rows))
        return .success
    }
}
