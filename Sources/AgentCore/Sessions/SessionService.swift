import Foundation
import Synchronization

/// Owns every session: creates, lists, runs, controls and deletes them, keeps their event logs in
/// a `SessionStore`, and fans their events out live.
///
/// Every method that changes a session returns after the change is stored, so an adapter may
/// acknowledge it at once. Call `start()` once before use: it reconciles what a previous daemon
/// left behind (sessions it was running become `interrupted`) and starts the inactivity timeout.
///
/// ```swift
/// let service = SessionService(store: store, model: AnthropicClient())
/// try await service.start()
/// let session = try await service.create(SessionRequest(name: "demo"))
/// _ = try await service.send(session.id, Message.user("List /tmp"))
/// for await item in try await service.subscribe(session.id, after: 0) { print(item) }
/// ```
public actor SessionService {
    let context: SessionContext
    private var runtimes: [String: SessionRuntime] = [:] {
        didSet { liveSessions.store(runtimes.count, ordering: .relaxed) }
    }
    private nonisolated let liveSessions = Atomic<Int>(0)
    private var sweeper: Task<Void, Never>?

    /// Creates a service.
    /// - Parameters:
    ///   - store: where sessions live.
    ///   - model: answers every session's model calls.
    ///   - environments: sets up each session's tools and desktop.
    ///   - imageStore: where screenshots go (by hash); the store itself when it is one.
    public init(
        store: any SessionStore, model: any ModelClient,
        environments: any SessionEnvironmentProvider = StandardEnvironmentProvider(),
        configuration: SessionServiceConfiguration = SessionServiceConfiguration(), imageStore: (any ImageStore)? = nil
    ) {
        context = SessionContext(
            store: store, model: model, environments: environments, configuration: configuration,
            imageStore: imageStore ?? (store as? any ImageStore), metrics: SessionMetrics(),
            modelClients: SessionModelClients())
    }

    /// The service's configuration.
    public nonisolated var configuration: SessionServiceConfiguration { context.configuration }

    /// Token, tool-call and retry counters over every run since the service was created.
    public nonisolated var metrics: SessionMetrics { context.metrics }

    // MARK: - Life cycle

    /// Reconciles the store after a previous run of the daemon and starts the inactivity sweeper.
    /// - Returns: the ids of the sessions that were `running` and are now `interrupted`.
    @discardableResult
    public func start() async throws -> [String] {
        var interrupted: [String] = []
        while true {
            let page = try await context.store.sessions(matching: SessionQuery(statuses: [.running], limit: 500))
            if page.sessions.isEmpty { break }
            for record in page.sessions {
                try await runtime(for: record).markInterrupted()
                interrupted.append(record.id)
            }
        }
        if let timeout = context.configuration.inactivityTimeout, sweeper == nil {
            let interval = min(max(timeout / 4, 0.05), 30)
            sweeper = Task { [weak self] in
                while !Task.isCancelled {
                    try? await Task.sleep(for: .seconds(interval))
                    await self?.timeOutInactiveSessions()
                }
            }
        }
        return interrupted
    }

    /// Stops every run (they become `interrupted`; paused and waiting sessions keep their status),
    /// frees every desktop and closes every subscription.
    public func shutdown() async {
        sweeper?.cancel()
        sweeper = nil
        let all = Array(runtimes.values)
        await withTaskGroup(of: Void.self) { group in
            for runtime in all { group.addTask { await runtime.shutDown() } }
        }
        runtimes = [:]
    }

    // MARK: - Sessions

    /// Creates a session in status `idle`, or `running` when the request carries a first message.
    public func create(_ request: SessionRequest) async throws -> SessionRecord {
        try request.validate()
        let now = context.now
        let settings = context.configuration
        let configuration = try SessionConfiguration(
            json: request.configuration, defaults: settings.defaults, desktopWidth: settings.desktopWidth,
            desktopHeight: settings.desktopHeight)
        let record = SessionRecord(
            id: request.id ?? Self.newID(), owner: request.owner, name: request.name, tags: request.tags,
            priority: request.priority, metadata: request.metadata, configuration: configuration, createdAt: now)
        do {
            try await context.store.insert(record)
        } catch let error as SessionError {
            throw error
        } catch {
            throw SessionError.storage("\(error)")
        }
        let runtime = runtime(for: record)
        try await runtime.commit([await runtime.event("session_created", ["configuration": configuration.json])])
        if let message = request.message { _ = try await runtime.send(message) }
        return runtime.committed
    }

    /// A page of sessions.
    public func list(_ query: SessionQuery) async throws -> SessionPage {
        try query.validate()
        // A live session's committed record is what the store holds (it is set once the store
        // acknowledges), so the stored page is already current; no per-session hop is needed.
        return try await wrapped { try await context.store.sessions(matching: query) }
    }

    /// How many sessions are in each status (statuses with none are absent).
    public func statusCounts() async throws -> [SessionStatus: Int] {
        try await wrapped { try await context.store.statusCounts() }
    }

    /// One session.
    public func session(_ id: String) async throws -> SessionRecord {
        try await runtime(id).committed
    }

    /// Changes a session's name, tags, priority or metadata.
    public func update(_ id: String, _ changes: SessionUpdate) async throws -> SessionRecord {
        try changes.validate()
        return try await runtime(id).update(changes)
    }

    /// Stops the session, frees its desktop and deletes it with all its data.
    public func delete(_ id: String) async throws {
        let runtime = try await runtime(id)
        await runtime.prepareForDeletion()
        runtimes[id] = nil
        context.modelClients.set(nil, for: id)
        _ = try await wrapped { try await context.store.delete(sessionID: id) }
        try? FileManager.default.removeItem(atPath: runtime.workingDirectory)
    }

    /// Deletes a session's conversation and events (sequence numbers go on where they were).
    public func clearHistory(_ id: String) async throws {
        try await runtime(id).clearHistory()
    }

    /// Deletes every session created more than `days` days ago that has no run in progress
    /// (only `owner`'s when given).
    /// - Returns: the ids deleted.
    public func cleanUp(olderThanDays days: Double, owner: String? = nil) async throws -> [String] {
        guard days >= 0 else { throw SessionError.invalidValue("days_old must not be negative") }
        let cutoff = context.now - days * 86_400
        let ended: [SessionStatus] = [.idle, .completed, .error, .stopped, .timeout, .interrupted]
        var deleted: [String] = []
        while true {
            let page = try await wrapped {
                try await context.store.sessions(matching: SessionQuery(
                    statuses: ended, owner: owner, createdBefore: cutoff, sort: .createdAt, descending: false, limit: 500))
            }
            if page.sessions.isEmpty { break }
            for record in page.sessions {
                try await delete(record.id)
                deleted.append(record.id)
            }
        }
        return deleted
    }

    // MARK: - Runs

    /// Sends a user message: it runs now, or waits in the queue while a run is in progress
    /// (unless the session's message policy is `reject`).
    public func send(_ id: String, _ message: Message) async throws -> SendOutcome {
        try await runtime(id).send(message)
    }

    /// Stops the run now; returns once its end is stored.
    public func stop(_ id: String) async throws -> SessionRecord {
        let runtime = try await runtime(id)
        try await runtime.stop()
        return runtime.committed
    }

    /// Pauses the run before its next action.
    public func pause(_ id: String) async throws -> SessionRecord {
        let runtime = try await runtime(id)
        try await runtime.pause()
        return runtime.committed
    }

    /// Resumes a paused or interrupted run, optionally with a new instruction for the model; an
    /// ended session with an instruction runs it as a new message.
    public func resume(_ id: String, instruction: String? = nil) async throws -> SessionRecord {
        let runtime = try await runtime(id)
        try await runtime.resume(instruction: instruction)
        return runtime.committed
    }

    /// Approves the pending tool call (`toolUseID`, when given, must match it).
    public func approve(_ id: String, toolUseID: String? = nil) async throws -> SessionRecord {
        try await runtime(id).decide(approved: true, toolUseID: toolUseID, message: nil)
    }

    /// Denies the pending tool call; the model gets `message` as the call's error result.
    public func deny(_ id: String, toolUseID: String? = nil, message: String? = nil) async throws -> SessionRecord {
        try await runtime(id).decide(approved: false, toolUseID: toolUseID, message: message)
    }

    // MARK: - History and events

    /// Stored events after `after`, oldest first.
    public func events(_ id: String, after: Int = 0, limit: Int = 500) async throws -> [SessionEvent] {
        guard (1...5000).contains(limit), after >= 0 else {
            throw SessionError.invalidValue("limit must be 1…5000 and after must not be negative")
        }
        _ = try await runtime(id)
        return try await wrapped { try await context.store.events(sessionID: id, after: after, limit: limit) }
    }

    /// The conversation in the API's form.
    public func messages(_ id: String) async throws -> [Message] {
        _ = try await runtime(id)
        return try await wrapped { try await context.store.messages(sessionID: id) }
    }

    /// The session's tool calls.
    public func toolExecutions(_ id: String) async throws -> [ToolExecution] {
        _ = try await runtime(id)
        return try await wrapped { try await context.store.toolExecutions(sessionID: id) }
    }

    /// Token use and cost per turn.
    public func usage(_ id: String) async throws -> [TurnUsage] {
        _ = try await runtime(id)
        return try await wrapped { try await context.store.turnUsage(sessionID: id) }
    }

    /// Every stored event after `after`, then live events, with no gap and no duplicate.
    public func subscribe(_ id: String, after: Int = 0) async throws -> EventSubscription {
        let runtime = try await runtime(id)
        let store = context.store
        return runtime.hub.subscribe(after: after) { after, limit in
            try await store.events(sessionID: id, after: after, limit: limit)
        }
    }

    /// Waits until the session is not running (idle, ended, paused or waiting for approval), or
    /// until `timeout` seconds pass; returns the session as it then is.
    public func waitUntilSettled(_ id: String, timeout: Double) async throws -> SessionRecord {
        let runtime = try await runtime(id)
        let current = runtime.committed
        guard current.status == .running else { return current }
        let subscription = try await subscribe(id, after: current.lastSeq)
        let deadline = Task {
            try? await Task.sleep(for: .seconds(max(0, timeout)))
            subscription.cancel()
        }
        defer { deadline.cancel() }
        for await item in subscription {
            guard case .event(let event) = item else { break }
            if event.type == "status", let status = event.data["status"]?.stringValue, status != SessionStatus.running.rawValue {
                break
            }
        }
        subscription.cancel()
        return runtime.committed
    }

    /// A screenshot by its SHA-256, if it is stored.
    public func image(sha256: String) async throws -> ToolImage? {
        try await wrapped { try await context.imageStore?.image(sha256: sha256) }
    }

    /// The session's newest screenshot, if it has one.
    public func latestScreenshot(_ id: String) async throws -> (reference: ImageReference, image: ToolImage)? {
        let executions = try await toolExecutions(id)
        guard let reference = executions.last(where: { $0.image != nil })?.image,
              let image = try await image(sha256: reference.sha256) else { return nil }
        return (reference, image)
    }

    // MARK: - Runtimes

    func runtime(_ id: String) async throws -> SessionRuntime {
        if let runtime = runtimes[id] { return runtime }
        guard let record = try await wrapped({ try await context.store.session(id: id) }) else {
            throw SessionError.notFound(id: id)
        }
        return runtime(for: record)
    }

    private func runtime(for record: SessionRecord) -> SessionRuntime {
        if let runtime = runtimes[record.id] { return runtime }
        let runtime = SessionRuntime(record: record, context: context)
        runtimes[record.id] = runtime
        return runtime
    }

    /// The number of sessions held in memory (with a record, and maybe an agent and a desktop).
    public nonisolated var liveSessionCount: Int { liveSessions.load(ordering: .relaxed) }

    private func timeOutInactiveSessions() async {
        guard let timeout = context.configuration.inactivityTimeout else { return }
        let cutoff = context.now - timeout
        for runtime in Array(runtimes.values) {
            let record = runtime.committed
            let idle = record.status == .idle || record.status == .paused || record.status == .awaitingApproval
            let holdsEnvironment = await runtime.environment != nil && !record.status.hasActiveRun
            guard record.lastActivityAt < cutoff, idle || holdsEnvironment else { continue }
            await runtime.timeOut(after: timeout)
            if !idle, await runtime.runTask == nil { runtimes[record.id] = nil }
        }
        // Sessions not held in memory (restored paused or waiting ones) time out too.
        let stale = (try? await context.store.sessions(matching: SessionQuery(
            statuses: [.idle, .paused, .awaitingApproval], sort: .lastActivityAt, descending: false, limit: 200)))?
            .sessions.filter { $0.lastActivityAt < cutoff && runtimes[$0.id] == nil } ?? []
        for record in stale { await runtime(for: record).timeOut(after: timeout) }
    }

    private func wrapped<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as SessionError {
            throw error
        } catch {
            throw SessionError.storage("\(error)")
        }
    }

    static func newID() -> String { UUID().uuidString.lowercased() }
}
