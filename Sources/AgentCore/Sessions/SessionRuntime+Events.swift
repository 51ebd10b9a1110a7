extension SessionRuntime {
    /// Stores one agent event with the changes it implies, then publishes it.
    ///
    /// Token deltas are live-only: they go to subscribers at once and are never stored.
    func handle(_ agentEvent: AgentEvent) async {
        guard !frozen else { return }
        if agentEvent.isLiveOnly {
            var data = agentEvent.json
            data["type"] = nil
            hub.publish([SessionEvent(sessionID: id, seq: record.lastSeq, type: agentEvent.type, time: context.now,
                                      data: data, isLive: true)])
            return
        }
        var data = agentEvent.json
        data["type"] = nil
        var events: [NewSessionEvent] = []
        var messages: [(index: Int, message: Message)] = []
        var executions: [ToolExecution] = []
        var usage: TurnUsage?
        var readyAfterCommit: [String] = []
        var hardCap: String?
        let now = context.now
        switch agentEvent {
        case .userMessage(let message):
            if let change = mirror?.appendUserTurn(message) { messages.append(change) }
        case .assistantMessage(let message, _):
            if let change = mirror?.append(message) { messages.append(change) }
            pendingTurnCalls = message.toolUses.map(\.id)
        case .toolResults(let message):
            if let change = mirror?.append(message) { messages.append(change) }
        case .usage(let turn, _):
            let cost = SessionCost.cost(of: turn, model: record.configuration.model)
            record.usage = record.usage + turn
            record.costUSD += cost
            usage = TurnUsage(model: record.configuration.model, usage: turn, costUSD: cost, time: now)
            data["cost_usd"] = .double(cost)
            data["session_total"] = record.usage.json
            data["session_cost_usd"] = .double(record.costUSD)
            readyAfterCommit = pendingTurnCalls
            pendingTurnCalls = []
            hardCap = record.configuration.budget.hardCapReached(record.usage, cost: record.costUSD)
        case .toolCallStarted(let call):
            executions.append(ToolExecution(sessionID: id, call: call, status: .running, startedAt: now))
        case .toolCallFinished(let outcome):
            let started = now - outcome.durationMs / 1000
            executions.append(ToolExecution(
                sessionID: id, call: outcome.call, status: outcome.isError ? .failed : .succeeded, output: outcome.output,
                error: outcome.error, system: outcome.system, image: outcome.image, startedAt: started, finishedAt: now,
                durationMs: outcome.durationMs))
            if let image = outcome.image { latestScreenshot = image }
        case .toolCallSkipped(let call, let reason):
            executions.append(ToolExecution(sessionID: id, call: call, status: .skipped, error: reason, startedAt: now,
                                            finishedAt: now, durationMs: 0))
        case .finished(let reason):
            let status = shuttingDown ? SessionStatus.interrupted : reason.sessionStatus
            let because = shuttingDown ? "the daemon stopped during the run" : reason.message
            if record.pendingApproval != nil { record.pendingApproval = nil }
            events.append(NewSessionEvent(type: agentEvent.type, time: now, data: data))
            if let change = try? move(to: status, reason: because, action: "finish the run") { events.append(change) }
            do {
                try await commit(events)
            } catch {
                // The end could not be stored with its event; store the status alone if the store recovered.
                if let change = try? move(to: status, reason: because, action: "finish the run") {
                    _ = try? await commit([change])
                }
            }
            return
        case .turnStarted, .retrying, .paused, .resumed, .textDelta, .thinkingDelta:
            break
        }
        events.insert(NewSessionEvent(type: agentEvent.type, time: now, data: data), at: 0)
        do {
            try await commit(events, messages: messages, executions: executions, usage: usage)
        } catch {
            // Nothing more may happen that cannot be stored: end the run with the reason.
            await agent?.stop(FinishReason(.error, "\(error)"))
        }
        if !readyAfterCommit.isEmpty { markReady(readyAfterCommit) }
        if let hardCap, let agent { await agent.stop(FinishReason(.tokenBudget, hardCap)) }
    }

    /// After a run's stream ended: the next queued message runs if the run completed.
    func runEnded() async {
        runTask = nil
        readyCalls = []
        guard !shuttingDown, !frozen, record.status == .completed, !record.queue.isEmpty else { return }
        _ = try? await startNextQueued()
    }

    /// Runs the oldest queued message.
    func startNextQueued() async throws {
        let next = record.queue.removeFirst()
        let change = try move(to: .running, reason: "running a queued message", action: "run a queued message")
        try await commit([change])
        launch { agent in await agent.run(next) }
    }
}
