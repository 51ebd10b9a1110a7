/// Thrown when JSON does not have the shape of a Messages API value.
public struct WireFormatError: Error, CustomStringConvertible, Sendable, Equatable {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

extension ContentBlock {
    /// Decodes a block from its wire JSON, keeping unknown types and keys.
    public init(json: JSONValue) throws {
        guard case .object(var fields) = json, let type = fields["type"]?.stringValue else {
            throw WireFormatError("content block must be an object with a string `type`")
        }
        fields["type"] = nil
        func take(_ key: String) -> JSONValue? { fields.removeValue(forKey: key) }
        func string(_ key: String) throws -> String {
            guard let s = take(key)?.stringValue else { throw WireFormatError("\(type) block needs a string `\(key)`") }
            return s
        }
        switch type {
        case "text":
            self = .text(TextBlock(text: try string("text"), extra: fields))
        case "image":
            guard let source = take("source") else { throw WireFormatError("image block needs a `source`") }
            self = .image(ImageBlock(source: source, extra: fields))
        case "tool_use":
            let id = try string("id"), name = try string("name")
            self = .toolUse(ToolUseBlock(id: id, name: name, input: take("input") ?? [:], extra: fields))
        case "tool_result":
            let id = try string("tool_use_id")
            let content: [ContentBlock]
            switch take("content") {
            case .string(let s)?: content = [.text(s)]
            case .array(let items)?: content = try items.map(ContentBlock.init(json:))
            case nil, .null?: content = []
            default: throw WireFormatError("tool_result `content` must be a string or an array")
            }
            let isError = take("is_error")?.boolValue ?? false
            self = .toolResult(ToolResultBlock(toolUseID: id, content: content, isError: isError, extra: fields))
        case "thinking":
            let thinking = try string("thinking")
            self = .thinking(ThinkingBlock(thinking: thinking, signature: take("signature")?.stringValue ?? "", extra: fields))
        case "redacted_thinking":
            self = .redactedThinking(RedactedThinkingBlock(data: try string("data"), extra: fields))
        default:
            self = .other(json)
        }
    }

    /// The block's wire JSON.
    public var json: JSONValue {
        func object(_ type: String, _ fields: [String: JSONValue], _ extra: [String: JSONValue]) -> JSONValue {
            var all = extra
            for (k, v) in fields { all[k] = v }
            all["type"] = .string(type)
            return .object(all)
        }
        switch self {
        case .text(let b): return object("text", ["text": .string(b.text)], b.extra)
        case .image(let b): return object("image", ["source": b.source], b.extra)
        case .toolUse(let b):
            return object("tool_use", ["id": .string(b.id), "name": .string(b.name), "input": b.input], b.extra)
        case .toolResult(let b):
            var fields: [String: JSONValue] = [
                "tool_use_id": .string(b.toolUseID), "content": .array(b.content.map(\.json)),
            ]
            if b.isError {
                fields["is_error"] = true
                // The API takes an error as plain text; the reference demo sends a string content then.
                if b.content.count == 1, case .text(let t) = b.content[0], t.extra.isEmpty {
                    fields["content"] = .string(t.text)
                }
            }
            return object("tool_result", fields, b.extra)
        case .thinking(let b):
            return object("thinking", ["thinking": .string(b.thinking), "signature": .string(b.signature)], b.extra)
        case .redactedThinking(let b): return object("redacted_thinking", ["data": .string(b.data)], b.extra)
        case .other(let json): return json
        }
    }

    /// The extra (unmodelled) keys of a typed block; `cache_control` lives here.
    public var extra: [String: JSONValue] {
        get {
            switch self {
            case .text(let b): b.extra
            case .image(let b): b.extra
            case .toolUse(let b): b.extra
            case .toolResult(let b): b.extra
            case .thinking(let b): b.extra
            case .redactedThinking(let b): b.extra
            case .other(let json): json.objectValue ?? [:]
            }
        }
        set {
            switch self {
            case .text(var b): b.extra = newValue; self = .text(b)
            case .image(var b): b.extra = newValue; self = .image(b)
            case .toolUse(var b): b.extra = newValue; self = .toolUse(b)
            case .toolResult(var b): b.extra = newValue; self = .toolResult(b)
            case .thinking(var b): b.extra = newValue; self = .thinking(b)
            case .redactedThinking(var b): b.extra = newValue; self = .redactedThinking(b)
            case .other: self = .other(.object(newValue))
            }
        }
    }
}
