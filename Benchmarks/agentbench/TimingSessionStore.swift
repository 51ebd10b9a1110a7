import AgentCore

/// A `SessionStore` that forwards to another and times every `commit`, so a benchmark can report
/// commit latency as the session service sees it (queueing for the group commit included).
final class TimingSessionStore: SessionStore {
    let base: any SessionStore
    /// Duration of each `commit` call, in milliseconds.
    let commitLatency = LatencySamples()

    init(_ base: any SessionStore) { self.base = base }

    func commit(_ write: SessionWrite) async throws -> [SessionEvent] {
        let start = nowNanoseconds()
        defer { commitLatency.record(since: start) }
        return try await base.commit(write)
    }

    func insert(_ session: SessionRecord) async throws { try await base.insert(session) }
    func session(id: String) async throws -> SessionRecord? { try await base.session(id: id) }
    func sessions(matching query: SessionQuery) async throws -> SessionPage { try await base.sessions(matching: query) }
    func events(sessionID: String, after: Int, limit: Int) async throws -> [SessionEvent] {
        try await base.events(sessionID: sessionID, after: after, limit: limit)
    }
    func messages(sessionID: String) async throws -> [Message] { try await base.messages(sessionID: sessionID) }
    func toolExecutions(sessionID: String) async throws -> [ToolExecution] { try await base.toolExecutions(sessionID: sessionID) }
    func turnUsage(sessionID: String) async throws -> [TurnUsage] { try await base.turnUsage(sessionID: sessionID) }
    func delete(sessionID: String) async throws -> Bool { try await base.delete(sessionID: sessionID) }
    func clearHistory(sessionID: String) async throws { try await base.clearHistory(sessionID: sessionID) }
}
