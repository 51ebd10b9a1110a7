/// The parameters of one Messages API call (reference §1.2).
public struct MessageRequest: Sendable, Hashable {
    public var model: String
    public var maxTokens: Int
    public var messages: [Message]
    /// System prompt as text blocks (the block form carries `cache_control`).
    public var system: [TextBlock]
    /// Entries of the `tools` array: Anthropic-defined (`{"type":"bash_20250124","name":"bash"}`) or custom.
    public var tools: [JSONValue]
    public var toolChoice: JSONValue?
    /// `{"type":"enabled","budget_tokens":N}` or `{"type":"adaptive"}`.
    public var thinking: JSONValue?
    public var outputConfig: JSONValue?
    public var temperature: Double?
    public var stopSequences: [String]
    /// Sent comma-joined in `anthropic-beta` when not empty.
    public var betas: [String]
    public var stream: Bool
    /// Other body fields, passed through as given.
    public var extraBody: [String: JSONValue]
    /// Already-serialized JSON of `messages[0..<encodedMessagePrefix.count]`, spliced into the body
    /// instead of encoding those messages again. The agent keeps one per stored message, so a long
    /// conversation costs only its new turns per request.
    public var encodedMessagePrefix: [[UInt8]] = []

    public init(
        model: String, maxTokens: Int, messages: [Message], system: [TextBlock] = [], tools: [JSONValue] = [],
        toolChoice: JSONValue? = nil, thinking: JSONValue? = nil, outputConfig: JSONValue? = nil,
        temperature: Double? = nil, stopSequences: [String] = [], betas: [String] = [], stream: Bool = true,
        extraBody: [String: JSONValue] = [:]
    ) {
        self.model = model
        self.maxTokens = maxTokens
        self.messages = messages
        self.system = system
        self.tools = tools
        self.toolChoice = toolChoice
        self.thinking = thinking
        self.outputConfig = outputConfig
        self.temperature = temperature
        self.stopSequences = stopSequences
        self.betas = betas
        self.stream = stream
        self.extraBody = extraBody
    }

    /// The JSON request body as bytes, with the encoded message prefix spliced in.
    public func encodedBody() -> [UInt8] {
        let fields = fieldsExceptMessages
        var writer = JSONWriter(reservingCapacity: 4096 + encodedMessagePrefix.reduce(0) { $0 + $1.count })
        writer.append("{")
        var first = true
        for key in (Array(fields.keys) + ["messages"]).sorted() {
            if !first { writer.append(",") }
            first = false
            writer.writeString(key)
            writer.append(":")
            guard key == "messages" else {
                writer.write(fields[key]!)
                continue
            }
            writer.append("[")
            for (i, message) in messages.enumerated() {
                if i > 0 { writer.append(",") }
                if i < encodedMessagePrefix.count {
                    writer.writeRaw(encodedMessagePrefix[i])
                } else {
                    writer.write(message.json)
                }
            }
            writer.append("]")
        }
        writer.append("}")
        return writer.bytes
    }

    /// The JSON request body.
    public var body: JSONValue {
        var fields = fieldsExceptMessages
        fields["messages"] = .array(messages.map(\.json))
        return .object(fields)
    }

    /// Every body field but `messages`, which is the one that grows.
    private var fieldsExceptMessages: [String: JSONValue] {
        var fields = extraBody
        fields["model"] = .string(model)
        fields["max_tokens"] = .int(maxTokens)
        if !system.isEmpty { fields["system"] = .array(system.map { ContentBlock.text($0).json }) }
        if !tools.isEmpty { fields["tools"] = .array(tools) }
        if let toolChoice { fields["tool_choice"] = toolChoice }
        if let thinking { fields["thinking"] = thinking }
        if let outputConfig { fields["output_config"] = outputConfig }
        if let temperature { fields["temperature"] = .double(temperature) }
        if !stopSequences.isEmpty { fields["stop_sequences"] = .array(stopSequences.map(JSONValue.string)) }
        if stream { fields["stream"] = true }
        return fields
    }
}
