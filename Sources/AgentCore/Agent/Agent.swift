/// An agent: a conversation with a model that drives tools until the task is done.
///
/// `run(_:)` appends a user message and runs turns until the model stops asking for tools, a limit
/// is reached, or someone calls `stop()`. Progress streams as `AgentEvent`s; the last event is always
/// `.finished`. Between actions the run can be paused and resumed, and every tool call passes the
/// approval hook first.
///
/// ```swift
/// let agent = Agent(model: AnthropicClient(), tools: ToolSet([BashTool()]))
/// for await event in await agent.run("List the files in /tmp") {
///     if case .textDelta(let text) = event { print(text, terminator: "") }
/// }
/// ```
public actor Agent {
    public nonisolated let configuration: AgentConfiguration
    let model: any ModelClient
    let tools: ToolSet
    let approval: (any ApprovalHook)?

    /// The conversation so far, in the API's form (it can be sent back to the model unchanged).
    public private(set) var messages: [Message]
    /// Serialized JSON of each stored message, so requests re-encode only what changed.
    private var encodedMessages: [[UInt8]] = []

    /// Everything in a request but the conversation, built once per run so the cached prefix
    /// (system prompt, tools) stays byte-identical from turn to turn.
    private var template: MessageRequest?
    private var runTask: Task<Void, Never>?
    private var pendingStop: FinishReason?
    private var pauseRequested = false
    private var pauseWaiters: [CheckedContinuation<Void, Never>] = []
    /// Text given with `resume(instruction:)`, waiting for the next model call.
    private var pendingInstruction: String?

    /// Creates an agent.
    /// - Parameters:
    ///   - model: answers Messages requests.
    ///   - tools: what the model may call.
    ///   - configuration: model, prompt, limits and tool context.
    ///   - approval: consulted before each tool call; `nil` allows every call.
    ///   - messages: an earlier conversation to continue.
    public init(
        model: any ModelClient, tools: ToolSet, configuration: AgentConfiguration = AgentConfiguration(),
        approval: (any ApprovalHook)? = nil, messages: [Message] = []
    ) {
        self.model = model
        self.tools = tools
        self.configuration = configuration
        self.approval = approval
        self.messages = messages
        self.encodedMessages = messages.map { $0.json.serializedBytes() }
    }

    /// True while a run is in progress.
    public var isRunning: Bool { runTask != nil }

    /// Runs the agent on a task given as text.
    public func run(_ task: String) -> AsyncStream<AgentEvent> {
        run(Message.user(task))
    }

    /// Appends `message` (a user turn) and runs until the model ends its turn or a limit is reached.
    ///
    /// If a run is already in progress the stream holds a single `.finished` event of kind `.error`.
    public func run(_ message: Message) -> AsyncStream<AgentEvent> {
        start { agent, emit in
            agent.appendUserTurn(message)
            emit(.userMessage(message))
            return await agent.loop(emit, pending: [], completed: [])
        }
    }

    /// Continues the conversation as it stands, without a new user turn: a conversation restored
    /// after a pause, an approval or a restart.
    ///
    /// When the last message is an assistant turn whose tool calls have no results yet, the calls
    /// with a result in `completed` keep it and the others run (through the approval hook) before
    /// the next model call; the results go back to the model in one user turn, in call order.
    /// - Parameter completed: `tool_result` blocks already known for the last assistant turn.
    public func continueRun(completed: [ContentBlock] = []) -> AsyncStream<AgentEvent> {
        start { agent, emit in
            guard let last = agent.messages.last else {
                return FinishReason(.error, "there is no conversation to continue")
            }
            if last.role == .user { return await agent.loop(emit, pending: [], completed: []) }
            let calls = last.toolUses.map { ToolCall(id: $0.id, name: $0.name, input: $0.input) }
            guard !calls.isEmpty else { return FinishReason(.endTurn, "the model had already ended its turn") }
            let done = Set(completed.compactMap { block -> String? in
                if case .toolResult(let result) = block { return result.toolUseID }
                return nil
            })
            return await agent.loop(emit, pending: calls.filter { !done.contains($0.id) }, completed: completed,
                                    order: calls.map(\.id))
        }
    }

    /// Starts a run whose body is `body`, unless one is in progress.
    private func start(_ body: @escaping @Sendable (isolated Agent, EventEmitter) async -> FinishReason)
        -> AsyncStream<AgentEvent>
    {
        let (stream, continuation) = AsyncStream.makeStream(of: AgentEvent.self, bufferingPolicy: .unbounded)
        guard runTask == nil else {
            continuation.yield(.finished(FinishReason(.error, "a run is already in progress")))
            continuation.finish()
            return stream
        }
        pendingStop = nil
        pendingInstruction = nil
        template = makeTemplate()
        let emitter = EventEmitter(continuation)
        runTask = Task { await self.execute(emitter, body) }
        continuation.onTermination = { [weak self] termination in
            // A consumer that goes away stops the run (and aborts the HTTP transfer with it).
            if case .cancelled = termination, let self { Task { await self.stop() } }
        }
        return stream
    }

    /// Stops the run now: the model call or tool in progress is aborted, and every tool call that
    /// did not run is answered with an error result, so the conversation stays valid.
    public func stop(reason: String = "stopped by request") {
        stop(FinishReason(.stopped, reason))
    }

    /// Stops the run now, ending it with `reason` (a service's own limit, for example).
    public func stop(_ reason: FinishReason) {
        guard runTask != nil else { return }
        if pendingStop == nil { pendingStop = reason }
        wakePauseWaiters()
        runTask?.cancel()
    }

    /// Pauses the run before its next action (model call or tool call).
    public func pause() {
        guard runTask != nil else { return }
        pauseRequested = true
    }

    /// Resumes a paused run.
    /// - Parameter instruction: text for the model, added to the conversation as a user turn before
    ///   the next model call (after the results of any tool calls still to run).
    public func resume(instruction: String? = nil) {
        if let instruction, !instruction.isEmpty, runTask != nil {
            pendingInstruction = [pendingInstruction, instruction].compactMap { $0 }.joined(separator: "\n\n")
        }
        pauseRequested = false
        wakePauseWaiters()
    }

    /// Whether the run is paused or will pause before its next action.
    public var isPaused: Bool { pauseRequested }

    // MARK: - Run

    private func execute(_ emit: EventEmitter, _ body: @Sendable (isolated Agent, EventEmitter) async -> FinishReason) async {
        var watchdog: Task<Void, Never>?
        if let timeout = configuration.limits.timeout {
            watchdog = Task { [weak self] in
                try? await Task.sleep(for: .seconds(timeout))
                guard !Task.isCancelled, let self else { return }
                await self.expire(after: timeout)
            }
        }
        let reason = await body(self, emit)
        watchdog?.cancel()
        runTask = nil
        pauseRequested = false
        emit(.finished(reason))
        emit.finish()
    }

    private func expire(after seconds: Double) {
        guard runTask != nil, pendingStop == nil else { return }
        pendingStop = FinishReason(.timeout, "the run took longer than its \(Self.format(seconds)) s limit")
        wakePauseWaiters()
        runTask?.cancel()
    }

    /// The point between actions where stops and pauses take effect.
    /// - Returns: the reason to end the run, if it must end.
    func checkpoint(_ emit: EventEmitter) async -> FinishReason? {
        if let pendingStop { return pendingStop }
        if pauseRequested {
            emit(.paused)
            while pauseRequested, pendingStop == nil {
                await withCheckedContinuation { pauseWaiters.append($0) }
            }
            if let pendingStop { return pendingStop }
            emit(.resumed)
        }
        return nil
    }

    /// Adds the instruction given on resume, if any, as a user turn.
    func takeInstruction(_ emit: EventEmitter) {
        guard let text = pendingInstruction else { return }
        pendingInstruction = nil
        appendUserTurn(Message.user(text))
        emit(.userMessage(Message.user(text)))
    }

    /// The reason a cancelled operation ended the run (a stop or the timeout), if it did.
    var stopReason: FinishReason? { pendingStop }

    private func wakePauseWaiters() {
        let waiters = pauseWaiters
        pauseWaiters = []
        for waiter in waiters { waiter.resume() }
    }

    // MARK: - Conversation

    /// Appends a user turn, merging it into a trailing user turn (after a failed call) so roles alternate.
    func appendUserTurn(_ message: Message) {
        if let last = messages.last, last.role == .user, message.role == .user {
            messages[messages.count - 1].content += message.content
            encodedMessages[messages.count - 1] = messages[messages.count - 1].json.serializedBytes()
        } else {
            append(message)
        }
    }

    func append(_ message: Message) {
        messages.append(message)
        encodedMessages.append(message.json.serializedBytes())
    }

    /// The request fields that do not change during a run.
    private func makeTemplate() -> MessageRequest {
        var system = [TextBlock(text: SystemPrompt.make(configuration: configuration, toolNames: tools.names))]
        var betas: [String] = []
        if let flag = configuration.effectiveToolVersions.betaFlag, !tools.isEmpty { betas.append(flag) }
        if configuration.promptCaching { system[0].extra["cache_control"] = PromptShaper.ephemeral }
        for flag in configuration.betas where !betas.contains(flag) { betas.append(flag) }
        var request = MessageRequest(
            model: configuration.model, maxTokens: configuration.effectiveMaxTokens, messages: [],
            system: system, tools: tools.definitions, betas: betas)
        switch configuration.thinking {
        case .off: break
        case .extended(let budget):
            request.thinking = ["type": "enabled", "budget_tokens": .int(budget)]
        case .adaptive(let effort):
            request.thinking = ["type": "adaptive"]
            request.outputConfig = ["effort": .string(effort)]
        }
        return request
    }

    /// The next request: the conversation with cache breakpoints (or trimmed screenshots) applied.
    func makeRequest() -> MessageRequest {
        let keep = configuration.imagesToKeep
        if keep > 0 {
            for index in PromptShaper.trimImages(in: &messages, keep: keep) {
                encodedMessages[index] = messages[index].json.serializedBytes()
            }
        }
        var request = template ?? makeTemplate()
        request.messages = messages
        var unchanged = messages.count
        if configuration.promptCaching {
            unchanged = PromptShaper.applyCacheBreakpoints(to: &request.messages)
        }
        request.encodedMessagePrefix = Array(encodedMessages.prefix(unchanged))
        return request
    }

    static func format(_ seconds: Double) -> String {
        seconds == seconds.rounded() ? String(Int(seconds)) : String(seconds)
    }
}

/// Yields events to a run's stream.
struct EventEmitter: Sendable {
    let continuation: AsyncStream<AgentEvent>.Continuation
    init(_ continuation: AsyncStream<AgentEvent>.Continuation) { self.continuation = continuation }
    func callAsFunction(_ event: AgentEvent) { continuation.yield(event) }
    func finish() { continuation.finish() }
}
