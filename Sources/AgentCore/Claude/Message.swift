/// Who wrote a message.
public enum Role: String, Sendable, Hashable {
    case user
    case assistant
}

/// One turn of a conversation, as the Messages API carries it.
public struct Message: Sendable, Hashable {
    public var role: Role
    public var content: [ContentBlock]

    public init(role: Role, content: [ContentBlock]) {
        self.role = role
        self.content = content
    }

    /// A user message holding one text block.
    public static func user(_ text: String) -> Message { Message(role: .user, content: [.text(text)]) }

    /// The tool calls this message asks for, in order.
    public var toolUses: [ToolUseBlock] {
        content.compactMap { if case .toolUse(let b) = $0 { b } else { nil } }
    }

    /// Whether the message says nothing: no blocks, or only empty text blocks.
    public var isBlank: Bool {
        content.allSatisfy { if case .text(let block) = $0 { block.text.isEmpty } else { false } }
    }

    /// The concatenated text of the message's text blocks.
    public var text: String {
        content.compactMap { if case .text(let b) = $0 { b.text } else { nil } }.joined()
    }

    /// Decodes `{role, content}`; a string `content` becomes one text block.
    public init(json: JSONValue) throws {
        guard let roleName = json["role"]?.stringValue, let role = Role(rawValue: roleName) else {
            throw WireFormatError("message `role` must be \"user\" or \"assistant\"")
        }
        switch json["content"] {
        case .string(let s)?: self.init(role: role, content: [.text(s)])
        case .array(let items)?: self.init(role: role, content: try items.map(ContentBlock.init(json:)))
        default: throw WireFormatError("message `content` must be a string or an array of blocks")
        }
    }

    public var json: JSONValue {
        ["role": .string(role.rawValue), "content": .array(content.map(\.json))]
    }
}
