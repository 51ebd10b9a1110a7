import AgentCore
import CommandLineSupport

/// A command that talks to agentd.
protocol RemoteCommand: Sendable {
    /// Runs the command; the caller prints a `RemoteError` and exits with its code.
    func run(_ remote: Remote) async throws(RemoteError) -> ExitCode
}

/// A remote command's name, help and parser, for dispatch and `help`.
struct CommandSpec: Sendable {
    let name: String
    let help: Help
    /// Whether the command sends the caller's credential (all but `login` and `logout` do).
    let authenticated: Bool
    let parse: @Sendable (inout ArgumentCursor) throws -> any RemoteCommand

    init(name: String, help: Help, authenticated: Bool = true, parse: @escaping @Sendable (inout ArgumentCursor) throws -> any RemoteCommand) {
        self.name = name
        self.help = help
        self.authenticated = authenticated
        self.parse = parse
    }

    /// Parses the rest of the command line and runs the command: help with `-h`, exit 64 on a
    /// usage error, the command's code otherwise.
    func execute(_ cursor: inout ArgumentCursor, target: RemoteTarget, output: some OutputSink) async -> ExitCode {
        if cursor.takeHelp() {
            output.out(help.text)
            return .success
        }
        let json = cursor.takeFlag("--json")
        let command: any RemoteCommand
        do {
            command = try parse(&cursor)
        } catch let error as UsageError {
            output.err(help.errorText(error))
            return .usage
        } catch {
            output.err(help.errorText(UsageError("\(error)")))
            return .usage
        }
        do {
            let remote = Remote(client: try target.client(authenticated: authenticated), json: json, output: output, target: target)
            return try await command.run(remote)
        } catch {
            output.err(error.message)
            return error.exitCode
        }
    }
}

extension ArgumentCursor {
    /// The command's positional arguments, exactly `names.count` of them.
    /// - Throws: `UsageError` naming the first missing one, or the first extra one.
    mutating func positionals(_ names: String...) throws -> [String] {
        let given = try remainingPositionals()
        if given.count < names.count { throw UsageError("Missing the \(names[given.count]) argument") }
        if given.count > names.count { throw UsageError("Unexpected argument '\(given[names.count])'") }
        return given
    }
}
