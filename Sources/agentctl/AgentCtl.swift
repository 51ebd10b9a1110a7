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
/// `agentctl health` and `agentctl sessions …` drive agentd over its native API.
@main
struct AgentCtl {
    static let help = Help(
        command: "agentctl", overview: "Run and script computer-use agents.",
        usage: "agentctl [--server URL] [--json] <subcommand> [options]",
        options: RemoteOptions.rows,
        subcommands: [
            ("run", "Run one task with an in-process agent and print each step."),
            ("health", HealthCommand.spec.help.overview),
            ("sessions", SessionsCommand.help.overview),
        ])

    static func main() async {
        let code = await run(Array(CommandLine.arguments.dropFirst()), environment: ProcessInfo.processInfo.environment)
        exit(code.rawValue)
    }

    /// Parses and runs a command line; returns the exit code.
    static func run(_ arguments: [String], environment: [String: String], output: some OutputSink = StandardOutput()) async -> ExitCode {
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
            switch topic {
            case nil: output.out(help.text)
            case "run": output.out(RunCommand.help.text)
            case "health": output.out(HealthCommand.spec.help.text)
            case "sessions": return SessionsCommand.helpTopic(cursor.takePositional(), output: output)
            default:
                output.err(help.errorText(UsageError("Unknown subcommand '\(topic!)'")))
                return .usage
            }
            return .success
        case "health", "sessions":
            let server: String
            do {
                server = try Remote.server(option: serverOption, environment: environment)
            } catch let error as UsageError {
                output.err(help.errorText(error))
                return .usage
            } catch {
                return .usage
            }
            if subcommand == "health" { return await HealthCommand.spec.execute(&cursor, server: server, output: output) }
            return await SessionsCommand.run(&cursor, server: server, output: output)
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
