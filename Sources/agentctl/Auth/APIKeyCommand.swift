import AgentCore
import CommandLineSupport

/// The API-key verbs: `create NAME` (the only time the key itself is shown), `list`, `revoke ID`.
struct APIKeyCommand: RemoteCommand {
    enum Action: String, Sendable {
        case create, list, revoke
    }

    let action: Action
    /// The name (create) or the id (revoke).
    let argument: String?

    static func spec(_ action: Action) -> CommandSpec {
        CommandSpec(name: action.rawValue, help: help(action), parse: { cursor in
            switch action {
            case .create:
                let name = try cursor.positionals("NAME")[0]
                guard !name.isEmpty else { throw UsageError("The NAME argument must not be empty") }
                return APIKeyCommand(action: action, argument: name)
            case .list:
                _ = try cursor.positionals()
                return APIKeyCommand(action: action, argument: nil)
            case .revoke:
                return APIKeyCommand(action: action, argument: try PlatformText.id(cursor.positionals("ID")[0]))
            }
        })
    }

    static func help(_ action: Action) -> Help {
        let command = "agentctl api-keys \(action.rawValue)"
        return switch action {
        case .create:
            Help(command: command, overview: "Create an API key and print it (shown this once only).",
                 usage: "\(command) NAME [--json]", arguments: [("NAME", "What the key is for, e.g. \"CI\".")],
                 options: RemoteOptions.rows)
        case .list:
            Help(command: command, overview: "List your API keys (their prefixes, never the keys).",
                 usage: "\(command) [--json]", options: RemoteOptions.rows)
        case .revoke:
            Help(command: command, overview: "Revoke an API key; it stops working at once.",
                 usage: "\(command) ID [--json]", arguments: [("ID", "The key's id (see agentctl api-keys list).")],
                 options: RemoteOptions.rows)
        }
    }

    func run(_ remote: Remote) async throws(RemoteError) -> ExitCode {
        let client = remote.client
        switch action {
        case .create:
            let key = try await client.json("POST", "/api/v1/api-keys", body: ["name": .string(argument ?? "")])
            if remote.json {
                remote.printJSON(key)
            } else {
                remote.output.out((key["key"]?.stringValue ?? "") + "\n")
                remote.output.err("agentctl: created API key \(key["id"]?.intValue ?? 0) (\(key["key_prefix"]?.stringValue ?? "")…); "
                                  + "it is not shown again: store it now (send it as $AGENTD_API_KEY)\n")
            }
        case .list:
            let keys = try await client.json("GET", "/api/v1/api-keys")
            if remote.json {
                remote.printJSON(keys)
                return .success
            }
            let rows = (keys.arrayValue ?? []).map { key in
                [String(key["id"]?.intValue ?? 0), key["name"]?.stringValue ?? "", (key["key_prefix"]?.stringValue ?? "") + "…",
                 key["is_active"] == true ? "active" : "revoked", key["last_used_at"]?.stringValue ?? "never",
                 key["created_at"]?.stringValue ?? ""]
            }
            remote.output.out(SessionText.table(header: ["ID", "NAME", "PREFIX", "STATUS", "LAST USED", "CREATED"], rows: rows))
        case .revoke:
            let id = argument ?? ""
            _ = try await client.json("DELETE", "/api/v1/api-keys/" + id)
            remote.show(["id": .int(Int(id) ?? 0), "revoked": true], text: "revoked API key \(id)\n")
        }
        return .success
    }
}
