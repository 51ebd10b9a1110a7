/// What agentd knows about one model family: its tool set, output limits and thinking modes.
public struct ModelProfile: Sendable, Hashable {
    /// How a model can think.
    public enum ThinkingSupport: String, Sendable, Hashable {
        /// No extended thinking.
        case none
        /// `{"type":"enabled","budget_tokens":N}` only.
        case extended
        /// Both extended and `{"type":"adaptive"}` with an effort level.
        case extendedAndAdaptive = "extended_and_adaptive"
        /// Adaptive thinking only.
        case adaptive
    }

    /// The model id prefix this profile answers for (`claude-sonnet-4-6`); dated ids match it too.
    public var prefix: String
    public var toolVersions: ToolVersions
    /// `max_tokens` sent when the session does not set one.
    public var defaultMaxTokens: Int
    /// The most output tokens the model allows.
    public var maxOutputTokens: Int
    public var thinking: ThinkingSupport

    public init(prefix: String, toolVersions: ToolVersions, defaultMaxTokens: Int, maxOutputTokens: Int,
                thinking: ThinkingSupport) {
        self.prefix = prefix
        self.toolVersions = toolVersions
        self.defaultMaxTokens = defaultMaxTokens
        self.maxOutputTokens = maxOutputTokens
        self.thinking = thinking
    }
}
