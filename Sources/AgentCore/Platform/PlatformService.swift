import Foundation
import Synchronization

/// Seed 003's agent platform: agents, uploaded versions and their builds, executions and logs,
/// each owned by a user and invisible to others (404), all run contained.
///
/// ```swift
/// let platform = PlatformService(store: store.platform, sessions: service, sandbox: Sandbox(scratchRoot: dir),
///                                configuration: PlatformConfiguration(storageRoot: dataDirectory + "/storage"))
/// try await platform.start()                          // re-queues builds a restart interrupted
/// let agent = try await platform.createAgent(for: caller, name: "my-agent", description: nil)
/// let version = try await platform.upload(for: caller, agentID: agent.id, file: received, filename: "a.tar.gz")
/// let run = try await platform.execute(for: caller, agentID: agent.id, payload: ["input": "hi"])
/// ```
public final class PlatformService: Sendable {
    public let configuration: PlatformConfiguration
    let store: any PlatformStore
    let sessions: SessionService?
    let sandbox: Sandbox
    let paths: PlatformPaths
    let now: @Sendable () -> Double
    /// Executions in flight, by id: the task running each, so `cancel` can end it.
    let running = Mutex<[Int: RunningExecution]>([:])
    let builds = Mutex<BuildQueue?>(nil)
    /// Callers waiting for a version's build to end, by version id.
    let buildWaiters = Mutex<[Int: [AsyncStream<Void>.Continuation]]>([:])

    /// - Parameters:
    ///   - sessions: runs `framework: computer-use` agents; `nil` refuses them at execution.
    public init(store: any PlatformStore, sessions: SessionService?, sandbox: Sandbox, configuration: PlatformConfiguration,
                now: @escaping @Sendable () -> Double = WallClock.system) {
        self.store = store
        self.sessions = sessions
        self.sandbox = sandbox
        self.configuration = configuration
        self.paths = PlatformPaths(root: configuration.storageRoot)
        self.now = now
    }

    /// Which isolation executions run under (`/health` reports it).
    public var isolation: SandboxIsolation { sandbox.isolation }

    /// Prepares the storage folders, marks executions a previous agentd left running as failed, and
    /// re-queues builds it left unfinished.
    public func start() async throws {
        for folder in [paths.root, paths.incoming, paths.scratch, paths.root + "/agents"] {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
        }
        _ = try await store.failUnfinishedExecutions(message: "agentd restarted while the execution was running", at: now())
        let queue = BuildQueue(concurrency: configuration.workerConcurrency) { [self] id in await self.runBuild(id) }
        builds.withLock { $0 = queue }
        for version in try await store.unfinishedVersions() { await queue.enqueue(version.id) }
    }

    /// Cancels executions in flight and waits for builds in progress to end.
    public func shutdown() async {
        let tasks = running.withLock { $0.values.map(\.task) }
        for task in tasks { task.cancel() }
        for task in tasks { _ = await task.value }
        let queue = builds.withLock { queue in defer { queue = nil }; return queue }
        await queue?.stop()
    }

    // MARK: - Agents

    /// Longest agent name and description accepted, in bytes.
    static let maxNameBytes = 200
    static let maxDescriptionBytes = 10_000

    public func createAgent(for principal: Principal, name: String, description: String?) async throws -> PlatformAgent {
        try Self.validate(name: name, description: description)
        return try await store.insertAgent(userID: principal.userID, name: name, description: description, createdAt: now())
    }

    /// The caller's agents (every agent for an admin), by id.
    public func agents(for principal: Principal, skip: Int, limit: Int) async throws -> [PlatformAgent] {
        try Self.validatePage(skip: skip, limit: limit)
        return try await store.agents(userID: principal.isAdmin ? nil : principal.userID, skip: skip, limit: limit)
    }

    /// One of the caller's agents; `notFound("Agent not found")` for a missing one and another user's alike.
    public func agent(for principal: Principal, id: Int) async throws -> PlatformAgent {
        guard let agent = try await store.agent(id: id), principal.isAdmin || agent.userID == principal.userID else {
            throw AccountError.notFound("Agent not found")
        }
        return agent
    }

    public func updateAgent(for principal: Principal, id: Int, _ changes: AgentChanges) async throws -> PlatformAgent {
        _ = try await agent(for: principal, id: id)
        if let name = changes.name { try Self.validate(name: name, description: nil) }
        if let description = changes.description { try Self.validate(name: "x", description: description) }
        if let status = changes.status, status != .archived {
            // Only archiving is the client's to set; anything else follows the builds.
            guard let current = try await store.agent(id: id), current.status == .archived else {
                throw AccountError.badRequest("status may only be set to archived (or back from archived)")
            }
        }
        guard let agent = try await store.updateAgent(id: id, changes, at: now()) else { throw AccountError.notFound("Agent not found") }
        return agent
    }

    /// Deletes the agent, its versions, executions, logs and files; running executions are cancelled first.
    public func deleteAgent(for principal: Principal, id: Int) async throws {
        _ = try await agent(for: principal, id: id)
        let tasks = running.withLock { table in table.values.filter { $0.agentID == id }.map(\.task) }
        for task in tasks { task.cancel() }
        for task in tasks { _ = await task.value }
        guard try await store.deleteAgent(id: id) else { throw AccountError.notFound("Agent not found") }
        try? FileManager.default.removeItem(atPath: paths.agentDirectory(id))
    }

    static func validate(name: String, description: String?) throws(AccountError) {
        guard !name.trimmingCharacters(in: .whitespaces).isEmpty, name.utf8.count <= maxNameBytes else {
            throw .badRequest("name must be 1 to \(maxNameBytes) bytes")
        }
        if let description, description.utf8.count > maxDescriptionBytes {
            throw .badRequest("description must be at most \(maxDescriptionBytes) bytes")
        }
    }

    /// seed 003 lists: `skip` ≥ 0, `limit` 1–1000.
    static func validatePage(skip: Int, limit: Int) throws(AccountError) {
        guard skip >= 0 else { throw .badRequest("skip must be 0 or more") }
        guard (1...1000).contains(limit) else { throw .badRequest("limit must be between 1 and 1000") }
    }
}

/// An execution in flight: whose agent it runs, and the task running it.
struct RunningExecution: Sendable {
    let agentID: Int
    let task: Task<ExecutionResult, Never>
}
