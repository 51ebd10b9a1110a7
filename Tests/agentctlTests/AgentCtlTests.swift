import CommandLineSupport
import Testing
@testable import agentctl

/// Help and usage errors, through `AgentCtl.run(_:environment:output:)` with an in-memory sink.
@Suite(.timeLimit(.minutes(1)))
struct AgentCtlTests {
    static let runUsage = "Usage: " + RunCommand.help.usage
    static let runSeeHelp = "  See 'agentctl run --help' for more information."

    // MARK: Help

    @Test func topLevelHelpLayout() async {
        let (code, output) = await runInProcess(["--help"])
        #expect(code == .success)
        #expect(output.stderr.isEmpty)
        #expect(output.stdout == """
            OVERVIEW: Run and script computer-use agents.

            USAGE: agentctl [--server URL] [--json] <subcommand> [options]

            OPTIONS:
              --server URL          agentd's address (default: $AGENTD_URL or http://127.0.0.1:8000).
              --json                Print the API's JSON instead of text.
              -h, --help            Show help information.

            SUBCOMMANDS:
              run                   Run one task with an in-process agent and print each step.
              health                Check that agentd answers.
              login                 Log in and store the token for this server.
              logout                Forget the stored token for this server.
              whoami                Show the user agentctl acts as.
              sessions              Create, drive and follow sessions on agentd.
              agents                Create, deploy and run agents on agentd's platform.
              executions            List, inspect and cancel agent executions.
              api-keys              Create, list and revoke API keys (needs agentctl login).

              See 'agentctl help <subcommand>' for detailed help.

            """)
    }

    @Test(arguments: [["-h"], ["help"]])
    func topLevelHelpSpellingsAreIdentical(arguments: [String]) async {
        let reference = await runInProcess(["--help"])
        let (code, output) = await runInProcess(arguments)
        #expect(code == .success)
        #expect(output.stderr.isEmpty)
        #expect(output.stdout == reference.output.stdout)
    }

    @Test func runHelpLayout() async {
        let (code, output) = await runInProcess(["run", "--help"])
        #expect(code == .success)
        #expect(output.stderr.isEmpty)
        let lines = output.stdout.lines
        #expect(lines.first == "OVERVIEW: Run one task with an in-process agent (no daemon needed).")
        #expect(lines.contains(
            #"USAGE: agentctl run [--model M] [--tools bash,edit,computer] [--environment none|desktop|browser|display] [--width W] [--height H] [--starting-url URL] [--max-steps N] [--system TEXT] [--cwd DIR] [--script FILE] [--json] "TASK""#))
        // The sections come in swift-argument-parser's order, each after a blank line.
        let headings = lines.filter { $0.first?.isUppercase == true }.map { String($0.prefix { $0 != ":" }) }
        #expect(headings == ["OVERVIEW", "USAGE", "ARGUMENTS", "OPTIONS"])
        for heading in ["ARGUMENTS:", "OPTIONS:"] {
            guard let index = lines.firstIndex(of: heading) else {
                Issue.record("no \(heading) section")
                continue
            }
            #expect(lines[index - 1] == "")
        }
        #expect(lines.contains("  TASK                  What the agent should do."))
        #expect(lines.last == "  -h, --help            Show help information.")
    }

    @Test func runHelpDocumentsEveryOptionOfTheUsageLine() async {
        let text = await runInProcess(["run", "--help"]).output.stdout
        let lines = text.lines
        let options = lines.drop { $0 != "OPTIONS:" }.dropFirst()
        for option in ["--model", "--tools", "--max-steps", "--system", "--cwd", "--script", "--json",
                       "--max-tokens", "--timeout", "--token-budget", "--thinking", "-h, --help"] {
            #expect(options.contains { $0.hasPrefix("  \(option)") }, "OPTIONS lacks \(option)")
        }
        // A 24-column gutter: every description starts in the same column.
        for row in options {
            let description = row.dropFirst(24)
            #expect(row.prefix(24).last == " " && description.first != " ", "misaligned: \(row)")
        }
    }

    @Test(arguments: [["run", "-h"], ["help", "run"], ["run", "Some task", "--help"], ["run", "--json", "-h", "--bogus"]])
    func runHelpSpellingsAreIdentical(arguments: [String]) async {
        let reference = await runInProcess(["run", "--help"])
        let (code, output) = await runInProcess(arguments)
        #expect(code == .success)
        #expect(output.stderr.isEmpty)
        #expect(output.stdout == reference.output.stdout)
        #expect(output.stdout == RunCommand.help.text)
    }

    // MARK: Usage errors

    @Test(arguments: [
        (["run"], "Missing the TASK argument"),
        (["run", "--bogus", "task"], "Unknown option '--bogus'"),
        (["run", "task", "--model"], "Missing value for '--model'"),
        (["run", "--max-steps", "0", "task"], "The value '0' for '--max-steps' must be a whole number from 1 to 100000"),
        (["run", "--max-steps=many", "task"], "The value 'many' for '--max-steps' must be a whole number from 1 to 100000"),
        (["run", "--tools", "bash,web", "task"], "Unknown tool 'web' in '--tools' (known: bash, edit, computer)"),
        (["run", "--thinking", "hard", "task"], "The value 'hard' for '--thinking' must be off, adaptive[:EFFORT] or extended:BUDGET"),
        (["run", "list", "files"], "Unexpected argument 'files' (quote the task as one argument)"),
        (["run", "--cwd", "/nonexistent/agentctl/dir", "task"], "The working directory '/nonexistent/agentctl/dir' does not exist"),
    ])
    func runUsageErrorsAreThreeLinesOnStderr(arguments: [String], message: String) async {
        let (code, output) = await runInProcess(arguments, environment: ["ANTHROPIC_API_KEY": "unused"])
        #expect(code == .usage)
        #expect(code.rawValue == 64)
        #expect(output.stdout.isEmpty)
        #expect(output.stderr.lines == ["Error: \(message)", Self.runUsage, Self.runSeeHelp])
        #expect(output.stderr.hasSuffix("\n"))
    }

    @Test(arguments: [
        (["bogus"], "Unknown subcommand 'bogus'"),
        (["help", "bogus"], "Unknown subcommand 'bogus'"),
        ([], "Missing subcommand"),
        (["--json"], "Missing subcommand"),
    ])
    func topLevelUsageErrors(arguments: [String], message: String) async {
        let (code, output) = await runInProcess(arguments)
        #expect(code == .usage)
        #expect(output.stdout.isEmpty)
        #expect(output.stderr.lines == [
            "Error: \(message)", "Usage: agentctl [--server URL] [--json] <subcommand> [options]",
            "  See 'agentctl --help' for more information.",
        ])
    }

    // MARK: Runtime failures

    @Test func noKeyIsARuntimeFailureThatNamesTheVariable() async {
        let (code, output) = await runInProcess(["run", "What is the time?"], environment: [:])
        #expect(code == .failure)
        #expect(code.rawValue == 1)
        #expect(output.stdout.isEmpty)
        #expect(output.stderr.contains("ANTHROPIC_API_KEY"))
    }

    @Test func unreadableScriptIsARuntimeFailure() async {
        let path = "/nonexistent/agentctl/script.json"
        let (code, output) = await runInProcess(["run", "--script", path, "task"], environment: [:])
        #expect(code == .failure)
        #expect(output.stderr.contains(path))
    }

    @Test func exitCodesFollowSysexits() {
        #expect(ExitCode.success.rawValue == 0)
        #expect(ExitCode.failure.rawValue == 1)
        #expect(ExitCode.usage.rawValue == 64)
        #expect(ExitCode.unavailable.rawValue == 69)
    }
}
