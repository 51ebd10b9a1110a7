/// A complete assistant reply: the non-streaming body, or what a stream accumulated.
public struct MessageResponse: Sendable, Hashable {
    public var id: String
    public var model: String
    public var content: [ContentBlock]
    public var stopReason: StopReason?
    public var stopSequence: String?
    public var usage: Usage
    /// Indices of `tool_use` blocks whose input never completed (a stream cut at `max_tokens`):
    /// such a call must be reported, never executed.
    public var incompleteToolUses: Set<Int>
    /// The `request-id` response header.
    public var requestID: String?
    /// Top-level keys not modelled here (`container`, `stop_details`, …).
    public var extra: [String: JSONValue]

    public init(
        id: String, model: String, content: [ContentBlock], stopReason: StopReason?, stopSequence: String? = nil,
        usage: Usage = Usage(), incompleteToolUses: Set<Int> = [], requestID: String? = nil,
        extra: [String: JSONValue] = [:]
    ) {
        self.id = id
        self.model = model
        self.content = content
        self.stopReason = stopReason
        self.stopSequence = stopSequence
        self.usage = usage
        self.incompleteToolUses = incompleteToolUses
        self.requestID = requestID
        self.extra = extra
    }

    /// Decodes a non-streaming response body (or a `message_start.message`); unknown keys are kept.
    public init(json: JSONValue, requestID: String? = nil) throws {
        guard case .object(var fields) = json else { throw WireFormatError("message must be an object") }
        let content = try (fields.removeValue(forKey: "content")?.arrayValue ?? []).map(ContentBlock.init(json:))
        let id = fields.removeValue(forKey: "id")?.stringValue ?? ""
        let model = fields.removeValue(forKey: "model")?.stringValue ?? ""
        let stop = fields.removeValue(forKey: "stop_reason")?.stringValue.map(StopReason.init(rawValue:))
        let sequence = fields.removeValue(forKey: "stop_sequence")?.stringValue
        let usage = Usage(json: fields.removeValue(forKey: "usage"))
        for key in ["type", "role"] { fields[key] = nil }
        self.init(
            id: id, model: model, content: content, stopReason: stop, stopSequence: sequence, usage: usage,
            requestID: requestID, extra: fields)
    }

    /// The assistant message to append to the conversation: the reply's blocks unchanged, minus
    /// empty text blocks (the API rejects them when sent back) and incomplete tool calls.
    public var assistantMessage: Message {
        var blocks: [ContentBlock] = []
        for (i, block) in content.enumerated() where !incompleteToolUses.contains(i) {
            if case .text(let t) = block, t.text.isEmpty { continue }
            blocks.append(block)
        }
        return Message(role: .assistant, content: blocks)
    }
}
