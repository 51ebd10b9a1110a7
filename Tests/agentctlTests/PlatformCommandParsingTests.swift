import CommandLineSupport
import Testing
@testable import agentctl

/// Help and usage errors of `login`, `logout`, `whoami`, `agents`, `executions` and `api-keys`,
/// which need no server.
@Suite(.timeLimit(.minutes(1)))
struct PlatformCommandParsingTests {
    static let groups = [AgentsCommand.group, ExecutionsCommand.group, APIKeysCommand.group]

    @Test func eachGroupListsItsVerbsAndEachVerbHasHelpInEverySpelling() async {
        for group in Self.groups {
            let text = await runInProcess(["help", group.name]).output.stdout
            #expect(text == group.help.text)
            #expect(text.hasPrefix("OVERVIEW: \(group.help.overview)\n\nUSAGE: agentctl \(group.name) <subcommand> [options]\n"))
            for spec in group.specs {
                #expect(text.contains("\n  \(spec.name)"), "\(group.name) help lacks \(spec.name)")
                for spelling in [["help", group.name, spec.name], [group.name, "help", spec.name], [group.name, spec.name, "--help"],
                                 [group.name, spec.name, "-h"]] {
                    let (code, output) = await runInProcess(spelling)
                    #expect(code == .success)
                    #expect(output.stdout == spec.help.text, "\(spelling)")
                }
                #expect(spec.help.usage.hasPrefix("agentctl \(group.name) \(spec.name)"))
            }
        }
        for spec in AgentCtl.commands {
            #expect(await runInProcess(["help", spec.name]).output.stdout == spec.help.text)
            #expect(await runInProcess([spec.name, "--help"]).output.stdout == spec.help.text)
        }
    }

    @Test func deployHelpDocumentsItsOptions() async {
        let text = await runInProcess(["help", "agents", "deploy"]).output.stdout
        #expect(text.lines.first == "OVERVIEW: Upload a directory as a new version and follow its build.")
        #expect(text.lines.contains("USAGE: agentctl agents deploy DIR [--agent ID | --name NAME] [--timeout S] [--json]"))
        for option in ["--agent ID", "--name NAME", "--timeout S", "--server URL", "--json", "-h, --help"] {
            #expect(text.lines.contains { $0.hasPrefix("  " + option + " ") }, "deploy help lacks \(option)")
        }
    }

    @Test(arguments: [
        (["agents"], "Missing subcommand", "agentctl agents"),
        (["executions", "bogus"], "Unknown subcommand 'bogus'", "agentctl executions"),
        (["agents", "show"], "Missing the ID argument", "agentctl agents show"),
        (["agents", "show", "abc"], "The ID 'abc' must be a positive whole number", "agentctl agents show"),
        (["agents", "create"], "Missing the NAME argument", "agentctl agents create"),
        (["agents", "update", "3"], "Nothing to change: give '--name', '--description' or '--status'", "agentctl agents update"),
        (["agents", "update", "3", "--status", "active"],
         "The value 'active' for '--status' must be one of draft, building, ready, failed, archived", "agentctl agents update"),
        (["agents", "list", "--limit", "0"], "The value '0' for '--limit' must be a whole number from 1 to 1000", "agentctl agents list"),
        (["agents", "deploy"], "Missing the DIR argument", "agentctl agents deploy"),
        (["agents", "deploy", "dir", "--agent", "1", "--name", "x"], "Give '--agent' or '--name', not both", "agentctl agents deploy"),
        (["agents", "deploy", "dir", "--agent", "me"], "The agent id 'me' must be a positive whole number", "agentctl agents deploy"),
        (["agents", "execute", "3", "--payload", "[1]"], #"The payload must be a JSON object, such as {"input": "hi"}"#,
         "agentctl agents execute"),
        (["agents", "execute", "3", "--payload", "{oops"], "The payload is not valid JSON", "agentctl agents execute"),
        (["agents", "execute", "3", "--payload", "@/nonexistent/p.json"], "Cannot read the payload file '/nonexistent/p.json'",
         "agentctl agents execute"),
        (["executions", "list", "--agent-version", "x"], "The version id 'x' must be a positive whole number", "agentctl executions list"),
        (["executions", "cancel"], "Missing the ID argument", "agentctl executions cancel"),
        (["api-keys", "create"], "Missing the NAME argument", "agentctl api-keys create"),
        (["api-keys", "revoke", "1", "2"], "Unexpected argument '2'", "agentctl api-keys revoke"),
        (["login", "extra"], "Unexpected argument 'extra'", "agentctl login"),
        (["login", "--username", ""], "The value for '--username' must not be empty", "agentctl login"),
        (["logout", "--bogus"], "Unknown option '--bogus'", "agentctl logout"),
    ])
    func usageErrorsExitSixtyFour(arguments: [String], message: String, command: String) async {
        let (code, output) = await runInProcess(arguments, environment: ["AGENTD_URL": "http://127.0.0.1:1"])
        #expect(code == .usage)
        #expect(output.stdout.isEmpty)
        #expect(output.stderr.lines == ["Error: \(message)", output.stderr.lines.dropFirst().first ?? "",
                                        "  See '\(command) --help' for more information."])
        #expect(output.stderr.lines.dropFirst().first?.hasPrefix("Usage: \(command)") == true)
    }

    @Test(arguments: [["agents", "list"], ["executions", "show", "1"], ["api-keys", "list"], ["login", "--username", "ada"], ["whoami"]])
    func anUnreachableServerExitsSixtyNine(arguments: [String]) async throws {
        let url = try await AgentdHarness.closedPortURL()
        let output = MemoryOutput()
        let code = await AgentCtl.run(arguments, environment: ["AGENTD_URL": url, "AGENTD_PASSWORD": "pw", "AGENTD_API_KEY": "k"],
                                      output: output, console: ScriptedConsole())
        #expect(code == .unavailable)
        #expect(output.stderr.hasPrefix("agentctl: cannot reach agentd at \(url)"))
    }
}
