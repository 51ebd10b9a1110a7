import CommandLineSupport
import Foundation

/// Exit codes (sysexits): 0 ok, 1 failure, 64 bad invocation, 69 agentd unreachable.
enum ExitCode: Int32 {
    case success = 0
    case failure = 1
    case usage = 64
    case unavailable = 69
}

/// `agentctl`: the scripting client. `agentctl run` runs an agent in-process, no daemon needed;
/// the other commands drive agentd over its API: `health`, `login`/`logout`/`whoami`,
/// `sessions …`, and the agent platform's `agents …`, `executions …` and `api-keys …`.
@main
struct AgentCtl {
    /// The remote commands that are one verb.
    static let commands: [CommandSpec] = [HealthCommand.spec, LoginCommand.spec, LogoutCommand.spec, WhoamiCommand.spec]
    /// The remote commands with verbs under them.
    static let groups: [CommandGroup] = [SessionsCommand.group, AgentsCommand.group, ExecutionsCommand.group, APIKeysCommand.group]

    static let help = Help(
        command: "agentctl", overview: "Run and script computer-use agents.",
        usage: "agentctl [--server URL] [--json] <subcommand> [options]",
        options: RemoteOptions.rows,
        subcommands: [("run", "Run one task with an in-process agent and print each step.")]
            + commands.map { ($0.name, $0.help.overview) } + groups.map { ($0.name, $0.help.overview) })

    static func main() async {
        let code = await run(Array(CommandLine.arguments.dropFirst()), environment: ProcessInfo.processInfo.environment)
        exit(code.rawValue)
    }

    /// Parses and runs a command line; returns the exit code.
    /// - Parameter console: where `login` asks for a password (the terminal, or standard input).
    static func run(_ arguments: [String], environment: [String: String], output: some OutputSink = StandardOutput(),
                    console: any Console = TerminalConsole()) async -> ExitCode {
        var cursor = ArgumentCursor(arguments)
        // Taken first: its value would otherwise read as the subcommand.
        let serverOption: String?
        do {
            serverOption = try cursor.takeValue("--server")
        } catch let error as UsageError {
            output.err(help.errorText(error))
            return .usage
        } catch {
            return .usage
        }
        let subcommand = cursor.takePositional()
        let command = commands.first { $0.name == subcommand }
        let group = groups.first { $0.name == subcommand }
        switch subcommand {
        case nil:
            if cursor.takeHelp() {
                output.out(help.text)
                return .success
            }
            output.err(help.errorText(UsageError("Missing subcommand")))
            return .usage
        case "help":
            let topic = cursor.takePositional()
            if topic == nil {
                output.out(help.text)
            } else if topic == "run" {
                output.out(RunCommand.help.text)
            } else if let command = commands.first(where: { $0.name == topic }) {
                output.out(command.help.text)
            } else if let group = groups.first(where: { $0.name == topic }) {
                return group.helpTopic(cursor.takePositional(), output: output)
            } else {
                output.err(help.errorText(UsageError("Unknown subcommand '\(topic!)'")))
                return .usage
            }
            return .success
        case _ where command != nil || group != nil:
            let target: RemoteTarget
            do {
                target = RemoteTarget(server: try Remote.server(option: serverOption, environment: environment),
                                      environment: environment, console: console)
            } catch let error as UsageError {
                output.err(help.errorText(error))
                return .usage
            } catch {
                return .usage
            }
            if let command { return await command.execute(&cursor, target: target, output: output) }
            return await group!.run(&cursor, target: target, output: output)
        case "run":
            if serverOption != nil {
                output.err(RunCommand.help.errorText(UsageError("'--server' is for remote commands; 'run' needs no agentd")))
                return .usage
            }
            if cursor.takeHelp() {
                output.out(RunCommand.help.text)
                return .success
            }
            let command: RunCommand
            do {
                command = try RunCommand(parsing: &cursor, environment: environment)
            } catch let error as UsageError {
                output.err(RunCommand.help.errorText(error))
                return .usage
            } catch {
                output.err("Error: \(error)\n")
                return .usage
            }
            return await command.run(output: output)
        default:
            output.err(help.errorText(UsageError("Unknown subcommand '\(subcommand!)'")))
            return .usage
        }
    }
}
