import AgentCore
import CommandLineSupport

/// `agentctl sessions create`: a new session, optionally with a first message to run at once.
struct CreateCommand: RemoteCommand {
    static let spec = CommandSpec(
        name: "create",
        help: Help(
            command: "agentctl sessions create", overview: "Create a session and print its id.",
            usage: "agentctl sessions create [--name N] [--model M] [--environment none|desktop|browser] [--width W] [--height H] [--starting-url URL] [--tools LIST] [--max-steps N] [--tag T]... [--approval TOOL]... [--message TEXT] [--json]",
            options: [
                ("--name N", "A name for people."),
                ("--model M", "Model id (default: agentd's)."),
                ("--environment ENV", "none, desktop (a private virtual screen) or browser (a desktop showing Chromium)."),
                ("--width W", "Screen width of a desktop."),
                ("--height H", "Screen height of a desktop."),
                ("--starting-url URL", "The page the browser opens (environment browser)."),
                ("--tools LIST", "Comma-separated tools: bash, edit, computer (default: agentd's)."),
                ("--max-steps N", "Most model turns per run."),
                ("--tag T", "A tag; repeat for more."),
                ("--approval TOOL", "Ask a person before each call of TOOL; repeat for more."),
                ("--message TEXT", "A first message, run at once."),
            ] + RemoteOptions.rows),
        parse: { cursor in try CreateCommand(parsing: &cursor) })

    /// The create request's body.
    var body: JSONValue

    init(parsing cursor: inout ArgumentCursor) throws {
        var body: [String: JSONValue] = [:]
        if let name = try cursor.takeValue("--name") { body["name"] = .string(name) }
        if let model = try cursor.takeValue("--model") { body["model"] = .string(model) }
        let kind = try cursor.takeValue("--environment")
        let width = try cursor.takeInt("--width", in: DesktopOptions.widthRange)
        let height = try cursor.takeInt("--height", in: DesktopOptions.heightRange)
        let startingURL = try cursor.takeValue("--starting-url")
        if let kind {
            guard ["none", "desktop", "browser"].contains(kind) else {
                throw UsageError("The value '\(kind)' for '--environment' must be none, desktop or browser")
            }
            var environment: [String: JSONValue] = ["kind": .string(kind)]
            if let width { environment["width"] = .int(width) }
            if let height { environment["height"] = .int(height) }
            if let startingURL { environment["starting_url"] = .string(startingURL) }
            body["environment"] = .object(environment)
        }
        if (width != nil || height != nil), kind != "desktop", kind != "browser" {
            throw UsageError("'--width' and '--height' need '--environment desktop' or 'browser'")
        }
        if startingURL != nil, kind != "browser" { throw UsageError("'--starting-url' needs '--environment browser'") }
        if let list = try cursor.takeValue("--tools") {
            let tools = list.split(separator: ",").map { String($0).trimming(" ") }.filter { !$0.isEmpty }
            body["tools"] = .array(tools.map(JSONValue.string))
        }
        if let steps = try cursor.takeInt("--max-steps", in: 1...100_000) { body["limits"] = ["max_steps": .int(steps)] }
        let tags = try cursor.takeValues("--tag")
        if !tags.isEmpty { body["tags"] = .array(tags.map(JSONValue.string)) }
        let gated = try cursor.takeValues("--approval")
        if !gated.isEmpty { body["approval_policy"] = .array(gated.map { ["tool": .string($0)] }) }
        if let message = try cursor.takeValue("--message") {
            guard !message.isEmpty else { throw UsageError("The value for '--message' must not be empty") }
            body["message"] = .string(message)
        }
        _ = try cursor.positionals()
        self.body = .object(body)
    }

    func run(_ remote: Remote) async throws(RemoteError) -> ExitCode {
        let session = try await remote.client.json("POST", "/api/v1/sessions", body: body)
        remote.show(session, text: (session["id"]?.stringValue ?? "") + "\n")
        return .success
    }
}
