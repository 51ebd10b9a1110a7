import AgentCore
import CommandLineSupport

/// `agentctl sessions send ID TEXT`: sends a message, then prints the turn as it happens and exits
/// when the run ends: 0 when it completed, 1 otherwise. `--no-wait` returns once agentd took it.
struct SendCommand: RemoteCommand {
    static let spec = CommandSpec(
        name: "send",
        help: Help(
            command: "agentctl sessions send", overview: "Send a message and print the turn as it happens.",
            usage: "agentctl sessions send ID TEXT [--no-wait] [--json]",
            arguments: [("ID", "The session's id."), ("TEXT", "The message.")],
            options: [("--no-wait", "Return once agentd accepted the message.")] + RemoteOptions.rows),
        parse: { cursor in
            let noWait = cursor.takeFlag("--no-wait")
            let arguments = try cursor.positionals("ID", "TEXT")
            guard !arguments[1].isEmpty else { throw UsageError("The TEXT argument must not be empty") }
            return SendCommand(id: arguments[0], text: arguments[1], wait: !noWait)
        })

    let id: String
    let text: String
    let wait: Bool

    private var path: String { "/api/v1/sessions/" + AgentdClient.escape(id) }

    func run(_ remote: Remote) async throws(RemoteError) -> ExitCode {
        guard wait else {
            let answer = try await post(remote)
            remote.show(answer, text: Self.acceptance(answer) + "\n")
            return .success
        }
        // Follow from the last stored event before posting, so nothing of the turn is missed.
        let session = try await remote.client.json("GET", path)
        let after = session["last_seq"]?.intValue ?? 0
        let id = self.id
        return try await Interruptible.run({ () async throws(RemoteError) -> ExitCode in
            try await streamTurn(remote, after: after)
        }, onInterrupt: {
            remote.output.err("agentctl: stopped following; the session goes on (agentctl sessions stop \(id) stops it)\n")
            return .failure
        })
    }

    /// Posts the message and returns agentd's answer (`status`: `started` or `queued`).
    private func post(_ remote: Remote) async throws(RemoteError) -> JSONValue {
        try await remote.client.json("POST", "\(path)/messages", body: ["content": .string(text)])
    }

    /// Opens the event stream, posts once it is open, and prints until the run ends.
    private func streamTurn(_ remote: Remote, after: Int) async throws(RemoteError) -> ExitCode {
        var follower = EventFollower(client: remote.client, sessionID: id, after: after)
        let printer = LivePrinter(output: remote.output, sessionID: id)
        // A queued message runs after the current run; until its user turn shows, ends are not ours.
        var waitingForTurn = false
        var code = ExitCode.failure
        try await follower.follow(onConnected: { first throws(RemoteError) in
            guard first else { return }
            let answer = try await post(remote)
            if answer["status"] == "queued" {
                waitingForTurn = true
                remote.output.err("agentctl: \(Self.acceptance(answer)); waiting for the current run to end\n")
            }
        }, handle: { event throws(RemoteError) in
            if remote.json { remote.printJSON(event) } else { printer.print(event) }
            let type = event["type"]?.stringValue
            if waitingForTurn {
                if type == "user_message", MessageText.text(of: event["message"]).contains(text) { waitingForTurn = false }
                if type == "status", let status = event["status"]?.stringValue, status != "completed",
                   SessionStatus(rawValue: status)?.isEnded == true {
                    printer.endLine()
                    remote.output.err("agentctl: the run before the message ended (\(status)); the message stays queued\n")
                    return .done
                }
                return .more
            }
            guard type == "status", let status = event["status"]?.stringValue.flatMap(SessionStatus.init(rawValue:)),
                  status.isEnded else { return .more }
            printer.endLine()
            code = status == .completed ? .success : .failure
            if status != .completed, remote.json {  // without --json the `finished` line already said why
                remote.output.err("agentctl: session \(id) is \(status.rawValue)\(event["reason"]?.stringValue.map { ": \($0)" } ?? "")\n")
            }
            return .done
        })
        return code
    }

    /// `started`, or `queued (position N)`.
    static func acceptance(_ answer: JSONValue) -> String {
        guard answer["status"] == "queued" else { return answer["status"]?.stringValue ?? "started" }
        return "queued (position \(answer["position"]?.intValue ?? 0))"
    }
}
