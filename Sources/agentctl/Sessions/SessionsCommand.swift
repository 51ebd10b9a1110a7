import AgentCore
import CommandLineSupport

/// `agentctl sessions <verb>`: create, inspect, drive and follow sessions on agentd.
enum SessionsCommand {
    static let specs: [CommandSpec] = [
        CreateCommand.spec, ListCommand.spec, ControlCommand.spec(.show), SendCommand.spec, EventsCommand.spec,
        ControlCommand.spec(.approve), ControlCommand.spec(.deny), ControlCommand.spec(.stop), ControlCommand.spec(.pause),
        ControlCommand.spec(.resume), ScreenshotCommand.spec, ControlCommand.spec(.delete),
    ]

    static let help = Help(
        command: "agentctl sessions", overview: "Create, drive and follow sessions on agentd.",
        usage: "agentctl sessions <subcommand> [options]",
        options: RemoteOptions.rows,
        subcommands: specs.map { ($0.name, $0.help.overview) })

    /// The spec named `name`, if any.
    static func spec(named name: String) -> CommandSpec? {
        specs.first { $0.name == name }
    }

    /// Runs `agentctl sessions …` with the group name already taken.
    static func run(_ cursor: inout ArgumentCursor, server: String, output: some OutputSink) async -> ExitCode {
        guard let verb = cursor.takePositional() else {
            if cursor.takeHelp() {
                output.out(help.text)
                return .success
            }
            output.err(help.errorText(UsageError("Missing subcommand")))
            return .usage
        }
        if verb == "help" {
            return helpTopic(cursor.takePositional(), output: output)
        }
        guard let spec = spec(named: verb) else {
            output.err(help.errorText(UsageError("Unknown subcommand '\(verb)'")))
            return .usage
        }
        return await spec.execute(&cursor, server: server, output: output)
    }

    /// `agentctl sessions help [VERB]` and `agentctl help sessions [VERB]`.
    static func helpTopic(_ topic: String?, output: some OutputSink) -> ExitCode {
        guard let topic else {
            output.out(help.text)
            return .success
        }
        guard let spec = spec(named: topic) else {
            output.err(help.errorText(UsageError("Unknown subcommand '\(topic)'")))
            return .usage
        }
        output.out(spec.help.text)
        return .success
    }
}
