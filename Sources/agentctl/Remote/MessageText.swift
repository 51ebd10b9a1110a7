import AgentCore

/// The readable text of a message as the API shows it (`{"role", "content"}`).
enum MessageText {
    /// The message's text blocks joined, with `[tool_use NAME]` and `[tool_result]` markers for the rest.
    static func text(of message: JSONValue?) -> String {
        guard let message else { return "" }
        if let text = message["content"]?.stringValue { return text }
        let parts = (message["content"]?.arrayValue ?? []).compactMap { block -> String? in
            switch block["type"]?.stringValue {
            case "text": block["text"]?.stringValue
            case "tool_use": "[tool_use \(block["name"]?.stringValue ?? "?")]"
            case "tool_result": "[tool_result]"
            case "image": "[image]"
            default: nil
            }
        }
        return parts.joined(separator: " ")
    }
}
