import AgentCore
import CommandLineSupport

/// The agent platform's objects as text for people: agents, versions, executions and log entries.
enum PlatformText {
    /// `text` when it is an object id (a positive whole number), for a path segment.
    /// - Throws: `UsageError` naming `argument`.
    static func id(_ text: String, argument: String = "ID") throws -> String {
        guard let value = Int(text), value > 0 else { throw UsageError("The \(argument) '\(text)' must be a positive whole number") }
        return String(value)
    }

    /// `label: value` lines with the values in one column, as `agentctl sessions show` prints them.
    static func fields(_ rows: [(String, String)]) -> String {
        rows.map { label, value in
            (label + ":" + String(repeating: " ", count: max(1, 12 - label.count)) + value).trimmingTrailingSpaces() + "\n"
        }.joined()
    }

    /// A string field, or `fallback` when it is absent or null.
    static func text(_ value: JSONValue?, _ fallback: String = "") -> String {
        value?.stringValue ?? value?.intValue.map(String.init) ?? fallback
    }

    /// An agent's fields.
    static func agent(_ agent: JSONValue) -> String {
        fields([
            ("id", text(agent["id"])),
            ("name", text(agent["name"])),
            ("description", text(agent["description"])),
            ("status", text(agent["status"])),
            ("version", text(agent["current_version_id"], "none ready")),
            ("created", text(agent["created_at"])),
            ("updated", text(agent["updated_at"])),
        ])
    }

    /// The agents table: id, name, status, current version, updated.
    static func agents(_ agents: [JSONValue]) -> String {
        SessionText.table(header: ["ID", "NAME", "STATUS", "VERSION", "UPDATED"], rows: agents.map { agent in
            [text(agent["id"]), text(agent["name"]), text(agent["status"]), text(agent["current_version_id"], "-"),
             text(agent["updated_at"])]
        })
    }

    /// The versions table: id, version, status, entrypoint, created.
    static func versions(_ versions: [JSONValue]) -> String {
        SessionText.table(header: ["ID", "VERSION", "STATUS", "ENTRYPOINT", "CREATED"], rows: versions.map { version in
            [text(version["id"]), text(version["version"]), text(version["status"]), text(version["entrypoint"], "-"),
             text(version["created_at"])]
        })
    }

    /// The executions table: id, version id, status, created.
    static func executions(_ executions: [JSONValue]) -> String {
        SessionText.table(header: ["ID", "VERSION", "STATUS", "CREATED", "ERROR"], rows: executions.map { execution in
            [text(execution["id"]), text(execution["agent_version_id"]), text(execution["status"]), text(execution["created_at"]),
             EventLine.oneLine(text(execution["error_message"]))]
        })
    }

    /// An execution's fields, its input and output as compact JSON.
    static func execution(_ execution: JSONValue) -> String {
        var rows: [(String, String)] = [
            ("id", text(execution["id"])),
            ("version", text(execution["agent_version_id"])),
            ("status", text(execution["status"])),
            ("created", text(execution["created_at"])),
            ("updated", text(execution["updated_at"])),
            ("input", json(execution["input_data"])),
            ("output", json(execution["output_data"])),
        ]
        if let error = execution["error_message"]?.stringValue { rows.append(("error", EventLine.oneLine(error))) }
        if let session = execution["session_id"]?.stringValue { rows.append(("session", session)) }
        return fields(rows)
    }

    /// Log entries, one line each: `TIME  LEVEL  SOURCE  message` (continuation lines indented).
    static func logs(_ entries: [JSONValue]) -> String {
        entries.map { entry in
            let head = "\(text(entry["timestamp"]))  \(padded(text(entry["level"], "INFO"), 7))  \(padded(text(entry["source"], "-"), 7))  "
            let lines = text(entry["message"]).split(separator: "\n", omittingEmptySubsequences: false)
            return head + lines.joined(separator: "\n    ") + "\n"
        }.joined()
    }

    /// `text` with spaces after it up to `width` characters.
    static func padded(_ text: String, _ width: Int) -> String {
        text + String(repeating: " ", count: max(0, width - text.count))
    }

    /// Compact JSON, or empty for null.
    static func json(_ value: JSONValue?) -> String {
        guard let value, !value.isNull else { return "" }
        return value.serialized()
    }
}
