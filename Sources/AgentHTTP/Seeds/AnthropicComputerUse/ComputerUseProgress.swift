import AgentCore

/// Turns a session's events into S0's WebSocket messages (seed 000 "WebSocket API", "Message
/// Types"): a pure mapper, fed one event at a time; it keeps the step count for `progress`.
struct ComputerUseProgress: Sendable {
    let sessionID: String
    /// Model calls of the current run so far.
    private var step = 0
    /// Whether the current run's end was already reported (a `status` change follows `finished`).
    private var ended = false

    init(sessionID: String) { self.sessionID = sessionID }

    /// `progress` after `step` model calls: 0.25, 0.44, 0.58, … towards 1, which only the end reaches.
    static func progress(step: Int) -> Double {
        var remaining = 1.0
        for _ in 0..<max(step, 0) { remaining *= 0.75 }
        return ((1 - remaining) * 1000).rounded() / 1000
    }

    /// The `connection` message.
    static func connection(sessionID: String) -> JSONValue {
        message("connection", ["message": "Connected to session", "session_id": .string(sessionID)])
    }

    /// An `error` message.
    static func error(_ text: String, code: String) -> JSONValue {
        message("error", ["message": .string(text), "error_code": .string(code)])
    }

    /// The messages `event` produces (often none).
    mutating func map(_ event: SessionEvent) -> [JSONValue] {
        let data = event.data
        switch event.type {
        case "status":
            let status = data["status"]?.stringValue ?? ""
            if status == SessionStatus.running.rawValue, data["previous"]?.stringValue != SessionStatus.paused.rawValue,
               data["previous"]?.stringValue != SessionStatus.awaitingApproval.rawValue {
                step = 0
                ended = false
                return [progress("Processing your request...", step: "thinking", value: 0)]
            }
            if status == SessionStatus.awaitingApproval.rawValue {
                return [progress("Waiting for a tool call to be approved", step: "awaiting_approval", value: Self.progress(step: step))]
            }
            if status == SessionStatus.paused.rawValue {
                return [progress("Paused", step: "paused", value: Self.progress(step: step))]
            }
            // A run that ended without a `finished` event (its environment failed to start).
            if let ended = SessionStatus(rawValue: status), ended.isEnded, !self.ended {
                self.ended = true
                return [Self.error(data["reason"]?.stringValue ?? "The run ended", code: "AGENT_ERROR")]
            }
            return []
        case "turn_started":
            step = data["turn"]?.intValue ?? step + 1
            return [progress("Thinking (step \(step))...", step: "thinking", value: Self.progress(step: step))]
        case "retrying":
            let reason = data["reason"]?.stringValue ?? "the model call failed"
            return [progress("Retrying: \(reason)", step: "retrying", value: Self.progress(step: step))]
        case "assistant_message":
            guard let turn = SeedHistory.turn(event) else { return [] }
            if !turn.toolUseIDs.isEmpty {
                return turn.text.isEmpty ? [] : [progress(turn.text, step: "thinking", value: Self.progress(step: step))]
            }
            // seed 000 "Agent Response Message": the reply that ends the turn.
            return [Self.message("agent_response", [
                "content": .string(turn.text),
                "message_id": .string(ComputerUseModels.messageID(session: sessionID, seq: event.seq)),
            ])]
        case "tool_call_started", "tool_call_finished", "tool_call_skipped":
            return [toolExecution(event)]
        case "finished":
            ended = true
            let reason = data["reason"]?.stringValue ?? "error"
            let text = data["message"]?.stringValue ?? "The run ended"
            if reason == FinishReason.Kind.endTurn.rawValue {
                return [progress("Task completed", step: "completed", value: 1)]
            }
            let code = reason == FinishReason.Kind.error.rawValue ? (data["error"] != nil ? "API_ERROR" : "AGENT_ERROR")
                : reason == FinishReason.Kind.stopped.rawValue ? "CANCELLED" : reason.uppercased()
            return [Self.error(text, code: code)]
        default:
            return []
        }
    }

    /// seed 000 "Tool Execution Message": `{tool_name, tool_input, tool_output, status}`, plus
    /// the execution's `id`, `execution_time` and `message`-less `tool_use_id`.
    private func toolExecution(_ event: SessionEvent) -> JSONValue {
        let data = event.data
        let name = data["name"]?.stringValue ?? ""
        let input = data["input"] ?? [:]
        let status: String
        var output: [String: JSONValue] = [:]
        switch event.type {
        case "tool_call_started": status = "running"
        case "tool_call_finished": status = data["is_error"]?.boolValue == true ? "error" : "completed"
        default: status = "error"
        }
        output["status"] = .string(status)
        if let text = data["output"]?.stringValue { output["result"] = .string(text) }
        if let text = (data["error"] ?? data["reason"])?.stringValue { output["error"] = .string(text) }
        if let text = data["system"]?.stringValue { output["system"] = .string(text) }
        if let hash = data["image"]?["sha256"]?.stringValue {
            output["screenshot"] = ["sha256": .string(hash), "url": .string("/api/v1/sessions/\(sessionID)/screenshots/\(hash)")]
        }
        let callID = data["tool_use_id"]?.stringValue ?? ""
        var body: JSONValue = [
            "id": .string(ComputerUseModels.executionID(session: sessionID, call: callID)), "tool_use_id": .string(callID),
            "tool_name": .string(name), "tool_input": input.objectValue != nil ? input : ["input": input],
            "tool_output": status == "running" ? [:] : .object(output), "status": .string(status),
        ]
        if let ms = data["duration_ms"]?.doubleValue { body["execution_time"] = .double(ms / 1000) }
        return Self.message("tool_execution", body)
    }

    /// seed 000 "Agent Progress Message": `{message, step, progress}`.
    private func progress(_ text: String, step: String, value: Double) -> JSONValue {
        Self.message("agent_progress", ["message": .string(text), "step": .string(step), "progress": .double(value)])
    }

    private static func message(_ type: String, _ data: JSONValue) -> JSONValue {
        ["type": .string(type), "data": data]
    }
}
