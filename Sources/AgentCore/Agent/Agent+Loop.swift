import Foundation

extension Agent {
    /// Runs turns until the run must end; returns why.
    /// - Parameters:
    ///   - pending: tool calls of the last assistant turn still to run before the first model call.
    ///   - completed: results already known for the other calls of that turn.
    ///   - order: the turn's tool-use ids, so results go back in call order.
    func loop(_ emit: EventEmitter, pending: [ToolCall], completed: [ContentBlock], order: [String] = []) async
        -> FinishReason
    {
        let limits = configuration.limits
        var total = Usage()
        var stall = StallGuard(threshold: configuration.stallThreshold)
        var step = 0
        if !pending.isEmpty || !completed.isEmpty {
            let (ran, _, interruption) = await runTools(pending, emit: emit, stall: &stall)
            let results = Self.ordered(completed + ran, by: order)
            let message = Message(role: .user, content: results)
            append(message)
            emit(.toolResults(message))
            if let interruption { return interruption }
        }
        while true {
            if let reason = await checkpoint(emit) { return reason }
            takeInstruction(emit)
            if let maxSteps = limits.maxSteps, step >= maxSteps {
                return FinishReason(.maxSteps, "the run reached its limit of \(maxSteps) steps")
            }
            step += 1
            emit(.turnStarted(turn: step))

            let response: MessageResponse
            do {
                response = try await callModel(makeRequest(), emit: emit)
            } catch {
                if let reason = stopReason { return reason }
                if let modelError = error as? ModelError {
                    return FinishReason(.error, "the model call failed: \(modelError)", modelError: modelError)
                }
                return FinishReason(.error, "the model call failed: \(error)")
            }

            let assistant = response.assistantMessage
            append(assistant)
            emit(.assistantMessage(assistant, stopReason: response.stopReason))
            total = total + response.usage
            emit(.usage(turn: response.usage, total: total))
            for index in response.incompleteToolUses.sorted() {
                if case .toolUse(let block) = response.content[index] {
                    let call = ToolCall(id: block.id, name: block.name, input: block.input)
                    emit(.toolCallSkipped(call, reason: "the reply reached max_tokens before this tool call was complete"))
                }
            }

            let calls = assistant.toolUses.map { ToolCall(id: $0.id, name: $0.name, input: $0.input) }
            if let budget = limits.tokenBudget, total.totalTokens >= budget {
                let reason = FinishReason(.tokenBudget, "the run used \(total.totalTokens) tokens of its \(budget) budget")
                skip(calls, because: "not run: \(reason.message)", emit: emit)
                return reason
            }
            switch response.stopReason {
            case .refusal?:
                skip(calls, because: "not run: the model refused", emit: emit)
                let explanation = response.extra["stop_details"]?["explanation"]?.stringValue
                return FinishReason(.refusal, explanation ?? "the model declined to continue")
            case .modelContextWindowExceeded?:
                skip(calls, because: "not run: the context window is full", emit: emit)
                return FinishReason(.contextWindowExceeded, "the conversation no longer fits the model's context window")
            default:
                break
            }
            if calls.isEmpty {
                switch response.stopReason {
                case .pauseTurn?: continue  // reference §2: send the paused turn back as-is to continue
                case .maxTokens?:
                    return FinishReason(.maxTokens, "the reply reached max_tokens (\(configuration.effectiveMaxTokens))")
                default:
                    return FinishReason(.endTurn, "the model ended its turn")
                }
            }

            let (results, stalled, interruption) = await runTools(calls, emit: emit, stall: &stall)
            let toolResults = Message(role: .user, content: results)
            append(toolResults)
            emit(.toolResults(toolResults))
            if let interruption { return interruption }
            if stalled {
                return FinishReason(
                    .stalled, "the same tool call returned the same result \(configuration.stallThreshold) times in a row")
            }
        }
    }

    /// `tool_result` blocks sorted by the position of their tool-use id in `order`.
    static func ordered(_ results: [ContentBlock], by order: [String]) -> [ContentBlock] {
        func position(_ block: ContentBlock) -> Int {
            guard case .toolResult(let result) = block else { return order.count }
            return order.firstIndex(of: result.toolUseID) ?? order.count
        }
        return results.enumerated().sorted { (position($0.element), $0.offset) < (position($1.element), $1.offset) }
            .map(\.element)
    }

    /// Answers calls that will not run with error results, so every `tool_use` keeps its `tool_result`.
    func skip(_ calls: [ToolCall], because reason: String, emit: EventEmitter) {
        guard !calls.isEmpty else { return }
        let results = calls.map { call -> ContentBlock in
            emit(.toolCallSkipped(call, reason: reason))
            return .toolResult(ToolResultBlock(toolUseID: call.id, content: [.text(reason)], isError: true))
        }
        let message = Message(role: .user, content: results)
        append(message)
        emit(.toolResults(message))
    }

    /// One model call, retrying the whole turn when a started stream breaks (no tool has run yet).
    func callModel(_ request: MessageRequest, emit: EventEmitter) async throws -> MessageResponse {
        var retries = 0
        while true {
            do {
                for try await event in model.send(request) {
                    switch event {
                    case .textDelta(_, let text): emit(.textDelta(text))
                    case .thinkingDelta(_, let text): emit(.thinkingDelta(text))
                    case .retrying(let notice): emit(.retrying(notice))
                    case .toolUseStarted: break
                    case .completed(let response): return response
                    }
                }
                try Task.checkCancellation()
                throw ModelError(kind: .streamInterrupted, message: "the model stream ended without a reply")
            } catch let error as ModelError
                where error.isTransient && (error.duringStream || error.kind == .streamInterrupted)
                && retries < configuration.turnRetries
            {
                // reference §3.2 edge case 3: neither SDK retries a consumed stream; the loop may retry
                // the turn, throwing the partial output away.
                let delay = min(0.5 * pow(2, Double(retries)), 8) * (1 - 0.25 * Double.random(in: 0..<1))
                retries += 1
                emit(.retrying(RetryNotice(
                    attempt: retries, reason: "\(error.kind.rawValue): \(error.message)", status: error.status,
                    delay: delay, nextAttemptAt: Date().timeIntervalSince1970 + delay)))
                try await Task.sleep(for: .seconds(delay))
            }
        }
    }
}
