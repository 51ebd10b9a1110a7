/// How much thinking the model may do.
public enum ThinkingMode: Sendable, Hashable {
    case off
    /// Extended thinking with a token budget (≥ 1024 and below `max_tokens`).
    case extended(budgetTokens: Int)
    /// Adaptive thinking with an effort level: `low`, `medium`, `high` or `max`.
    case adaptive(effort: String)
}

/// Limits that end a run.
public struct AgentLimits: Sendable, Hashable {
    /// Most model turns in one run; `nil` for no limit.
    public var maxSteps: Int?
    /// Most wall-clock seconds for one run; `nil` for no limit.
    public var timeout: Double?
    /// Most tokens (all input kinds plus output) for one run; `nil` for no limit.
    public var tokenBudget: Int?

    public init(maxSteps: Int? = 100, timeout: Double? = nil, tokenBudget: Int? = nil) {
        self.maxSteps = maxSteps
        self.timeout = timeout
        self.tokenBudget = tokenBudget
    }
}

/// Everything that shapes an agent's requests and run.
public struct AgentConfiguration: Sendable {
    /// The model id; `ModelCatalog.defaultModel` unless set.
    public var model: String
    /// `max_tokens` per reply; the model profile's default when `nil`.
    public var maxTokens: Int?
    /// Replaces the default system prompt when set.
    public var systemPrompt: String?
    /// Appended to the system prompt after a space (the reference demo's user suffix).
    public var systemPromptSuffix: String?
    public var thinking: ThinkingMode
    /// Cache breakpoints on the system prompt and the three newest user turns (reference §6.5).
    public var promptCaching: Bool
    /// Keep only this many most recent screenshots in the conversation; `nil` means 0 (keep all)
    /// when caching is on and 3 when it is off, as the reference demo does.
    public var onlyMostRecentImages: Int?
    /// Extra `anthropic-beta` flags.
    public var betas: [String]
    public var limits: AgentLimits
    /// The same call with the same result this many times in a row ends the run as `stalled`.
    public var stallThreshold: Int
    /// Times the loop retries a turn whose stream broke after it started (no tool has run then).
    public var turnRetries: Int
    /// The tool context: session id, working directory, environment for child processes.
    public var toolContext: ToolContext
    /// The model table used for defaults.
    public var catalog: ModelCatalog
    /// Tool types and beta flag to use instead of the catalog's choice for the model.
    public var toolVersions: ToolVersions?
    /// Where tool images (screenshots) are kept by hash; events reference them.
    public var imageStore: (any ImageStore)?

    public init(
        model: String = ModelCatalog.defaultModel, maxTokens: Int? = nil, systemPrompt: String? = nil,
        systemPromptSuffix: String? = nil, thinking: ThinkingMode = .off, promptCaching: Bool = true,
        onlyMostRecentImages: Int? = nil, betas: [String] = [], limits: AgentLimits = AgentLimits(),
        stallThreshold: Int = 5, turnRetries: Int = 2,
        toolContext: ToolContext = ToolContext(sessionID: "local", workingDirectory: "/tmp"),
        catalog: ModelCatalog = .standard, toolVersions: ToolVersions? = nil, imageStore: (any ImageStore)? = nil
    ) {
        self.model = model
        self.maxTokens = maxTokens
        self.systemPrompt = systemPrompt
        self.systemPromptSuffix = systemPromptSuffix
        self.thinking = thinking
        self.promptCaching = promptCaching
        self.onlyMostRecentImages = onlyMostRecentImages
        self.betas = betas
        self.limits = limits
        self.stallThreshold = stallThreshold
        self.turnRetries = turnRetries
        self.toolContext = toolContext
        self.catalog = catalog
        self.toolVersions = toolVersions
        self.imageStore = imageStore
    }

    /// The model's profile from the catalog.
    public var profile: ModelProfile { catalog.profile(for: model) }

    /// The tool set in force: the session's override, else the catalog's for the model.
    public var effectiveToolVersions: ToolVersions { toolVersions ?? profile.toolVersions }

    /// The `max_tokens` to send.
    public var effectiveMaxTokens: Int { maxTokens ?? profile.defaultMaxTokens }

    /// Images to keep (0 = all).
    var imagesToKeep: Int { onlyMostRecentImages ?? (promptCaching ? 0 : 3) }
}
