import CommandLineSupport
import AgentCore
import Foundation
import Testing
@testable import agentctl

/// Parses the arguments that follow `agentctl run`.
private func parse(_ arguments: [String], environment: [String: String] = [:]) throws -> RunCommand {
    var cursor = ArgumentCursor(arguments)
    return try RunCommand(parsing: &cursor, environment: environment)
}

@Suite(.timeLimit(.minutes(1)))
struct RunCommandParsingTests {
    @Test func defaults() throws {
        let command = try parse(["List the files"])
        #expect(command.task == "List the files")
        #expect(command.model == ModelCatalog.defaultModel)
        #expect(command.tools == ["bash", "edit"])
        #expect(command.maxSteps == 50)
        #expect(command.maxTokens == nil)
        #expect(command.timeout == nil)
        #expect(command.tokenBudget == nil)
        #expect(command.thinking == .off)
        #expect(command.systemSuffix == nil)
        #expect(command.scriptPath == nil)
        #expect(!command.json)
        #expect(command.apiKey == nil)
        #expect(command.baseURL == nil)
        let here = URL(fileURLWithPath: FileManager.default.currentDirectoryPath).standardizedFileURL.path
        #expect(command.workingDirectory == here)
    }

    @Test func everyOptionWithSeparateValues() throws {
        let command = try parse([
            "--model", "claude-opus-4-1", "--tools", "bash", "--max-steps", "7", "--max-tokens", "2048",
            "--timeout", "2.5", "--token-budget", "5000", "--thinking", "adaptive:high", "--system", "Be brief.",
            "--cwd", "/tmp", "--script", "turns.json", "--json", "Do it",
        ])
        #expect(command.task == "Do it")
        #expect(command.model == "claude-opus-4-1")
        #expect(command.tools == ["bash"])
        #expect(command.maxSteps == 7)
        #expect(command.maxTokens == 2048)
        #expect(command.timeout == 2.5)
        #expect(command.tokenBudget == 5000)
        #expect(command.thinking == .adaptive(effort: "high"))
        #expect(command.systemSuffix == "Be brief.")
        #expect(command.workingDirectory == "/tmp")
        #expect(command.scriptPath == "turns.json")
        #expect(command.json)
    }

    @Test func everyOptionWithEquals() throws {
        let command = try parse([
            "Do it", "--model=m", "--tools=edit", "--max-steps=3", "--max-tokens=100", "--timeout=9",
            "--token-budget=10", "--thinking=extended:2048", "--system=x=y", "--cwd=/tmp", "--script=s.json",
        ])
        #expect(command.model == "m")
        #expect(command.tools == ["edit"])
        #expect(command.maxSteps == 3)
        #expect(command.maxTokens == 100)
        #expect(command.timeout == 9)
        #expect(command.tokenBudget == 10)
        #expect(command.thinking == .extended(budgetTokens: 2048))
        #expect(command.systemSuffix == "x=y")
        #expect(command.workingDirectory == "/tmp")
        #expect(command.scriptPath == "s.json")
        #expect(!command.json)
    }

    @Test func repeatedOptionsLastWins() throws {
        let command = try parse(["--model", "a", "--max-steps", "3", "task", "--model=b", "--max-steps", "4"])
        #expect(command.model == "b")
        #expect(command.maxSteps == 4)
    }

    @Test func taskStartingWithDashAfterDoubleDash() throws {
        let command = try parse(["--json", "--", "-rf is not an option"])
        #expect(command.task == "-rf is not an option")
        #expect(command.json)
    }

    @Test func optionNamesAfterDoubleDashAreTheTask() throws {
        let command = try parse(["--", "--json"])
        #expect(command.task == "--json")
        #expect(!command.json)
    }

    @Test func modelComesFromModelNameUnlessGiven() throws {
        #expect(try parse(["t"], environment: ["MODEL_NAME": "claude-from-env"]).model == "claude-from-env")
        #expect(try parse(["--model", "claude-flag", "t"], environment: ["MODEL_NAME": "claude-from-env"]).model == "claude-flag")
        #expect(try parse(["t"], environment: ["MODEL_NAME": ""]).model == ModelCatalog.defaultModel)
    }

    @Test func keyAndBaseURLComeFromTheEnvironment() throws {
        let command = try parse(["t"], environment: ["ANTHROPIC_API_KEY": "sk-test", "ANTHROPIC_BASE_URL": "http://127.0.0.1:9"])
        #expect(command.apiKey == "sk-test")
        #expect(command.baseURL == "http://127.0.0.1:9")
        let empty = try parse(["t"], environment: ["ANTHROPIC_API_KEY": "", "ANTHROPIC_BASE_URL": ""])
        #expect(empty.apiKey == nil)
        #expect(empty.baseURL == nil)
    }

    @Test func unknownOption() {
        #expect(throws: UsageError("Unknown option '--verbose'")) { try parse(["--verbose", "task"]) }
        #expect(throws: UsageError("Unknown option '--max-step'")) { try parse(["--max-step=3", "task"]) }
        #expect(throws: UsageError("Unknown option '-j'")) { try parse(["task", "-j"]) }
    }

    @Test(arguments: ["--model", "--tools", "--max-steps", "--max-tokens", "--timeout", "--token-budget", "--thinking",
                      "--system", "--cwd", "--script"])
    func missingValue(option: String) {
        #expect(throws: UsageError("Missing value for '\(option)'")) { try parse(["task", option]) }
    }

    @Test(arguments: [
        (["--max-steps", "abc"], "The value 'abc' for '--max-steps' must be a whole number from 1 to 100000"),
        (["--max-steps", "0"], "The value '0' for '--max-steps' must be a whole number from 1 to 100000"),
        (["--max-steps", "100001"], "The value '100001' for '--max-steps' must be a whole number from 1 to 100000"),
        (["--max-steps=-2"], "The value '-2' for '--max-steps' must be a whole number from 1 to 100000"),
        (["--max-tokens", "0"], "The value '0' for '--max-tokens' must be a whole number from 1 to 1000000"),
        (["--max-tokens", "lots"], "The value 'lots' for '--max-tokens' must be a whole number from 1 to 1000000"),
        (["--token-budget", "1e6"], "The value '1e6' for '--token-budget' must be a whole number from 1 to \(Int.max)"),
        (["--timeout", "0"], "The value '0' for '--timeout' must be a positive number"),
        (["--timeout", "ten"], "The value 'ten' for '--timeout' must be a positive number"),
    ])
    func badNumbers(options: [String], message: String) {
        #expect(throws: UsageError(message)) { try parse(options + ["task"]) }
    }

    @Test func toolLists() throws {
        #expect(try parse(["--tools", "edit", "t"]).tools == ["edit"])
        #expect(try parse(["--tools", " bash , edit ", "t"]).tools == ["bash", "edit"])
        #expect(try parse(["--tools", "bash,,", "t"]).tools == ["bash"])
    }

    @Test func unknownTool() {
        #expect(throws: UsageError("Unknown tool 'browser' in '--tools' (known: bash, edit, computer)")) {
            try parse(["--tools", "bash,browser", "task"])
        }
        #expect(throws: UsageError("Unknown tool 'Bash' in '--tools' (known: bash, edit, computer)")) {
            try parse(["--tools=Bash", "task"])
        }
    }

    @Test(arguments: [
        ("off", ThinkingMode.off),
        ("adaptive", .adaptive(effort: "medium")),
        ("adaptive:low", .adaptive(effort: "low")),
        ("adaptive:max", .adaptive(effort: "max")),
        ("extended:1024", .extended(budgetTokens: 1024)),
        ("extended:16000", .extended(budgetTokens: 16000)),
    ])
    func thinkingModes(text: String, mode: ThinkingMode) throws {
        #expect(try parse(["--thinking", text, "t"]).thinking == mode)
    }

    @Test(arguments: [
        ("on", "The value 'on' for '--thinking' must be off, adaptive[:EFFORT] or extended:BUDGET"),
        ("", "The value '' for '--thinking' must be off, adaptive[:EFFORT] or extended:BUDGET"),
        ("Off", "The value 'Off' for '--thinking' must be off, adaptive[:EFFORT] or extended:BUDGET"),
        ("adaptive:extreme", "The effort 'extreme' must be low, medium, high or max"),
        ("extended", "'--thinking extended:BUDGET' needs a budget of at least 1024 tokens"),
        ("extended:1023", "'--thinking extended:BUDGET' needs a budget of at least 1024 tokens"),
        ("extended:lots", "'--thinking extended:BUDGET' needs a budget of at least 1024 tokens"),
    ])
    func badThinking(text: String, message: String) {
        #expect(throws: UsageError(message)) { try parse(["--thinking", text, "task"]) }
    }

    @Test func missingTask() {
        #expect(throws: UsageError("Missing the TASK argument")) { try parse([]) }
        #expect(throws: UsageError("Missing the TASK argument")) { try parse(["--json", "--max-steps", "3"]) }
        #expect(throws: UsageError("Missing the TASK argument")) { try parse([""]) }
        #expect(throws: UsageError("Missing the TASK argument")) { try parse(["--"]) }
    }

    @Test func twoPositionals() {
        #expect(throws: UsageError("Unexpected argument 'files' (quote the task as one argument)")) {
            try parse(["list", "files"])
        }
    }

    @Test func nonexistentWorkingDirectory() {
        let missing = "/nonexistent-agentctl-\(UInt32.random(in: 0...UInt32.max))"
        #expect(throws: UsageError("The working directory '\(missing)' does not exist")) {
            try parse(["--cwd", missing, "task"])
        }
    }

    @Test func workingDirectoryMustBeADirectory() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("agentctl-cwd-\(UUID().uuidString)").path
        #expect(FileManager.default.createFile(atPath: file, contents: Data()))
        defer { try? FileManager.default.removeItem(atPath: file) }
        #expect(throws: UsageError("The working directory '\(file)' does not exist")) {
            try parse(["--cwd", file, "task"])
        }
    }

    @Test func workingDirectoryIsStandardized() throws {
        #expect(try parse(["--cwd", "/tmp/../tmp/.", "t"]).workingDirectory == "/tmp")
    }

    @Test func noKeyAndNoScriptIsRefusedBeforeAnyCall() throws {
        let command = try parse(["task"])
        #expect {
            _ = try command.makeModelClient()
        } throws: { error in
            "\(error)".contains("ANTHROPIC_API_KEY") && "\(error)".contains("--script")
        }
    }

    @Test func aScriptNeedsNoKey() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("agentctl-script-\(UUID().uuidString).json").path
        #expect(FileManager.default.createFile(atPath: file, contents: Data(#"[{"text": "hi"}]"#.utf8)))
        defer { try? FileManager.default.removeItem(atPath: file) }
        let command = try parse(["--script", file, "task"])
        #expect(try command.makeModelClient() is ScriptedModelClient)
    }

    @Test func toolsFollowTheList() async throws {
        let versions = ModelCatalog.standard.profile(for: ModelCatalog.defaultModel).toolVersions
        #expect(try await parse(["t"]).makeTools(versions: versions, screen: nil).names.sorted() == ["bash", "str_replace_based_edit_tool"])
        #expect(try await parse(["--tools", "bash", "t"]).makeTools(versions: versions, screen: nil).names == ["bash"])
        #expect(try await parse(["--tools", "", "t"]).makeTools(versions: versions, screen: nil).names.isEmpty)
    }

    @Test func environmentsAndTheComputerTool() throws {
        #expect(try parse(["--environment", "desktop", "t"]).tools == ["computer", "bash", "edit"])
        #expect(try parse(["--environment", "browser", "--starting-url", "https://example.com", "t"]).startingURL == "https://example.com")
        #expect(try parse(["--environment", "desktop", "--width", "1920", "--height", "1080", "t"]).width == 1920)
        #expect(try parse(["--environment", "desktop", "t"], environment: ["WIDTH": "1024", "HEIGHT": "768"]).height == 768)
        #expect(throws: UsageError("The computer tool needs a screen: add '--environment desktop', 'browser' or 'display'")) {
            try parse(["--tools", "computer", "t"])
        }
        #expect(throws: UsageError("The value 'vm' for '--environment' must be none, desktop, browser or display")) {
            try parse(["--environment", "vm", "t"])
        }
        #expect(throws: UsageError("'--starting-url' needs '--environment browser'")) {
            try parse(["--environment", "desktop", "--starting-url", "x", "t"])
        }
        #expect(throws: UsageError("'--environment display' attaches to $DISPLAY, which is not set")) {
            try parse(["--environment", "display", "t"], environment: [:])
        }
    }
}
