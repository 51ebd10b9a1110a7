import AgentCore
import AgentStore
import CommandLineSupport
import Foundation

/// `agentd users add [--admin] [--email EMAIL] NAME` and `agentd users list`: accounts made on the
/// daemon's host, working on its data directory — the only way to make an admin (never the API).
///
/// The password comes from `AGENTD_PASSWORD` or the first line of standard input, never from argv
/// (which other users can read in `ps`). `add --admin` on an existing user makes them an admin (a
/// running agentd sees the change for tokens issued after its next restart or cache refresh).
enum UsersCommand {
    static let usage = "usage: agentd users add [--admin] [--email EMAIL] NAME | agentd users list   (with --data-dir DIR as for agentd)\n"

    /// - Parameter arguments: what follows `agentd users`; for `add`, NAME is the last argument.
    static func run(_ arguments: [String], environment: [String: String], output: any OutputSink) async -> ExitCode {
        guard let action = arguments.first, ["add", "list"].contains(action) else {
            output.err(usage)
            return .usage
        }
        var rest = Array(arguments.dropFirst())
        var name: String?
        if action == "add", let last = rest.last, !last.hasPrefix("-") {
            name = last
            rest.removeLast()
        }
        var cursor = ArgumentCursor(rest)
        let admin: Bool
        let email: String?
        do {
            admin = cursor.takeFlag("--admin")
            email = try cursor.takeValue("--email")
        } catch {
            output.err("agentd users: \(error)\n" + usage)
            return .usage
        }
        if action == "add", name == nil {
            output.err("agentd users add: a user NAME is required\n" + usage)
            return .usage
        }
        let configuration: DaemonConfiguration
        do {
            configuration = try DaemonConfiguration(parsing: &cursor, environment: environment)
            try DataDirectory.prepare(configuration.dataDirectory)
        } catch {
            output.err("agentd users: \(error)\n")
            return error is UsageError ? .usage : .failure
        }
        let store: SQLiteSessionStore
        do {
            store = try SQLiteSessionStore(path: configuration.databasePath)
        } catch {
            output.err("agentd users: cannot open the database \(configuration.databasePath): \(error)\n")
            return .failure
        }
        defer { store.close() }
        let accounts: AccountService
        do {
            let secret = try SecretKeyFile.load(given: configuration.access.secretKey, dataDirectory: configuration.dataDirectory)
            accounts = AccountService(store: store.accounts, configuration: AccountConfiguration(secret: secret))
        } catch {
            output.err("agentd users: \(error)\n")
            return .failure
        }
        do {
            if action == "list" {
                for user in try await accounts.users() {
                    output.out("\(user.id)\t\(user.username)\t\(user.email)\(user.isAdmin ? "\tadmin" : "")\(user.isActive ? "" : "\tinactive")\n")
                }
                return .success
            }
            guard let name else { return .usage }
            if try await store.accounts.user(username: name) != nil {
                guard admin else {
                    output.err("agentd users add: \(name) already exists\n")
                    return .failure
                }
                _ = try await accounts.setAdmin(username: name, isAdmin: true)
                output.out("\(name) is now an admin\n")
                return .success
            }
            let password = environment["AGENTD_PASSWORD"] ?? readLine(strippingNewline: true) ?? ""
            let user = try await accounts.addUser(
                RegistrationRequest(email: email ?? "\(name)@localhost.localdomain", username: name, password: password), isAdmin: admin)
            output.out("added \(user.username) (id \(user.id))\(user.isAdmin ? " as an admin" : "")\n")
            return .success
        } catch let error as AccountError {
            output.err("agentd users: \(error.detail)\n")
            return .failure
        } catch {
            output.err("agentd users: \(error)\n")
            return .failure
        }
    }
}
