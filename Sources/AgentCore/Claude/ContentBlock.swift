/// One block of a message's content, in the Messages API's content-block form.
///
/// Known block types are typed; anything else is kept verbatim as `.other` so that new API features
/// (server tools, citations, …) are echoed back unchanged. Every typed block also keeps the keys it
/// does not model (`cache_control`, `citations`, `caller`, …) in `extra`.
public enum ContentBlock: Sendable, Hashable {
    case text(TextBlock)
    case image(ImageBlock)
    case toolUse(ToolUseBlock)
    case toolResult(ToolResultBlock)
    case thinking(ThinkingBlock)
    case redactedThinking(RedactedThinkingBlock)
    /// A block type this library does not model, kept exactly as received.
    case other(JSONValue)

    /// A plain text block.
    public static func text(_ text: String) -> ContentBlock { .text(TextBlock(text: text)) }

    /// The block's `type` string.
    public var type: String {
        switch self {
        case .text: "text"
        case .image: "image"
        case .toolUse: "tool_use"
        case .toolResult: "tool_result"
        case .thinking: "thinking"
        case .redactedThinking: "redacted_thinking"
        case .other(let json): json["type"]?.stringValue ?? "unknown"
        }
    }
}

/// `{"type":"text","text":…}`
public struct TextBlock: Sendable, Hashable {
    public var text: String
    public var extra: [String: JSONValue]
    public init(text: String, extra: [String: JSONValue] = [:]) {
        self.text = text
        self.extra = extra
    }
}

/// `{"type":"image","source":{"type":"base64","media_type":…,"data":…}}` or another source form.
public struct ImageBlock: Sendable, Hashable {
    /// The `source` object, kept whole (base64, url or file forms).
    public var source: JSONValue
    public var extra: [String: JSONValue]

    public init(source: JSONValue, extra: [String: JSONValue] = [:]) {
        self.source = source
        self.extra = extra
    }

    /// A base64 image source.
    public init(mediaType: String, base64Data: String) {
        self.init(source: ["type": "base64", "media_type": .string(mediaType), "data": .string(base64Data)])
    }
}

/// `{"type":"tool_use","id":…,"name":…,"input":{…}}`
public struct ToolUseBlock: Sendable, Hashable {
    public var id: String
    public var name: String
    public var input: JSONValue
    public var extra: [String: JSONValue]
    public init(id: String, name: String, input: JSONValue, extra: [String: JSONValue] = [:]) {
        self.id = id
        self.name = name
        self.input = input
        self.extra = extra
    }
}

/// `{"type":"tool_result","tool_use_id":…,"content":…,"is_error":…}`
public struct ToolResultBlock: Sendable, Hashable {
    public var toolUseID: String
    /// The result's content blocks (text and image). A string `content` on the wire is one text block.
    public var content: [ContentBlock]
    public var isError: Bool
    public var extra: [String: JSONValue]
    public init(toolUseID: String, content: [ContentBlock], isError: Bool = false, extra: [String: JSONValue] = [:]) {
        self.toolUseID = toolUseID
        self.content = content
        self.isError = isError
        self.extra = extra
    }
}

/// `{"type":"thinking","thinking":…,"signature":…}`; sent back unchanged, signature included.
public struct ThinkingBlock: Sendable, Hashable {
    public var thinking: String
    public var signature: String
    public var extra: [String: JSONValue]
    public init(thinking: String, signature: String, extra: [String: JSONValue] = [:]) {
        self.thinking = thinking
        self.signature = signature
        self.extra = extra
    }
}

/// `{"type":"redacted_thinking","data":…}`; opaque, sent back unchanged.
public struct RedactedThinkingBlock: Sendable, Hashable {
    public var data: String
    public var extra: [String: JSONValue]
    public init(data: String, extra: [String: JSONValue] = [:]) {
        self.data = data
        self.extra = extra
    }
}
