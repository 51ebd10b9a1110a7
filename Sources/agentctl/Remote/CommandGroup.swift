import CommandLineSupport

/// A name with remote verbs under it (`agentctl sessions …`, `agentctl agents …`): dispatch to the
/// verb, the group's help, and `help VERB`.
///
/// ```swift
/// static let group = CommandGroup(name: "agents", overview: "Manage agents.", specs: [ListCommand.spec])
/// await group.run(&cursor, target: target, output: output)   // after `agents` was taken
/// ```
struct CommandGroup: Sendable {
    let name: String
    let help: Help
    let specs: [CommandSpec]

    init(name: String, overview: String, specs: [CommandSpec]) {
        self.name = name
        self.specs = specs
        help = Help(command: "agentctl \(name)", overview: overview, usage: "agentctl \(name) <subcommand> [options]",
                    options: RemoteOptions.rows, subcommands: specs.map { ($0.name, $0.help.overview) })
    }

    /// The spec named `name`, if any.
    func spec(named name: String) -> CommandSpec? {
        specs.first { $0.name == name }
    }

    /// Runs `agentctl NAME …` with the group's name already taken.
    func run(_ cursor: inout ArgumentCursor, target: RemoteTarget, output: some OutputSink) async -> ExitCode {
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
        return await spec.execute(&cursor, target: target, output: output)
    }

    /// `agentctl NAME help [VERB]` and `agentctl help NAME [VERB]`.
    func helpTopic(_ topic: String?, output: some OutputSink) -> ExitCode {
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
