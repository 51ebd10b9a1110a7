import Foundation
import Synchronization

/// What every session of a service shares.
struct SessionContext: Sendable {
    let store: any SessionStore
    let model: any ModelClient
    let environments: any SessionEnvironmentProvider
    let configuration: SessionServiceConfiguration
    let imageStore: (any ImageStore)?
    /// Counters over every session's runs, for `/metrics`.
    let metrics: SessionMetrics
    /// Sessions that use their own model client instead of `model`.
    let modelClients: SessionModelClients

    var now: Double { Date().timeIntervalSince1970 }
}

/// One session while the service holds it: its record, its live agent and environment, and the
/// hub its events fan out from. Every change goes to the store first and to subscribers after.
actor SessionRuntime {
    nonisolated let id: String
    let context: SessionContext
    nonisolated let hub: EventHub
    /// The record as the session's actions shape it, ahead of the store while a commit is in flight.
    var record: SessionRecord
    /// The record as last stored: what readers see, so nothing is reported before it is durable.
    /// Readable without a hop onto the actor, so listing many live sessions costs no suspensions.
    nonisolated var committed: SessionRecord { committedRecord.withLock { $0 } }
    private nonisolated let committedRecord: Mutex<SessionRecord>

    var agent: Agent?
    var environment: PreparedEnvironment?
    /// The environment being prepared, so a run and a live viewer arriving together share one.
    var preparingEnvironment: Task<PreparedEnvironment, any Error>?
    var mirror: ConversationMirror?
    var runTask: Task<Void, Never>?
    var commitOrder = CommitOrder()
    /// Tool calls whose assistant turn (and its usage) is stored, so approvals may be recorded.
    var readyCalls: Set<String> = []
    var readyWaiters: [(id: String, waiter: CheckedContinuation<Void, Never>)] = []
    var approvalWaiter: CheckedContinuation<ApprovalDecision, any Error>?
    /// Decisions taken while no agent was live (after a restart), consulted when the call comes up.
    var decided: [String: ApprovalDecision] = [:]
    var latestScreenshot: ImageReference?
    /// Agent events received and not yet stored, oldest first.
    var arrived: [AgentEvent] = []
    /// Stores `arrived` while it is not empty.
    var flushTask: Task<Void, Never>?
    /// Counts runs, so a run's end does not clear a newer run.
    var runGeneration = 0
    /// Tool-use ids of the newest assistant turn, until its usage is stored.
    var pendingTurnCalls: [String] = []
    /// Set while the service shuts down: running sessions end as `interrupted`.
    var shuttingDown = false
    /// Set when the session is deleted or parked for shutdown: nothing more is stored for it.
    var frozen = false

    init(record: SessionRecord, context: SessionContext) {
        self.id = record.id
        self.record = record
        self.committedRecord = Mutex(record)
        self.context = context
        self.hub = EventHub(sessionID: record.id, lastSeq: record.lastSeq,
                            bufferLimit: context.configuration.subscriberBufferLimit)
    }

    // MARK: - Storing

    /// Stores `events` with the current record (and the other changes) in one transaction, then
    /// publishes the stored events. Commits leave in the order they were built.
    @discardableResult
    func commit(
        _ events: [NewSessionEvent], messages: [(index: Int, message: Message)] = [],
        executions: [ToolExecution] = [], usage: TurnUsage? = nil, live: [(position: Int, event: SessionEvent)] = []
    ) async throws -> [SessionEvent] {
        let now = context.now
        record.updatedAt = now
        record.lastActivityAt = now
        let write = SessionWrite(
            sessionID: id, record: record, events: events, messages: messages, toolExecutions: executions, turnUsage: usage)
        if !commitOrder.acquire() {
            await withCheckedContinuation { commitOrder.enqueue($0) }
        }
        defer { commitOrder.release() }
        let stored: [SessionEvent]
        do {
            stored = try await context.store.commit(write)
        } catch {
            // Nothing was stored: forget the changes this write carried.
            record = committed
            if let error = error as? SessionError { throw error }
            throw SessionError.storage("\(error)")
        }
        if let last = stored.last { record.lastSeq = max(record.lastSeq, last.seq) }
        var snapshot = write.record ?? record
        snapshot.lastSeq = record.lastSeq
        committedRecord.withLock { $0 = snapshot }
        hub.publish(Self.interleave(stored, live, after: snapshot.lastSeq - stored.count))
        return stored
    }

    /// Stored events with the live deltas in their places; each delta carries the `seq` of the
    /// stored event before it (`before` when there is none in this batch).
    static func interleave(_ stored: [SessionEvent], _ live: [(position: Int, event: SessionEvent)], after before: Int)
        -> [SessionEvent]
    {
        guard !live.isEmpty else { return stored }
        var all: [SessionEvent] = []
        all.reserveCapacity(stored.count + live.count)
        var next = 0
        for (position, delta) in live {
            while next < position, next < stored.count {
                all.append(stored[next])
                next += 1
            }
            var labelled = delta
            labelled.seq = next > 0 ? stored[next - 1].seq : before
            all.append(labelled)
        }
        all.append(contentsOf: stored[next...])
        return all
    }

    /// An event stamped now.
    func event(_ type: String, _ data: JSONValue = [:]) -> NewSessionEvent {
        NewSessionEvent(type: type, time: context.now, data: data)
    }

    /// Moves to `status` if the state machine allows it; the caller commits.
    func move(to status: SessionStatus, reason: String?, action: String) throws(SessionError) -> NewSessionEvent {
        guard record.status == status || record.status.canMove(to: status) else {
            throw .invalidTransition(id: id, from: record.status, action: action)
        }
        let previous = record.status
        record.status = status
        record.statusReason = reason
        var data: JSONValue = ["status": .string(status.rawValue), "previous": .string(previous.rawValue)]
        if let reason { data["reason"] = .string(reason) }
        return event("status", data)
    }

    /// Marks activity without storing an event (reads and subscriptions count as activity).
    func touch() { record.lastActivityAt = context.now }

    // MARK: - Agent

    /// The agent of this session, built from the stored conversation when there is none.
    func liveAgent() async throws -> Agent {
        if let agent { return agent }
        _ = try await preparedEnvironment()
        let messages = try await context.store.messages(sessionID: id)
        mirror = ConversationMirror(messages)
        let made = Agent(
            model: context.modelClients.client(for: id) ?? context.model, tools: environment?.tools ?? ToolSet(),
            configuration: agentConfiguration(),
            approval: SessionApprovalHook(runtime: self), messages: messages)
        agent = made
        return made
    }

    func agentConfiguration() -> AgentConfiguration {
        let config = record.configuration
        let directory = config.workingDirectory ?? workingDirectory
        if config.workingDirectory == nil {
            try? FileManager.default.createDirectory(
                atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        }
        return AgentConfiguration(
            model: config.model, maxTokens: config.maxTokens, systemPrompt: config.systemPrompt,
            systemPromptSuffix: config.systemPromptSuffix,
            limits: config.limits,
            toolContext: ToolContext(sessionID: id, workingDirectory: directory,
                                     environment: environment?.processEnvironment ?? [:]),
            catalog: context.configuration.catalog, imageStore: context.imageStore)
    }

    /// The session's own directory under the service's root (used unless its configuration names
    /// another; removed with the session).
    nonisolated var workingDirectory: String { "\(context.configuration.workingDirectoryRoot)/\(id)" }

    /// Starts a run: `start` gets the agent and returns its event stream.
    func launch(_ start: @escaping @Sendable (Agent) async -> AsyncStream<AgentEvent>) {
        runGeneration += 1
        let generation = runGeneration
        runTask = Task {
            let stream: AsyncStream<AgentEvent>
            do {
                stream = await start(try await self.liveAgent())
            } catch {
                await self.runFailed(error)
                return
            }
            for await event in stream { self.receive(event) }
            await self.drain()
            await self.runEnded(generation: generation)
        }
    }

    /// The session's environment (tools, desktop), prepared on first use; concurrent callers share
    /// one preparation.
    func preparedEnvironment() async throws -> PreparedEnvironment {
        if let environment { return environment }
        if let preparingEnvironment { return try await preparingEnvironment.value }
        let versions = record.configuration.toolVersions(catalog: context.configuration.catalog)
        let task = Task { [context, id, configuration = record.configuration] in
            do {
                return try await context.environments.prepare(sessionID: id, configuration: configuration, versions: versions)
            } catch {
                throw SessionError.environment("\(error)")
            }
        }
        preparingEnvironment = task
        defer { preparingEnvironment = nil }
        let prepared = try await task.value
        if frozen {
            // Deleted or shut down while the environment was starting: free it at once.
            await prepared.release()
            throw SessionError.notFound(id: id)
        }
        environment = prepared
        return prepared
    }

    private func runFailed(_ error: any Error) async {
        runTask = nil
        let reason = (error as? SessionError)?.description ?? "\(error)"
        if let change = try? move(to: .error, reason: reason, action: "fail") {
            _ = try? await commit([change])
        }
    }

    /// Frees the agent and the environment (desktop, shell).
    func releaseEnvironment() async {
        if let agent { await agent.stop(reason: "the session's environment is being released") }
        await runTask?.value
        agent = nil
        mirror = nil
        let environment = self.environment
        self.environment = nil
        await environment?.release()
    }
}

extension SessionConfiguration {
    /// The tool versions for this configuration's model.
    func toolVersions(catalog: ModelCatalog) -> ToolVersions { catalog.profile(for: model).toolVersions }
}
