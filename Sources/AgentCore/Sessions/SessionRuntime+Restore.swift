extension SessionRuntime {
    /// Results for the calls of the conversation's last assistant turn that have none: stored
    /// results are rebuilt; a call that started but has no stored result gets an error saying it
    /// was interrupted (it is never run again); a call that never started runs only when
    /// `runUnstarted` (the agent was parked at a pause or an approval when the daemon stopped).
    /// - Returns: the known results, and the ids of the calls that will run.
    func restoredResults(of agent: Agent, runUnstarted: Bool) async throws -> (completed: [ContentBlock], pending: [String]) {
        guard let last = await agent.messages.last, last.role == .assistant, !last.toolUses.isEmpty else { return ([], []) }
        let executions = try await context.store.toolExecutions(sessionID: id)
        var byID: [String: ToolExecution] = [:]
        for execution in executions { byID[execution.call.id] = execution }
        var completed: [ContentBlock] = []
        var pending: [String] = []
        for use in last.toolUses {
            let call = ToolCall(id: use.id, name: use.name, input: use.input)
            switch byID[use.id]?.status {
            case .succeeded?, .failed?:
                completed.append(try await rebuiltResult(call, byID[use.id]!))
            case .skipped?:
                completed.append(Self.errorResult(call, byID[use.id]?.error ?? "not run"))
            case .running?, .interrupted?:
                completed.append(Self.errorResult(call, Self.interruptedMessage))
            case nil:
                if runUnstarted {
                    pending.append(use.id)
                } else {
                    completed.append(Self.errorResult(call, "not run: the daemon stopped before this call started"))
                }
            }
        }
        return (completed, pending)
    }

    static let interruptedMessage =
        "interrupted: the daemon stopped while this call was running; it was not run again and its effects are unknown"

    static func errorResult(_ call: ToolCall, _ text: String) -> ContentBlock {
        .toolResult(ToolResultBlock(toolUseID: call.id, content: [.text(text)], isError: true))
    }

    private func rebuiltResult(_ call: ToolCall, _ execution: ToolExecution) async throws -> ContentBlock {
        var image: ToolImage?
        var system = execution.system
        if let reference = execution.image {
            image = try await context.imageStore?.image(sha256: reference.sha256)
            if image == nil {
                system = [system, "the screenshot \(reference.sha256) is no longer stored"].compactMap { $0 }
                    .joined(separator: "; ")
            }
        }
        return Agent.resultBlock(
            for: call, output: ToolOutput(output: execution.output, error: execution.error, image: image, system: system))
    }

    /// Whether the agent was parked (at a pause or an approval) when its last events were stored,
    /// so no tool call after that point can have started.
    func wasParked() async throws -> Bool {
        let recent = try await context.store.events(sessionID: id, after: max(0, record.lastSeq - 50), limit: 50)
        let markers: Set<String> = ["paused", "approval_requested", "tool_call_started", "turn_started", "resumed"]
        guard let last = recent.last(where: { markers.contains($0.type) }) else { return false }
        return last.type == "paused" || last.type == "approval_requested"
    }

    /// Continues a conversation restored from the store (after a restart): the last turn's calls
    /// get their results, then the model is called.
    func continueRestored(instruction: String?, runUnstarted: Bool = true) async throws {
        let agent = try await liveAgent()
        let (completed, pending) = try await restoredResults(of: agent, runUnstarted: runUnstarted)
        markReady(pending)
        launch { agent in
            let stream = await agent.continueRun(completed: completed)
            if let instruction { await agent.resume(instruction: instruction) }
            return stream
        }
    }

    /// Runs `message`; on a restored conversation whose last turn has calls without results,
    /// those results (errors for anything uncertain) go first in the same user turn.
    func runMessage(_ message: Message) async throws {
        let agent = try await liveAgent()
        let (completed, _) = try await restoredResults(of: agent, runUnstarted: false)
        let turn = completed.isEmpty ? message : Message(role: .user, content: completed + message.content)
        launch { agent in await agent.run(turn) }
    }

    /// At start-up: a session left `running` by a daemon that stopped becomes `interrupted`, and
    /// its unfinished tool calls are marked so they are never re-run.
    func markInterrupted() async throws {
        let executions = try await context.store.toolExecutions(sessionID: id).filter { $0.status == .running }
            .map { execution -> ToolExecution in
                var marked = execution
                marked.status = .interrupted
                marked.error = Self.interruptedMessage
                marked.finishedAt = context.now
                return marked
            }
        let change = try move(to: .interrupted, reason: "the daemon stopped during the run", action: "interrupt")
        try await commit(
            [event("interrupted", ["reason": "daemon_restart", "last_seq": .int(record.lastSeq)]), change],
            executions: executions)
    }
}
