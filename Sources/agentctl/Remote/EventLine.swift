import AgentCore

/// One stored session event as one line for people: `SEQ  TYPE  what happened`.
///
/// ```
///    5  tool_call_started    bash ls -l
///    6  tool_call_finished   bash ✓ 12 ms: total 0
///    9  status               running → completed (the model ended its turn)
/// ```
enum EventLine {
    /// The line (with its newline) for an event, or nil for a live-only token delta.
    static func line(for event: JSONValue) -> String? {
        guard event["live"] != true else { return nil }
        let seq = String(event["seq"]?.intValue ?? 0)
        let type = event["type"]?.stringValue ?? "?"
        let padded = seq.count < 5 ? String(repeating: " ", count: 5 - seq.count) + seq : seq
        let label = type.count < 20 ? type + String(repeating: " ", count: 20 - type.count) : type
        let text = oneLine(summary(of: event, type: type))
        return "\(padded)  \(label) \(text)".trimmingTrailingSpaces() + "\n"
    }

    /// What the event says, in a few words.
    static func summary(of event: JSONValue, type: String) -> String {
        let name = event["name"]?.stringValue ?? ""
        switch type {
        case "user_message", "assistant_message", "tool_results":
            return MessageText.text(of: event["message"])
        case "tool_call_started":
            return "\(name) \(EventPrinter.summary(of: ToolCall(id: "", name: name, input: event["input"] ?? [:])))"
        case "tool_call_finished":
            let outcome = EventPrinter.outcomeLine(
                durationMs: event["duration_ms"]?.doubleValue ?? 0, error: event["error"]?.stringValue,
                output: event["output"]?.stringValue, imageBytes: event["image"]?["bytes"]?.intValue)
            return name + " " + outcome.trimming(" \n")
        case "tool_call_skipped":
            return "\(name) not run: \(event["reason"]?.stringValue ?? "")"
        case "status":
            let change = "\(event["previous"]?.stringValue ?? "?") → \(event["status"]?.stringValue ?? "?")"
            return event["reason"]?.stringValue.map { "\(change) (\($0))" } ?? change
        case "approval_requested":
            return "\(name) \(event["input"]?.serialized() ?? "{}") needs approval: \(event["reason"]?.stringValue ?? "")"
        case "approval_resolved":
            let verdict = event["approved"] == true ? "approved" : "denied"
            return event["message"]?.stringValue.map { "\(verdict): \($0)" } ?? verdict
        case "finished":
            return "\(event["reason"]?.stringValue ?? "?"): \(event["message"]?.stringValue ?? "")"
        case "turn_started":
            return "turn \(event["turn"]?.intValue ?? 0)"
        case "usage":
            let turn = event["turn"]
            return "\(turn?["input_tokens"]?.intValue ?? 0) in, \(turn?["output_tokens"]?.intValue ?? 0) out"
        default:
            var fields = event.objectValue ?? [:]
            for key in ["session_id", "seq", "type", "time", "live"] { fields[key] = nil }
            return fields.isEmpty ? "" : JSONValue.object(fields).serialized()
        }
    }

    /// The text on one line, at most 200 characters.
    static func oneLine(_ text: String) -> String {
        let flat = text.split(whereSeparator: \.isNewline).joined(separator: " ⏎ ")
        return flat.count > 200 ? String(flat.prefix(200)) + "…" : flat
    }
}

extension String {
    /// The string without trailing spaces.
    func trimmingTrailingSpaces() -> String {
        var text = self
        while text.last == " " { text.removeLast() }
        return text
    }

    /// The string without the given characters at either end.
    func trimming(_ set: String) -> String {
        var text = Substring(self)
        while let c = text.first, set.contains(c) { text.removeFirst() }
        while let c = text.last, set.contains(c) { text.removeLast() }
        return String(text)
    }
}
