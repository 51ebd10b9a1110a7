extension SessionRuntime {
    /// Takes an agent event from the run's stream. It is stored (with the changes it implies) in
    /// the next commit, together with whatever else arrives while a commit is in flight; token
    /// deltas are never stored and reach subscribers in their place in the stream.
    func receive(_ agentEvent: AgentEvent) {
        guard !frozen else { return }
        context.metrics.record(agentEvent)
        arrived.append(agentEvent)
        if flushTask == nil { flushTask = Task { await self.flush() } }
    }

    /// Stores arrived events, batch after batch, until none are left.
    private func flush() async {
        while !arrived.isEmpty, !frozen {
            var batch = SessionBatch()
            var taken = 0
            for event in arrived {
                if batch.mustCloseBefore(event) { break }
                add(event, to: &batch)
                taken += 1
            }
            arrived.removeFirst(taken)
            await store(batch)
        }
        arrived = []
        flushTask = nil
    }

    /// Waits until every event received so far is stored.
    func drain() async {
        while let task = flushTask { await task.value }
    }

    /// Adds one event to `batch`, applying its changes to the record and the conversation.
    private func add(_ agentEvent: AgentEvent, to batch: inout SessionBatch) {
        var data = agentEvent.json
        data["type"] = nil
        let now = context.now
        if agentEvent.isLiveOnly {
            batch.live.append((batch.events.count, SessionEvent(
                sessionID: id, seq: 0, type: agentEvent.type, time: now, data: data, isLive: true)))
            return
        }
        switch agentEvent {
        case .userMessage(let message):
            if let change = mirror?.appendUserTurn(message) { batch.messages.append(change) }
        case .assistantMessage(let message, _):
            if let change = mirror?.append(message) { batch.messages.append(change) }
            pendingTurnCalls = message.toolUses.map(\.id)
        case .toolResults(let message):
            if let change = mirror?.append(message) { batch.messages.append(change) }
        case .usage(let turn, _):
            let cost = SessionCost.cost(of: turn, model: record.configuration.model)
            record.usage = record.usage + turn
            record.costUSD += cost
            batch.usage = TurnUsage(model: record.configuration.model, usage: turn, costUSD: cost, time: now)
            data["cost_usd"] = .double(cost)
            data["session_total"] = record.usage.json
            data["session_cost_usd"] = .double(record.costUSD)
            batch.readyCalls += pendingTurnCalls
            pendingTurnCalls = []
            batch.hardCap = record.configuration.budget.hardCapReached(record.usage, cost: record.costUSD)
        case .toolCallStarted(let call):
            batch.executions.append(ToolExecution(sessionID: id, call: call, status: .running, startedAt: now))
        case .toolCallFinished(let outcome):
            batch.executions.append(ToolExecution(
                sessionID: id, call: outcome.call, status: outcome.isError ? .failed : .succeeded, output: outcome.output,
                error: outcome.error, system: outcome.system, image: outcome.image, startedAt: now - outcome.durationMs / 1000,
                finishedAt: now, durationMs: outcome.durationMs))
            if let image = outcome.image { latestScreenshot = image }
        case .toolCallSkipped(let call, let reason):
            batch.executions.append(ToolExecution(sessionID: id, call: call, status: .skipped, error: reason, startedAt: now,
                                                  finishedAt: now, durationMs: 0))
        case .finished(let reason):
            let status = shuttingDown ? SessionStatus.interrupted : reason.sessionStatus
            let because = shuttingDown ? "the daemon stopped during the run" : reason.message
            record.pendingApproval = nil
            batch.events.append(NewSessionEvent(type: agentEvent.type, time: now, data: data))
            if let change = try? move(to: status, reason: because, action: "finish the run") { batch.events.append(change) }
            batch.finish = (status, because)
            return
        case .turnStarted, .retrying, .paused, .resumed, .textDelta, .thinkingDelta:
            break
        }
        batch.events.append(NewSessionEvent(type: agentEvent.type, time: now, data: data))
    }

    /// Commits one batch, then acts on it: approvals may go on, a spent budget stops the run.
    private func store(_ batch: SessionBatch) async {
        // Deltas before the batch's first stored event go out now; the rest follow their commit.
        let leading = batch.live.prefix { $0.position == 0 }.map { item -> SessionEvent in
            var delta = item.event
            delta.seq = committed.lastSeq
            return delta
        }
        if !leading.isEmpty { hub.publish(leading) }
        guard !batch.events.isEmpty else { return }
        do {
            try await commit(batch.events, messages: batch.messages, executions: batch.executions, usage: batch.usage,
                             live: Array(batch.live.dropFirst(leading.count)))
        } catch {
            if let finish = batch.finish {
                // The end could not be stored with its events; store the status alone if the store recovered.
                if let change = try? move(to: finish.status, reason: finish.reason, action: "finish the run") {
                    _ = try? await commit([change])
                }
            } else {
                // Nothing more may happen that cannot be stored: end the run with the reason.
                await agent?.stop(FinishReason(.error, "\(error)"))
            }
        }
        if !batch.readyCalls.isEmpty { markReady(batch.readyCalls) }
        if let hardCap = batch.hardCap, let agent { await agent.stop(FinishReason(.tokenBudget, hardCap)) }
    }

    /// After a run's stream ended: the next queued message runs if the run completed.
    func runEnded(generation: Int) async {
        // A newer run may have started as soon as this one's end was stored.
        guard generation == runGeneration else { return }
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
