import AgentCore
import Foundation

/// The body of `POST /api/tasks` (seed 002, "Create a New Session"), checked and turned into the
/// session service's create request.
///
/// | field | becomes |
/// |---|---|
/// | `task` (required) | the session's first message, and `metadata.s2_task.task` |
/// | `environment` (`browser`) | `environment.kind`; `browser` gets the computer tool, `desktop` also bash and the editor, `none` bash and the editor |
/// | `display_width` (1024), `display_height` (768) | the environment's screen |
/// | `headless` (true) | `metadata.s2_task.headless` (see ``BrowserTasksAPI``) |
/// | `starting_url` (`https://www.google.com`) | `environment.starting_url`, and the safety checks' site |
/// | `api_key` | the task's own model client, in memory only |
/// | `user_id`, `session_name`, `tags`, `priority` | `owner`, `name`, `tags`, `priority` |
/// | `timeout_seconds`, `max_actions` | `limits.timeout_seconds`, `limits.max_steps` |
/// | `tools`, `allowed_domains` (agentd's) | the tool names; more hosts the safety checks allow |
struct BrowserTaskRequest {
    var task: String
    var apiKey: String?
    var session: SessionRequest

    static let defaultStartingURL = "https://www.google.com"
    static let defaultWidth = 1024
    static let defaultHeight = 768

    /// Reads and checks `body`; `taskID` is the new task's secret (stored hashed).
    /// - Throws: 400 naming the first field that does not validate.
    init(_ body: JSONValue, taskID: String) throws(BrowserTasksError) {
        guard let task = body["task"]?.stringValue, !task.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw .invalid("'task' is required: the description of the task to perform")
        }
        self.task = task
        let kind = try Self.string(body, "environment") ?? "browser"
        guard ["browser", "desktop", "none"].contains(kind) else {
            throw .invalid("'environment' must be browser, desktop or none, not '\(kind)'")
        }
        let width = try Self.integer(body, "display_width") ?? Self.defaultWidth
        let height = try Self.integer(body, "display_height") ?? Self.defaultHeight
        let headless = try Self.boolean(body, "headless") ?? true
        let startingURL = try Self.string(body, "starting_url") ?? Self.defaultStartingURL
        guard ["http://", "https://", "about:"].contains(where: { startingURL.lowercased().hasPrefix($0) }) else {
            throw .invalid("'starting_url' must be an http(s) URL or about:blank")
        }
        apiKey = try Self.string(body, "api_key").flatMap { $0.isEmpty ? nil : $0 }
        let allowedDomains = try Self.strings(body, "allowed_domains") ?? []

        var configuration: [String: JSONValue] = [
            "environment": ["kind": .string(kind), "width": .int(width), "height": .int(height),
                            "starting_url": .string(startingURL)],
            "approval_policy": BrowserTaskSafety.policy(startingURL: startingURL, allowedDomains: allowedDomains),
        ]
        if kind == "browser" { configuration["tools"] = ["computer"] }
        if let tools = try Self.strings(body, "tools") { configuration["tools"] = .array(tools.map(JSONValue.string)) }
        var limits: [String: JSONValue] = [:]
        if let value = body["timeout_seconds"], !value.isNull {
            guard let seconds = value.doubleValue, value.boolValue == nil, seconds > 0, seconds.isFinite else {
                throw .invalid("'timeout_seconds' must be a positive number of seconds")
            }
            limits["timeout_seconds"] = .double(seconds)
        }
        if let count = try Self.integer(body, "max_actions") {
            guard count >= 1 else { throw .invalid("'max_actions' must be at least 1") }
            limits["max_steps"] = .int(count)
        }
        if !limits.isEmpty { configuration["limits"] = .object(limits) }

        let priority = try Self.string(body, "priority") ?? "normal"
        guard SessionRecord.priorities.contains(priority) else { throw .invalid("'priority' must be low, normal or high") }
        session = SessionRequest(
            owner: try Self.string(body, "user_id") ?? "", name: try Self.string(body, "session_name") ?? "",
            tags: try Self.strings(body, "tags") ?? [], priority: priority,
            metadata: [BrowserTaskSecret.metadataKey: [
                "task_id_sha256": .string(BrowserTaskSecret.digest(taskID)), "task": .string(task), "headless": .bool(headless),
            ]],
            configuration: .object(configuration))
    }

    // MARK: - Fields

    static func string(_ body: JSONValue, _ name: String) throws(BrowserTasksError) -> String? {
        guard let value = body[name], !value.isNull else { return nil }
        guard let text = value.stringValue else { throw .invalid("'\(name)' must be a string") }
        return text
    }

    static func integer(_ body: JSONValue, _ name: String) throws(BrowserTasksError) -> Int? {
        guard let value = body[name], !value.isNull else { return nil }
        guard let number = value.intValue, value.boolValue == nil else { throw .invalid("'\(name)' must be an integer") }
        return number
    }

    static func boolean(_ body: JSONValue, _ name: String) throws(BrowserTasksError) -> Bool? {
        guard let value = body[name], !value.isNull else { return nil }
        guard let flag = value.boolValue else { throw .invalid("'\(name)' must be true or false") }
        return flag
    }

    static func strings(_ body: JSONValue, _ name: String) throws(BrowserTasksError) -> [String]? {
        guard let value = body[name], !value.isNull else { return nil }
        guard let array = value.arrayValue, array.allSatisfy({ $0.stringValue != nil }) else {
            throw .invalid("'\(name)' must be a list of strings")
        }
        return array.compactMap(\.stringValue)
    }
}
