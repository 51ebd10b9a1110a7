public import AgentCore

/// A session store that wraps another: every method forwards to `base` unless the wrapper
/// implements it. Tests and benchmarks wrap the real store to fail or time its commits.
public protocol ForwardingSessionStore: SessionStore {
    /// The store calls go to.
    var base: any SessionStore { get }
}

extension ForwardingSessionStore {
    public func commit(_ write: SessionWrite) async throws -> [SessionEvent] { try await base.commit(write) }
    public func insert(_ session: SessionRecord) async throws { try await base.insert(session) }
    public func session(id: String) async throws -> SessionRecord? { try await base.session(id: id) }
    public func sessions(matching query: SessionQuery) async throws -> SessionPage { try await base.sessions(matching: query) }
    public func statusCounts() async throws -> [SessionStatus: Int] { try await base.statusCounts() }
    public func events(sessionID: String, after: Int, limit: Int) async throws -> [SessionEvent] {
        try await base.events(sessionID: sessionID, after: after, limit: limit)
    }
    public func messages(sessionID: String) async throws -> [Message] { try await base.messages(sessionID: sessionID) }
    public func toolExecutions(sessionID: String) async throws -> [ToolExecution] {
        try await base.toolExecutions(sessionID: sessionID)
    }
    public func turnUsage(sessionID: String) async throws -> [TurnUsage] { try await base.turnUsage(sessionID: sessionID) }
    public func delete(sessionID: String) async throws -> Bool { try await base.delete(sessionID: sessionID) }
    public func clearHistory(sessionID: String) async throws { try await base.clearHistory(sessionID: sessionID) }
}
