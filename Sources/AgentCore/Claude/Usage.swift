/// Token counts of one response, or a running total of several.
///
/// Total input is `inputTokens + cacheCreationInputTokens + cacheReadInputTokens` (reference §2).
public struct Usage: Sendable, Hashable {
    public var inputTokens: Int
    public var outputTokens: Int
    public var cacheCreationInputTokens: Int
    public var cacheReadInputTokens: Int

    public init(inputTokens: Int = 0, outputTokens: Int = 0, cacheCreationInputTokens: Int = 0, cacheReadInputTokens: Int = 0) {
        self.inputTokens = inputTokens
        self.outputTokens = outputTokens
        self.cacheCreationInputTokens = cacheCreationInputTokens
        self.cacheReadInputTokens = cacheReadInputTokens
    }

    /// Every token billed: all input kinds plus output.
    public var totalTokens: Int { inputTokens + outputTokens + cacheCreationInputTokens + cacheReadInputTokens }

    /// Decodes a `usage` object; older responses lack the cache fields, so every field is optional.
    public init(json: JSONValue?) {
        self.init(
            inputTokens: json?["input_tokens"]?.intValue ?? 0,
            outputTokens: json?["output_tokens"]?.intValue ?? 0,
            cacheCreationInputTokens: json?["cache_creation_input_tokens"]?.intValue ?? 0,
            cacheReadInputTokens: json?["cache_read_input_tokens"]?.intValue ?? 0)
    }

    /// Overwrites the counts present in a streaming `message_delta.usage` (they are cumulative, not increments).
    public mutating func overwrite(with json: JSONValue?) {
        guard let json else { return }
        if let v = json["input_tokens"]?.intValue { inputTokens = v }
        if let v = json["output_tokens"]?.intValue { outputTokens = v }
        if let v = json["cache_creation_input_tokens"]?.intValue { cacheCreationInputTokens = v }
        if let v = json["cache_read_input_tokens"]?.intValue { cacheReadInputTokens = v }
    }

    public var json: JSONValue {
        [
            "input_tokens": .int(inputTokens), "output_tokens": .int(outputTokens),
            "cache_creation_input_tokens": .int(cacheCreationInputTokens),
            "cache_read_input_tokens": .int(cacheReadInputTokens),
        ]
    }

    public static func + (a: Usage, b: Usage) -> Usage {
        Usage(
            inputTokens: a.inputTokens + b.inputTokens, outputTokens: a.outputTokens + b.outputTokens,
            cacheCreationInputTokens: a.cacheCreationInputTokens + b.cacheCreationInputTokens,
            cacheReadInputTokens: a.cacheReadInputTokens + b.cacheReadInputTokens)
    }
}
