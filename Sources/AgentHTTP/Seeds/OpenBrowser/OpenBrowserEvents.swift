import AgentCore

/// One S4 stream event: its type and its data.
struct OpenBrowserEvent: Sendable {
    var type: String
    var data: JSONValue
}

/// Turns a session's events into S4's stream events (seed 004 "SSE Events"): `thought`, `action`,
/// `observation`, `message`, `error`, `complete`. A pure mapper fed one event at a time.
struct OpenBrowserEvents: Sendable {
    let conversationID: String
    /// Whether the current run's end was already reported (a `status` change follows `finished`).
    private var ended = false

    init(conversationID: String) { self.conversationID = conversationID }

    mutating func map(_ event: SessionEvent) -> [OpenBrowserEvent] {
        let data = event.data
        switch event.type {
        case "assistant_message":
            guard let json = data["message"], let message = try? Message(json: json) else { return [] }
            var out: [OpenBrowserEvent] = []
            for block in message.content {
                if case .thinking(let thinking) = block, !thinking.thinking.isEmpty {
                    out.append(OpenBrowserEvent(type: "thought", data: ["content": .string(thinking.thinking)]))
                }
            }
            let text = message.text
            // Text before tool calls is reasoning; the reply that ends the turn is the message.
            if !message.toolUses.isEmpty {
                if !text.isEmpty { out.append(OpenBrowserEvent(type: "thought", data: ["content": .string(text)])) }
            } else {
                out.append(OpenBrowserEvent(type: "message", data: ["content": .string(text)]))
            }
            return out
        case "tool_call_started":
            let name = data["name"]?.stringValue ?? ""
            let input = data["input"] ?? [:]
            // The computer tool's own action (`left_click`, …) names the action; other tools by their name.
            let action = name == "computer" ? input["action"]?.stringValue ?? name : name
            return [OpenBrowserEvent(type: "action", data: [
                "action": .string(action), "params": input, "tool": .string(name), "tool_use_id": data["tool_use_id"] ?? .null,
            ])]
        case "tool_call_finished", "tool_call_skipped":
            var result: [String: JSONValue] = ["success": .bool(event.type == "tool_call_finished" && data["is_error"]?.boolValue != true)]
            if let text = data["output"]?.stringValue { result["output"] = .string(text) }
            if let text = (data["error"] ?? data["reason"])?.stringValue { result["error"] = .string(text) }
            if let hash = data["image"]?["sha256"]?.stringValue { result["screenshot"] = .string(hash) }
            return [OpenBrowserEvent(type: "observation", data: [
                "result": .object(result), "tool": data["name"] ?? .null, "tool_use_id": data["tool_use_id"] ?? .null,
            ])]
        case "finished":
            ended = true
            let reason = data["reason"]?.stringValue ?? "error"
            var out: [OpenBrowserEvent] = []
            let status: String
            switch reason {
            case FinishReason.Kind.endTurn.rawValue: status = "completed"
            case FinishReason.Kind.stopped.rawValue: status = "stopped"
            default: status = "error"
            }
            if status != "completed" {
                out.append(OpenBrowserEvent(type: "error", data: [
                    "error": .string(data["message"]?.stringValue ?? "the run ended"), "reason": .string(reason),
                ]))
            }
            out.append(complete(status))
            return out
        case "status":
            let status = data["status"]?.stringValue ?? ""
            let previous = data["previous"]?.stringValue
            if status == SessionStatus.running.rawValue, previous != SessionStatus.paused.rawValue,
               previous != SessionStatus.awaitingApproval.rawValue {
                ended = false
            } else if let now = SessionStatus(rawValue: status), now.isEnded, !ended {
                // A run that ended without a `finished` event (its environment failed to start).
                ended = true
                return [
                    OpenBrowserEvent(type: "error", data: ["error": .string(data["reason"]?.stringValue ?? "the run ended"),
                                                           "reason": "error"]),
                    complete("error"),
                ]
            }
            return []
        default:
            return []
        }
    }

    /// seed 004: `complete` is `{"conversation_id", "status"}`.
    private func complete(_ status: String) -> OpenBrowserEvent {
        OpenBrowserEvent(type: "complete", data: ["conversation_id": .string(conversationID), "status": .string(status)])
    }
}
