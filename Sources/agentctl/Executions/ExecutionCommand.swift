import AgentCore
import CommandLineSupport

/// The one-execution verbs: `show`, `logs` and `cancel`.
struct ExecutionCommand: RemoteCommand {
    enum Action: String, Sendable {
        case show, logs, cancel
    }

    let action: Action
    let id: String

    static func spec(_ action: Action) -> CommandSpec {
        CommandSpec(name: action.rawValue, help: help(action), parse: { cursor in
            ExecutionCommand(action: action, id: try PlatformText.id(cursor.positionals("ID")[0]))
        })
    }

    static func help(_ action: Action) -> Help {
        let overview = switch action {
        case .show: "Show an execution: its status, input, output and error."
        case .logs: "Print an execution's log entries."
        case .cancel: "Cancel an execution that is still running (exit 1 if it had ended)."
        }
        return Help(command: "agentctl executions \(action.rawValue)", overview: overview,
                    usage: "agentctl executions \(action.rawValue) ID [--json]",
                    arguments: [("ID", "The execution's id.")], options: RemoteOptions.rows)
    }

    func run(_ remote: Remote) async throws(RemoteError) -> ExitCode {
        let client = remote.client
        switch action {
        case .show:
            let execution = try await client.json("GET", "/api/v1/runtime/executions/" + id)
            remote.show(execution, text: PlatformText.execution(execution))
        case .logs:
            let entries = try await client.json("GET", "/api/v1/logs/executions/\(id)/logs")
            remote.show(entries, text: PlatformText.logs(entries.arrayValue ?? []))
        case .cancel:
            // agentd answers with the execution as it is; one that had already ended stays so.
            let execution = try await client.json("POST", "/api/v1/runtime/executions/\(id)/cancel")
            let status = PlatformText.text(execution["status"], "?")
            if remote.json { remote.printJSON(execution) }
            guard status == "cancelled" else {
                remote.output.err("agentctl: execution \(id) had already ended (\(status))\n")
                return .failure
            }
            if !remote.json { remote.output.out("execution \(id) is cancelled\n") }
        }
        return .success
    }
}
