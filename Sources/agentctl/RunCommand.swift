import CommandLineSupport
import AgentCore
import Foundation

/// `agentctl run`: one task, one in-process agent, every step printed as it happens.
struct RunCommand {
    static let help = Help(
        command: "agentctl run", overview: "Run one task with an in-process agent (no daemon needed).",
        usage: "agentctl run [--model M] [--tools bash,edit,computer] [--environment none|desktop|browser|display] [--width W] [--height H] [--starting-url URL] [--max-steps N] [--system TEXT] [--cwd DIR] [--script FILE] [--json] \"TASK\"",
        arguments: [("TASK", "What the agent should do.")],
        options: [
            ("--model M", "Model id (default: $MODEL_NAME or \(ModelCatalog.defaultModel))."),
            ("--tools LIST", "Comma-separated tools: bash, edit, computer (default: bash,edit; with an environment also computer)."),
            ("--environment ENV", "none, desktop (a private virtual screen), browser (a desktop showing Chromium) or display (attach to $DISPLAY); default: none."),
            ("--width W", "Screen width of a desktop (default: $WIDTH or 1280)."),
            ("--height H", "Screen height of a desktop (default: $HEIGHT or 800)."),
            ("--starting-url URL", "The page the browser opens (environment browser; default: about:blank)."),
            ("--max-steps N", "Most model turns (default: 50)."),
            ("--max-tokens N", "max_tokens per reply (default: the model's)."),
            ("--timeout S", "Most seconds for the whole run."),
            ("--token-budget N", "Most tokens for the whole run."),
            ("--thinking MODE", "off, adaptive[:EFFORT] or extended:BUDGET (default: off)."),
            ("--system TEXT", "Text appended to the system prompt."),
            ("--cwd DIR", "Working directory of the shell and editor (default: current)."),
            ("--script FILE", "Replay a JSON script of assistant turns instead of calling Claude."),
            ("--json", "Print every event as one JSON line (NDJSON)."),
        ])

    static let knownTools = ["bash", "edit", "computer"]
    static let environments = ["none", "desktop", "browser", "display"]

    var task: String
    var model: String
    var tools: [String]
    var maxSteps: Int
    var maxTokens: Int?
    var timeout: Double?
    var tokenBudget: Int?
    var thinking: ThinkingMode
    var systemSuffix: String?
    var workingDirectory: String
    var scriptPath: String?
    var json: Bool
    var apiKey: String?
    var baseURL: String?
    var environmentKind: String
    var width: Int
    var height: Int
    var startingURL: String?
    /// `$DISPLAY` and `$XAUTHORITY`, for `--environment display`.
    var existingDisplay: String?
    var existingAuthority: String?

    init(parsing cursor: inout ArgumentCursor, environment: [String: String]) throws {
        json = cursor.takeFlag("--json")
        model = try cursor.takeValue("--model") ?? environment["MODEL_NAME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? ModelCatalog.defaultModel
        environmentKind = try cursor.takeValue("--environment") ?? "none"
        guard Self.environments.contains(environmentKind) else {
            throw UsageError("The value '\(environmentKind)' for '--environment' must be none, desktop, browser or display")
        }
        let defaultTools = environmentKind == "none" ? "bash,edit" : "computer,bash,edit"
        let toolList = try cursor.takeValue("--tools") ?? defaultTools
        tools = toolList.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        for tool in tools where !Self.knownTools.contains(tool) {
            throw UsageError("Unknown tool '\(tool)' in '--tools' (known: \(Self.knownTools.joined(separator: ", ")))")
        }
        if tools.contains("computer"), environmentKind == "none" {
            throw UsageError("The computer tool needs a screen: add '--environment desktop', 'browser' or 'display'")
        }
        // Seed 000's WIDTH/HEIGHT give the defaults.
        width = try cursor.takeInt("--width", in: DesktopOptions.widthRange)
            ?? environment["WIDTH"].flatMap { Int($0) }.flatMap { DesktopOptions.widthRange.contains($0) ? $0 : nil } ?? 1280
        height = try cursor.takeInt("--height", in: DesktopOptions.heightRange)
            ?? environment["HEIGHT"].flatMap { Int($0) }.flatMap { DesktopOptions.heightRange.contains($0) ? $0 : nil } ?? 800
        startingURL = try cursor.takeValue("--starting-url")
        if startingURL != nil, environmentKind != "browser" {
            throw UsageError("'--starting-url' needs '--environment browser'")
        }
        existingDisplay = environment["DISPLAY"].flatMap { $0.isEmpty ? nil : $0 }
        existingAuthority = environment["XAUTHORITY"].flatMap { $0.isEmpty ? nil : $0 }
        if environmentKind == "display", existingDisplay == nil {
            throw UsageError("'--environment display' attaches to $DISPLAY, which is not set")
        }
        maxSteps = try cursor.takeInt("--max-steps", in: 1...100_000) ?? 50
        maxTokens = try cursor.takeInt("--max-tokens", in: 1...1_000_000)
        timeout = try cursor.takeDouble("--timeout")
        tokenBudget = try cursor.takeInt("--token-budget", in: 1...Int.max)
        thinking = try Self.parseThinking(try cursor.takeValue("--thinking") ?? "off")
        systemSuffix = try cursor.takeValue("--system")
        workingDirectory = try cursor.takeValue("--cwd") ?? FileManager.default.currentDirectoryPath
        scriptPath = try cursor.takeValue("--script")
        let positionals = try cursor.remainingPositionals()
        guard let task = positionals.first, !task.isEmpty else { throw UsageError("Missing the TASK argument") }
        guard positionals.count == 1 else {
            throw UsageError("Unexpected argument '\(positionals[1])' (quote the task as one argument)")
        }
        self.task = task
        apiKey = environment["ANTHROPIC_API_KEY"].flatMap { $0.isEmpty ? nil : $0 }
        baseURL = environment["ANTHROPIC_BASE_URL"].flatMap { $0.isEmpty ? nil : $0 }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: workingDirectory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw UsageError("The working directory '\(workingDirectory)' does not exist")
        }
        workingDirectory = URL(fileURLWithPath: workingDirectory).standardizedFileURL.path
    }

    static func parseThinking(_ text: String) throws -> ThinkingMode {
        let parts = text.split(separator: ":", maxSplits: 1).map(String.init)
        switch parts.first {
        case "off": return .off
        case "adaptive":
            let effort = parts.count > 1 ? parts[1] : "medium"
            guard ["low", "medium", "high", "max"].contains(effort) else {
                throw UsageError("The effort '\(effort)' must be low, medium, high or max")
            }
            return .adaptive(effort: effort)
        case "extended":
            guard parts.count > 1, let budget = Int(parts[1]), budget >= 1024 else {
                throw UsageError("'--thinking extended:BUDGET' needs a budget of at least 1024 tokens")
            }
            return .extended(budgetTokens: budget)
        default:
            throw UsageError("The value '\(text)' for '--thinking' must be off, adaptive[:EFFORT] or extended:BUDGET")
        }
    }

    /// The model client: the script when given, else Claude.
    func makeModelClient() throws -> any ModelClient {
        if let scriptPath { return try ScriptedModelClient(contentsOf: scriptPath) }
        guard let apiKey else {
            throw UsageError("ANTHROPIC_API_KEY is not set: export it, or replay a script with --script FILE")
        }
        return AnthropicClient(apiKey: apiKey, baseURL: baseURL ?? AnthropicClient.defaultBaseURL)
    }

    func makeTools(versions: ToolVersions, screen: (any ComputerEnvironment)?) async throws -> ToolSet {
        try await StandardEnvironmentProvider.makeTools(tools, versions: versions, screen: screen)
    }

    /// The run's computer: a fresh desktop (torn down at exit), or the operator's display.
    func makeScreen() async throws -> Screen? {
        switch environmentKind {
        case "desktop", "browser":
            var options = DesktopOptions(width: width, height: height)
            if environmentKind == "browser" { options.browser = BrowserOptions(startingURL: startingURL ?? "about:blank") }
            let desktop = try await VirtualDesktop.start(options: options)
            return Screen(environment: desktop.x11, processEnvironment: desktop.environment, desktop: desktop)
        case "display":
            guard let existingDisplay else { return nil }
            let display = try await X11Display.connect(display: existingDisplay, authorityFile: existingAuthority)
            var env = ["DISPLAY": existingDisplay]
            if let existingAuthority { env["XAUTHORITY"] = existingAuthority }
            return Screen(environment: display, processEnvironment: env, desktop: nil)
        default:
            return nil
        }
    }

    /// A run's screen and what child processes need to reach it.
    struct Screen {
        let environment: X11Display
        let processEnvironment: [String: String]
        /// Set when the run started the desktop itself (and so must stop it).
        let desktop: VirtualDesktop?

        func close() async {
            if let desktop { await desktop.stop() } else { await environment.close() }
        }
    }

    func run(output: some OutputSink) async -> ExitCode {
        let client: any ModelClient
        do {
            client = try makeModelClient()
        } catch {
            output.err("agentctl: \(error)\n")
            return .failure
        }
        let screen: Screen?
        do {
            screen = try await makeScreen()
        } catch {
            output.err("agentctl: cannot start the \(environmentKind): \(error)\n")
            return .failure
        }
        let configuration = AgentConfiguration(
            model: model, maxTokens: maxTokens, systemPromptSuffix: systemSuffix, thinking: thinking,
            limits: AgentLimits(maxSteps: maxSteps, timeout: timeout, tokenBudget: tokenBudget),
            toolContext: ToolContext(
                sessionID: "agentctl-\(getpid())", workingDirectory: workingDirectory,
                environment: screen?.processEnvironment ?? [:]))
        let toolSet: ToolSet
        do {
            toolSet = try await makeTools(versions: configuration.effectiveToolVersions, screen: screen?.environment)
        } catch {
            output.err("agentctl: cannot set up the tools: \(error)\n")
            await screen?.close()
            return .failure
        }
        let agent = Agent(model: client, tools: toolSet, configuration: configuration)
        let interrupt = InterruptHandler { Task { await agent.stop(reason: "interrupted by the user") } }
        defer { interrupt.cancel() }

        let printer = EventPrinter(json: json, output: output)
        var finish: FinishReason?
        for await event in await agent.run(task) {
            printer.print(event)
            if case .finished(let reason) = event { finish = reason }
        }
        for tool in toolSet.tools {
            if let bash = tool as? BashTool { await bash.shutdown() }
        }
        await screen?.close()
        return finish?.isSuccess == true ? .success : .failure
    }
}
