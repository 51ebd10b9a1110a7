/// What happened to a message sent to a session.
public enum SendOutcome: Sendable, Hashable {
    /// A run started with it.
    case started
    /// It waits behind the current run, at this 1-based position.
    case queued(position: Int)
}

extension SessionRuntime {
    func send(_ message: Message) async throws -> SendOutcome {
        guard !message.isBlank else { throw SessionError.invalidValue("content: the message is empty") }
        try await checkMessageLimit()
        if record.status.hasActiveRun {
            if record.configuration.messagePolicy == .reject { throw SessionError.busy(id: id) }
            let limit = context.configuration.maxQueuedMessages
            guard record.queue.count < limit else { throw SessionError.queueFull(id: id, limit: limit) }
            record.queue.append(message)
            let position = record.queue.count
            try await commit([event("message_queued", [
                "position": .int(position), "message": AgentEvent.redactingImages(message).json,
            ])])
            return .queued(position: position)
        }
        let change = try move(to: .running, reason: "running a message", action: "run a message")
        try await commit([change])
        try await runOrFail { try await self.runMessage(message) }
        return .started
    }

    /// Runs `body`; when it cannot start (the environment fails), the session ends in `error`.
    private func runOrFail(_ body: () async throws -> Void) async throws {
        do {
            try await body()
        } catch {
            let reason = (error as? SessionError)?.description ?? "\(error)"
            if let change = try? move(to: .error, reason: reason, action: "fail") { _ = try? await commit([change]) }
            throw error
        }
    }

    func pause() async throws {
        guard record.status == .running, let agent, runTask != nil else {
            throw SessionError.invalidTransition(id: id, from: record.status, action: "pause")
        }
        let change = try move(to: .paused, reason: "paused by request", action: "pause")
        try await commit([change])
        await agent.pause()
    }

    func resume(instruction: String?) async throws {
        let text = instruction.flatMap { $0.isEmpty ? nil : $0 }
        switch record.status {
        case .paused where agent != nil && runTask != nil:
            let change = try move(to: .running, reason: "resumed", action: "resume")
            var data: JSONValue = [:]
            if let text { data["instruction"] = .string(text) }
            try await commit([event("resume_requested", data), change])
            await agent?.resume(instruction: text)
        case .paused, .interrupted:
            // Restored from the store: nothing is live, so continue the stored conversation.
            let parked = record.status == .paused ? try await wasParked() : false
            let change = try move(to: .running, reason: "resumed", action: "resume")
            try await commit([change])
            try await runOrFail { try await self.continueRestored(instruction: text, runUnstarted: parked) }
        case .awaitingApproval:
            throw SessionError.invalidTransition(id: id, from: record.status, action: "resume (approve or deny the pending call)")
        case .idle, .completed, .error, .stopped, .timeout:
            if let text {
                _ = try await send(Message.user(text))
            } else if !record.queue.isEmpty {
                try await startNextQueued()
            } else {
                throw SessionError.invalidTransition(id: id, from: record.status, action: "resume without an instruction")
            }
        case .running:
            throw SessionError.invalidTransition(id: id, from: record.status, action: "resume")
        }
    }

    /// Ends the run now and waits until its end is stored.
    func stop(reason: String = "stopped by request") async throws {
        if record.status.hasActiveRun, let agent, let runTask {
            await agent.stop(reason: reason)
            await runTask.value
            return
        }
        // Stopping twice would store a second `stopped` status event; it is refused like any ended status.
        guard record.status != .stopped else {
            throw SessionError.invalidTransition(id: id, from: record.status, action: "stop")
        }
        let change = try move(to: .stopped, reason: reason, action: "stop")
        record.pendingApproval = nil
        try await commit([change])
    }

    /// Ends an inactive session with status `timeout` and frees its environment (seed 002).
    func timeOut(after seconds: Double) async {
        let reason = "no activity for \(Agent.format(seconds)) s"
        if record.status == .idle || record.status == .paused || record.status == .awaitingApproval {
            if let agent, let runTask {
                await agent.stop(FinishReason(.timeout, reason))
                await runTask.value
            } else if let change = try? move(to: .timeout, reason: reason, action: "time out") {
                record.pendingApproval = nil
                _ = try? await commit([change, event("timeout", ["reason": .string(reason)])])
            }
        }
        await releaseEnvironment()
    }

    func update(_ changes: SessionUpdate) async throws -> SessionRecord {
        var fields: [String: JSONValue] = [:]
        if let name = changes.name { record.name = name; fields["name"] = .string(name) }
        if let tags = changes.tags { record.tags = tags; fields["tags"] = .array(tags.map(JSONValue.string)) }
        if let priority = changes.priority { record.priority = priority; fields["priority"] = .string(priority) }
        if let metadata = changes.metadata { record.metadata = metadata; fields["metadata"] = metadata }
        if let owner = changes.owner { record.owner = owner; fields["owner"] = .string(owner) }
        try await commit([event("session_updated", .object(fields))])
        return committed
    }

    func clearHistory() async throws {
        guard !record.status.hasActiveRun else {
            throw SessionError.invalidTransition(id: id, from: record.status, action: "clear the history of a running session")
        }
        await releaseEnvironmentKeepingDesktop()
        try await context.store.clearHistory(sessionID: id)
        record.usage = Usage()
        record.costUSD = 0
        record.queue = []
        try await commit([event("history_cleared")])
    }

    /// Forgets the agent (its conversation) but keeps the desktop and shell.
    private func releaseEnvironmentKeepingDesktop() async {
        agent = nil
        mirror = nil
    }

    /// Before deletion: stop everything and close subscriptions.
    func prepareForDeletion() async {
        frozen = true
        if let agent, runTask != nil { await agent.stop(reason: "the session was deleted") }
        await releaseEnvironment()
        hub.close(reason: "the session was deleted", kind: .sessionDeleted)
    }

    /// At shutdown: end the run as `interrupted` (paused and waiting sessions keep their status).
    func shutDown() async {
        shuttingDown = true
        let keep = record.status == .paused || record.status == .awaitingApproval
        // A paused or waiting session keeps its stored status: its live run is cancelled unstored.
        if keep { frozen = true }
        await releaseEnvironment()
        hub.close(reason: "the daemon is shutting down")
    }
}

/// Changes to a session's labels.
public struct SessionUpdate: Sendable, Hashable {
    public var name: String?
    public var tags: [String]?
    public var priority: String?
    public var metadata: JSONValue?
    /// The user the session belongs to (seed 002's `user_id`).
    public var owner: String?

    public init(name: String? = nil, tags: [String]? = nil, priority: String? = nil, metadata: JSONValue? = nil,
                owner: String? = nil) {
        self.name = name
        self.tags = tags
        self.priority = priority
        self.metadata = metadata
        self.owner = owner
    }

    public func validate() throws(SessionError) {
        if let priority, !SessionRecord.priorities.contains(priority) {
            throw .invalidValue("priority must be low, normal or high")
        }
        if let metadata, metadata.objectValue == nil { throw .invalidRequest("metadata must be an object") }
        if let name, name.utf8.count > 200 { throw .invalidValue("name must be at most 200 bytes") }
        if let owner, owner.utf8.count > 200 { throw .invalidValue("owner must be at most 200 bytes") }
        if let tags, tags.count > 50 || tags.contains(where: { $0.isEmpty || $0.utf8.count > 64 }) {
            throw .invalidValue("tags: at most 50, each 1 to 64 bytes")
        }
    }
}
