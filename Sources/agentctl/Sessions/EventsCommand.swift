import AgentCore
import CommandLineSupport

/// `agentctl sessions events`: a session's event log, one line each (NDJSON with `--json`), and
/// with `--follow` new events as they happen until the session's run ends.
struct EventsCommand: RemoteCommand {
    static let spec = CommandSpec(
        name: "events",
        help: Help(
            command: "agentctl sessions events", overview: "Print a session's events; follow them live.",
            usage: "agentctl sessions events ID [--after SEQ] [--follow] [--json]",
            arguments: [("ID", "The session's id.")],
            options: [
                ("--after SEQ", "Only events after this sequence number."),
                ("--follow", "Keep printing new events until the session's run ends (or Ctrl-C)."),
            ] + RemoteOptions.rows),
        parse: { cursor in
            let after = try cursor.takeInt("--after", in: 0...Int.max) ?? 0
            let follow = cursor.takeFlag("--follow") || cursor.takeFlag("-f")
            return EventsCommand(id: try cursor.positionals("ID")[0], after: after, follow: follow)
        })

    let id: String
    let after: Int
    let follow: Bool

    func run(_ remote: Remote) async throws(RemoteError) -> ExitCode {
        if follow {
            let session = try await remote.client.json("GET", "/api/v1/sessions/" + AgentdClient.escape(id))
            let status = session["status"]?.stringValue.flatMap(SessionStatus.init(rawValue:))
            // A run that already ended adds nothing more: print what is there and stop.
            if status?.isEnded != true {
                let follower = FollowState(client: remote.client, id: id, after: after)
                return try await Interruptible.run({ () async throws(RemoteError) -> ExitCode in
                    try await follower.follow(remote)
                }, onInterrupt: { .success })
            }
        }
        try await printHistory(remote)
        return .success
    }

    /// Pages through the stored events after `after`.
    private func printHistory(_ remote: Remote) async throws(RemoteError) {
        var after = self.after
        while true {
            let page = try await remote.client.json(
                "GET", "/api/v1/sessions/\(AgentdClient.escape(id))/events?after=\(after)&limit=500")
            let events = page["events"]?.arrayValue ?? []
            for event in events { Self.print(event, remote) }
            guard let last = events.last?["seq"]?.intValue, last > after else { return }
            after = last
            if let newest = page["last_seq"]?.intValue, after >= newest { return }
        }
    }

    static func print(_ event: JSONValue, _ remote: Remote) {
        if remote.json {
            remote.printJSON(event)
        } else if let line = EventLine.line(for: event) {
            remote.output.out(line)
        }
    }

    /// The follow loop, in a Sendable box for the interruptible task.
    private struct FollowState: Sendable {
        let client: AgentdClient
        let id: String
        let after: Int

        func follow(_ remote: Remote) async throws(RemoteError) -> ExitCode {
            var follower = EventFollower(client: client, sessionID: id, after: after)
            try await follower.follow { event throws(RemoteError) in
                EventsCommand.print(event, remote)
                let status = event["type"] == "status" ? event["status"]?.stringValue.flatMap(SessionStatus.init(rawValue:)) : nil
                return status?.isEnded == true ? .done : .more
            }
            return .success
        }
    }
}
