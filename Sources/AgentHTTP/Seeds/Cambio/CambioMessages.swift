import AgentCore

/// Turns a session's events into seed 001's WebSocket messages ("Message Types"):
/// `agent_response`, `tool_execution`, `error` and `status` (`heartbeat` is the socket's own).
///
/// | event | message |
/// |---|---|
/// | `assistant_message` with text | `agent_response` `{content, metadata: {tool_calls, processing_time}}` |
/// | `tool_call_started` | `tool_execution` `{tool, status: "started", input}` |
/// | `tool_call_finished` | `tool_execution` `{tool, status: "completed"` or `"failed", result}` |
/// | `tool_call_skipped` | `tool_execution` `{tool, status: "skipped", result: {reason}}` |
/// | `status` | `status` `{status, agent_status, reason}`, and `error` when the run failed |
///
/// `processing_time` is the seconds from the user's message to the reply. Other events (token
/// deltas, usage, turn starts) have no message in the document and are not sent.
struct CambioMessages {
    let sessionID: String
    /// When the newest user message was stored.
    private var askedAt: Double?

    init(sessionID: String) { self.sessionID = sessionID }

    /// The messages for one event (none, one or two).
    mutating func messages(for event: SessionEvent) -> [JSONValue] {
        let timestamp = JSONValue.string(CambioTime.string(event.time))
        let data = event.data
        switch event.type {
        case "user_message":
            askedAt = event.time
            return []
        case "assistant_message":
            guard let json = data["message"], let message = try? Message(json: json), !message.text.isEmpty else { return [] }
            var metadata: JSONValue = ["tool_calls": .array(message.toolUses.map { .string($0.name) })]
            if let askedAt { metadata["processing_time"] = .double(((event.time - askedAt) * 1000).rounded() / 1000) }
            return [["type": "agent_response", "content": .string(message.text), "timestamp": timestamp, "metadata": metadata]]
        case "tool_call_started":
            return [tool(data, status: "started", timestamp: timestamp, extra: ["input": data["input"] ?? [:]])]
        case "tool_call_finished":
            var result: JSONValue = [:]
            for key in ["output", "error", "system"] { if let value = data[key] { result[key] = value } }
            if let image = data["image"], let sha = image["sha256"]?.stringValue {
                var reference = image
                reference["url"] = .string("/api/v1/sessions/\(sessionID)/screenshots/\(sha)")
                result["image"] = reference
            }
            let failed = data["is_error"]?.boolValue == true
            return [tool(data, status: failed ? "failed" : "completed", timestamp: timestamp,
                         extra: ["result": result, "duration_ms": data["duration_ms"] ?? .null])]
        case "tool_call_skipped":
            return [tool(data, status: "skipped", timestamp: timestamp, extra: ["result": ["reason": data["reason"] ?? .null]])]
        case "status":
            guard let name = data["status"]?.stringValue, let status = SessionStatus(rawValue: name) else { return [] }
            var messages: [JSONValue] = [Self.status(status, reason: data["reason"]?.stringValue, sessionID: sessionID,
                                                     timestamp: timestamp)]
            if status == .error {
                messages.append(["type": "error", "error": "Agent run failed",
                                 "details": data["reason"] ?? "the run failed", "timestamp": timestamp])
            }
            return messages
        default:
            return []
        }
    }

    private func tool(_ data: JSONValue, status: String, timestamp: JSONValue, extra: [String: JSONValue]) -> JSONValue {
        var o: [String: JSONValue] = [
            "type": "tool_execution", "tool": data["name"] ?? .null, "tool_use_id": data["tool_use_id"] ?? .null,
            "status": .string(status), "timestamp": timestamp,
        ]
        for (key, value) in extra { o[key] = value }
        return .object(o)
    }

    /// A `status` message: seed 001's status and agentd's own.
    static func status(_ status: SessionStatus, reason: String?, sessionID: String, timestamp: JSONValue) -> JSONValue {
        var o: [String: JSONValue] = [
            "type": "status", "session_id": .string(sessionID), "status": .string(CambioStatus(status).rawValue),
            "agent_status": .string(status.rawValue), "timestamp": timestamp,
        ]
        if let reason { o["reason"] = .string(reason) }
        return .object(o)
    }

    /// An `error` message (seed 001, "Error Message").
    static func error(_ error: String, details: String) -> JSONValue {
        ["type": "error", "error": .string(error), "details": .string(details), "timestamp": .string(CambioTime.now())]
    }
}
