import AgentCore
import CommandLineSupport

/// The one-session verbs: show, delete, stop, pause, resume, approve and deny.
struct ControlCommand: RemoteCommand {
    enum Action: String, Sendable {
        case show, delete, stop, pause, resume, approve, deny
    }

    let action: Action
    let id: String
    /// `--instruction` (resume) or `--message` (deny).
    let text: String?

    static func spec(_ action: Action) -> CommandSpec {
        CommandSpec(name: action.rawValue, help: help(action), parse: { cursor in
            var text: String?
            switch action {
            case .resume: text = try cursor.takeValue("--instruction")
            case .deny: text = try cursor.takeValue("--message")
            default: break
            }
            let id = try cursor.positionals("ID")[0]
            return ControlCommand(action: action, id: id, text: text)
        })
    }

    static func help(_ action: Action) -> Help {
        let (overview, options): (String, [(String, String)]) = switch action {
        case .show: ("Show a session.", [])
        case .delete: ("Delete a session, its history and its environment.", [])
        case .stop: ("Stop a session's run.", [])
        case .pause: ("Pause a session's run before its next action.", [])
        case .resume: ("Resume a paused or ended session.", [("--instruction TEXT", "A message to the agent as it resumes.")])
        case .approve: ("Approve the tool call a session is waiting on.", [])
        case .deny: ("Deny the tool call a session is waiting on.", [("--message TEXT", "Why, for the model.")])
        }
        let optionUsage = options.map { "[\($0.0)] " }.joined()
        return Help(command: "agentctl sessions \(action.rawValue)", overview: overview,
                    usage: "agentctl sessions \(action.rawValue) ID \(optionUsage)[--json]",
                    arguments: [("ID", "The session's id.")], options: options + RemoteOptions.rows)
    }

    func run(_ remote: Remote) async throws(RemoteError) -> ExitCode {
        let path = "/api/v1/sessions/" + AgentdClient.escape(id)
        let client = remote.client
        let session: JSONValue
        var note: String?
        switch action {
        case .show:
            session = try await client.json("GET", path)
            if !remote.json {
                remote.output.out(SessionText.details(session))
                return .success
            }
        case .delete:
            _ = try await client.json("DELETE", path)
            remote.show(["id": .string(id), "deleted": true], text: "deleted \(id)\n")
            return .success
        case .stop, .pause:
            session = try await client.json("POST", "\(path)/\(action.rawValue)")
        case .resume:
            session = try await client.json("POST", "\(path)/resume", body: text.map { ["instruction": .string($0)] } ?? [:])
        case .approve, .deny:
            let approvals = try await client.json("GET", "\(path)/approvals")
            guard let pending = approvals["approvals"]?[0], let approvalID = pending["id"]?.stringValue else {
                throw .failed("session \(id) has no pending approval")
            }
            var body: JSONValue = ["decision": action == .approve ? "approve" : "deny"]
            if let text { body["message"] = .string(text) }
            session = try await client.json("POST", "\(path)/approvals/\(AgentdClient.escape(approvalID))", body: body)
            note = "\(action == .approve ? "approved" : "denied") \(pending["name"]?.stringValue ?? "?") (\(approvalID))"
        }
        remote.show(session, text: "\(note.map { $0 + ": " } ?? "")\(id) is \(session["status"]?.stringValue ?? "?")\n")
        return .success
    }
}
