import AgentCore
import Foundation

/// What S2 shows of a session's history, read from its stored events and tool calls (seed 002,
/// "Get Session Status" and "Get Session Details"):
///
/// - `logs`: one line per thing that happened, for people: the task, status changes with their
///   reasons (a timeout as `Session timed out: …`), each action and its result, safety checks and
///   their answers.
/// - `reasoning`: the model's text, one entry per reply that has any: `{id: "reason_N",
///   timestamp, content: [{type: "text", text}]}`.
/// - `actions`: one per tool call: `{type, tool, timestamp, status}` and the call's input fields
///   (`type` is the computer action, as in `{"type": "type", "text": …}`, or the tool's name).
struct BrowserTaskLog: Sendable {
    var lines: [String] = []
    var reasoning: [JSONValue] = []
    var actions: [JSONValue] = []
    var screenshotCount = 0

    /// The log of session `id`.
    static func load(_ id: String, sessions: OwnedSessions) async throws -> BrowserTaskLog {
        let events = try await SeedHistory.events(of: id, sessions: sessions)
        let executions = try await sessions.toolExecutions(id)
        return BrowserTaskLog(events: events, executions: executions)
    }

    init(events: [SessionEvent], executions: [ToolExecution]) {
        var tasks = 0
        for event in events {
            if let turn = SeedHistory.turn(event), turn.role == .assistant, !turn.text.isEmpty {
                reasoning.append([
                    "id": .string("reason_\(reasoning.count + 1)"), "timestamp": .string(SeedHistory.iso(event.time)),
                    "content": [["type": "text", "text": .string(turn.text)]],
                ])
            }
            if event.type == "user_message", let text = SeedHistory.turn(event)?.text {
                tasks += 1
                lines.append((tasks == 1 ? "Task: " : "Instruction: ") + text)
            } else if let line = Self.line(event) {
                lines.append(line)
            }
        }
        for execution in executions {
            var action: [String: JSONValue] = execution.call.input.objectValue ?? [:]
            action["type"] = .string(execution.call.input["action"]?.stringValue ?? execution.call.name)
            action["action"] = nil
            action["tool"] = .string(execution.call.name)
            action["timestamp"] = .string(SeedHistory.iso(execution.startedAt))
            action["status"] = .string(ComputerUseModels.executionStatus(execution.status))
            actions.append(.object(action))
            if execution.image != nil { screenshotCount += 1 }
        }
    }

    /// The log line of one stored event, or nil for events the log leaves out (replies are the
    /// reasoning; usage and turns are bookkeeping).
    static func line(_ event: SessionEvent) -> String? {
        let data = event.data
        switch event.type {
        case "session_created": return "Session created"
        case "status" where data["status"] == "timeout":
            // seed 002 "Automatic Session Timeout": "a log entry is added to document the timeout event".
            return "Session timed out: " + (data["reason"]?.stringValue ?? "no activity")
        case "status":
            let status = SessionStatus(rawValue: data["status"]?.stringValue ?? "").map(BrowserTaskStatus.name) ?? "unknown"
            return "Status: \(status)" + (data["reason"]?.stringValue.map { " (\($0))" } ?? "")
        case "tool_call_started": return "Action: " + describe(name: data["name"]?.stringValue ?? "tool", input: data["input"] ?? [:])
        case "tool_call_finished":
            if data["is_error"]?.boolValue == true { return "Action failed: " + clip(data["error"]?.stringValue ?? "error") }
            if data["image"] != nil, (data["output"]?.stringValue ?? "").isEmpty { return "Result: screenshot taken" }
            return "Result: " + clip(data["output"]?.stringValue ?? "done")
        case "tool_call_skipped": return "Action skipped: " + (data["reason"]?.stringValue ?? "")
        case "approval_requested": return "Safety check: " + (data["reason"]?.stringValue ?? "confirmation needed")
        case "approval_resolved":
            if data["approved"]?.boolValue == true { return "Safety check confirmed" }
            guard let message = data["message"]?.stringValue, !message.isEmpty else { return "Safety check declined" }
            // S2's own refusals already say what they are ("safety check declined: …").
            if message.hasPrefix("safety check declined") { return "S" + message.dropFirst() }
            return "Safety check declined: " + message
        case "message_queued": return "Instruction queued"
        case "session_updated": return "Session details updated"
        default: return nil
        }
    }

    /// `computer type "hello"`, `computer left_click [10, 20]`, `bash: ls -la`.
    static func describe(name: String, input: JSONValue) -> String {
        guard let action = input["action"]?.stringValue else {
            let text = input["command"]?.stringValue ?? input["path"]?.stringValue ?? input.serialized()
            return "\(name): " + clip(text)
        }
        var parts = [name, action]
        if let text = input["text"]?.stringValue { parts.append("\"\(clip(text))\"") }
        if let coordinate = input["coordinate"] { parts.append(coordinate.serialized()) }
        return parts.joined(separator: " ")
    }

    /// The first line of `text`, at most 200 characters.
    static func clip(_ text: String) -> String {
        let first = text.split(separator: "\n", omittingEmptySubsequences: true).first.map(String.init) ?? ""
        return first.count > 200 ? String(first.prefix(200)) + "…" : first
    }
}
