import CommandLineSupport
import Foundation

/// `agentd`: parses its configuration, then runs the daemon until SIGTERM or SIGINT.
@main
struct AgentD {
    static func main() async {
        let code = await run(Array(CommandLine.arguments.dropFirst()), environment: ProcessInfo.processInfo.environment)
        exit(code.rawValue)
    }

    /// Parses the command line and the environment and runs the daemon; returns the exit code.
    static func run(_ arguments: [String], environment: [String: String], output: any OutputSink = StandardOutput()) async
        -> ExitCode
    {
        if arguments.first == "users" {
            return await UsersCommand.run(Array(arguments.dropFirst()), environment: environment, output: output)
        }
        var cursor = ArgumentCursor(arguments)
        if cursor.takeHelp() {
            output.out(DaemonConfiguration.helpText)
            return .success
        }
        let configuration: DaemonConfiguration
        do {
            configuration = try DaemonConfiguration(parsing: &cursor, environment: environment)
        } catch let error as UsageError {
            output.err(DaemonConfiguration.help.errorText(error))
            return .usage
        } catch {
            output.err("agentd: \(error)\n")
            return .failure
        }
        let logger = Logger(
            level: configuration.logLevel, format: configuration.logFormat, output: output,
            secrets: (configuration.apiKey.map { [$0] } ?? []) + (configuration.access.secretKey.map { [$0] } ?? []))
        return await Daemon(configuration: configuration, logger: logger, output: output).run()
    }
}
