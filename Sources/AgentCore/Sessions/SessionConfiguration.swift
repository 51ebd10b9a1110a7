/// What to do with a message sent while the session is running.
public enum MessagePolicy: String, Sendable, Hashable {
    /// Keep it and run it when the current run ends (the default).
    case enqueue
    /// Refuse it with `SessionError.busy`.
    case reject
}

/// How a session runs: model, prompt, tools, computer, limits, approvals and budget.
///
/// Fields left out of a create request come from the daemon's defaults (`SessionDefaults`).
public struct SessionConfiguration: Sendable, Hashable {
    public var model: String
    /// Appended to the system prompt (the reference demo's user suffix).
    public var systemPromptSuffix: String?
    /// Replaces agentd's system prompt entirely (`system_prompt`; seed 003's computer-use manifests
    /// give theirs verbatim); the suffix, if any, still follows it.
    public var systemPrompt: String?
    /// Tool names: `bash`, `edit`, `computer`.
    public var tools: [String]
    public var environment: SessionEnvironment
    /// Per-run limits: steps, wall clock, tokens.
    public var limits: AgentLimits
    public var approvalPolicy: ApprovalPolicy
    public var budget: SessionBudget
    public var messagePolicy: MessagePolicy
    /// `max_tokens` per reply; the model's default when `nil`.
    public var maxTokens: Int?
    /// Where the shell starts and relative editor paths lead (`working_directory`): an existing
    /// absolute directory, or `nil` for the session's own directory under the service's root
    /// (created for it and removed with it; a directory named here is never removed).
    public var workingDirectory: String?
    /// Most user messages the session accepts over its life (until its history is cleared); `nil`
    /// for no limit. Stored as `limits.max_messages`.
    public var maxMessages: Int?

    public init(
        model: String = ModelCatalog.defaultModel, systemPromptSuffix: String? = nil, tools: [String] = ["bash", "edit"],
        environment: SessionEnvironment = .none, limits: AgentLimits = AgentLimits(),
        approvalPolicy: ApprovalPolicy = .none, budget: SessionBudget = SessionBudget(),
        messagePolicy: MessagePolicy = .enqueue, maxTokens: Int? = nil, workingDirectory: String? = nil,
        maxMessages: Int? = nil
    ) {
        self.model = model
        self.systemPromptSuffix = systemPromptSuffix
        self.tools = tools
        self.environment = environment
        self.limits = limits
        self.approvalPolicy = approvalPolicy
        self.budget = budget
        self.messagePolicy = messagePolicy
        self.maxTokens = maxTokens
        self.workingDirectory = workingDirectory
        self.maxMessages = maxMessages
    }

    static let knownTools = ["bash", "edit", "computer"]

    /// Checks the fields against each other.
    public func validate() throws(SessionError) {
        if model.isEmpty { throw .invalidValue("model must not be empty") }
        for tool in tools where !Self.knownTools.contains(tool) {
            throw .invalidValue("tools: unknown tool '\(tool)' (known: \(Self.knownTools.joined(separator: ", ")))")
        }
        if tools.contains("computer"), !environment.hasScreen {
            throw .invalidValue("tools: the computer tool needs an environment with a screen (desktop or browser)")
        }
        if let maxSteps = limits.maxSteps, maxSteps < 1 { throw .invalidValue("limits.max_steps must be at least 1") }
        if let timeout = limits.timeout, !(timeout > 0) { throw .invalidValue("limits.timeout_seconds must be positive") }
        if let budget = limits.tokenBudget, budget < 1 { throw .invalidValue("limits.token_budget must be positive") }
        if let maxTokens, maxTokens < 1 { throw .invalidValue("max_tokens must be at least 1") }
        if let workingDirectory, !workingDirectory.hasPrefix("/") {
            throw .invalidValue("working_directory must be an absolute path")
        }
        if let maxMessages, maxMessages < 1 { throw .invalidValue("limits.max_messages must be at least 1") }
    }

    public var json: JSONValue {
        var o: [String: JSONValue] = [
            "model": .string(model), "tools": .array(tools.map(JSONValue.string)), "environment": environment.json,
            "approval_policy": approvalPolicy.json, "budget": budget.json, "message_policy": .string(messagePolicy.rawValue),
        ]
        var limitsObject: [String: JSONValue] = [:]
        if let v = limits.maxSteps { limitsObject["max_steps"] = .int(v) }
        if let v = limits.timeout { limitsObject["timeout_seconds"] = .double(v) }
        if let v = limits.tokenBudget { limitsObject["token_budget"] = .int(v) }
        if let v = maxMessages { limitsObject["max_messages"] = .int(v) }
        o["limits"] = .object(limitsObject)
        if let systemPromptSuffix { o["system_prompt_suffix"] = .string(systemPromptSuffix) }
        if let systemPrompt { o["system_prompt"] = .string(systemPrompt) }
        if let maxTokens { o["max_tokens"] = .int(maxTokens) }
        if let workingDirectory { o["working_directory"] = .string(workingDirectory) }
        return .object(o)
    }

    /// Reads a configuration; fields that are absent keep the values of `defaults`, and a desktop
    /// or browser environment without a size gets `desktopWidth`×`desktopHeight`.
    public init(
        json: JSONValue, defaults: SessionConfiguration = SessionConfiguration(), desktopWidth: Int = 1280,
        desktopHeight: Int = 800
    ) throws(SessionError) {
        guard json.objectValue != nil || json.isNull else { throw .invalidRequest("the session configuration must be an object") }
        self = defaults
        if let v = json["model"], !v.isNull {
            guard let s = v.stringValue else { throw .invalidRequest("model must be a string") }
            model = s
        }
        if let v = json["system_prompt_suffix"], !v.isNull {
            guard let s = v.stringValue else { throw .invalidRequest("system_prompt_suffix must be a string") }
            systemPromptSuffix = s
        }
        if let v = json["system_prompt"], !v.isNull {
            guard let s = v.stringValue else { throw .invalidRequest("system_prompt must be a string") }
            systemPrompt = s
        }
        if let v = json["environment"], !v.isNull {
            environment = try SessionEnvironment(json: v, defaultWidth: desktopWidth, defaultHeight: desktopHeight)
            if json["tools"] == nil, environment.hasScreen, !tools.contains("computer") { tools.insert("computer", at: 0) }
        }
        if let v = json["tools"], !v.isNull {
            guard let array = v.arrayValue, array.allSatisfy({ $0.stringValue != nil }) else {
                throw .invalidRequest("tools must be a list of tool names")
            }
            tools = array.compactMap(\.stringValue)
        }
        if let limitsJSON = json["limits"], !limitsJSON.isNull {
            if let v = limitsJSON["max_steps"] { limits.maxSteps = try Self.optionalInt(v, "limits.max_steps") }
            if let v = limitsJSON["timeout_seconds"] {
                limits.timeout = v.isNull ? nil : try Self.number(v, "limits.timeout_seconds")
            }
            if let v = limitsJSON["token_budget"] { limits.tokenBudget = try Self.optionalInt(v, "limits.token_budget") }
            if let v = limitsJSON["max_messages"] { maxMessages = try Self.optionalInt(v, "limits.max_messages") }
        }
        if let v = json["approval_policy"], !v.isNull { approvalPolicy = try ApprovalPolicy(json: v) }
        if let v = json["budget"], !v.isNull { budget = try SessionBudget(json: v) }
        if let v = json["message_policy"], !v.isNull {
            guard let s = v.stringValue else { throw .invalidRequest("message_policy must be a string") }
            guard let policy = MessagePolicy(rawValue: s) else {
                throw .invalidValue("message_policy must be enqueue or reject")
            }
            messagePolicy = policy
        }
        if let v = json["max_tokens"] { maxTokens = try Self.optionalInt(v, "max_tokens") }
        if let v = json["working_directory"] {
            guard v.isNull || v.stringValue != nil else { throw .invalidRequest("working_directory must be a string") }
            workingDirectory = v.stringValue
        }
        try validate()
    }

    private static func optionalInt(_ value: JSONValue, _ name: String) throws(SessionError) -> Int? {
        if value.isNull { return nil }
        guard let n = value.intValue else { throw .invalidRequest("\(name) must be an integer") }
        return n
    }

    private static func number(_ value: JSONValue, _ name: String) throws(SessionError) -> Double {
        guard let n = value.doubleValue else { throw .invalidRequest("\(name) must be a number") }
        return n
    }
}
