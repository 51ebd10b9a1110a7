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

    /// The JSON request body.
    public var body: JSONValue {
        var fields = extraBody
        fields["model"] = .string(model)
        fields["max_tokens"] = .int(maxTokens)
        fields["messages"] = .array(messages.map(\.json))
        if !system.isEmpty { fields["system"] = .array(system.map { ContentBlock.text($0).json }) }
        if !tools.isEmpty { fields["tools"] = .array(tools) }
        if let toolChoice { fields["tool_choice"] = toolChoice }
        if let thinking { fields["thinking"] = thinking }
        if let outputConfig { fields["output_config"] = outputConfig }
        if let temperature { fields["temperature"] = .double(temperature) }
        if !stopSequences.isEmpty { fields["stop_sequences"] = .array(stopSequences.map(JSONValue.string)) }
        if stream { fields["stream"] = true }
        return .object(fields)
    }
}
