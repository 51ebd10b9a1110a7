/// Where sessions live. AgentStore implements it on SQLite.
///
/// Every method that changes data returns only after the change is durable (committed), so a
/// caller may acknowledge it to a client at once ("acknowledge after commit").
public protocol SessionStore: Sendable {
    /// Stores a new session. Throws `SessionError.alreadyExists` when the id is taken.
    func insert(_ session: SessionRecord) async throws
    /// The session with this id, with its current `lastSeq`.
    func session(id: String) async throws -> SessionRecord?
    /// A page of sessions matching `query`, and how many match in all.
    func sessions(matching query: SessionQuery) async throws -> SessionPage
    /// How many sessions are in each status (statuses with none may be absent).
    func statusCounts() async throws -> [SessionStatus: Int]
    /// Applies `write` atomically and returns its events with their `seq`.
    /// Throws `SessionError.notFound` when the session does not exist.
    func commit(_ write: SessionWrite) async throws -> [SessionEvent]
    /// Stored events with `seq > after`, oldest first, at most `limit`.
    func events(sessionID: String, after: Int, limit: Int) async throws -> [SessionEvent]
    /// The conversation, in order, exactly as it was written (images included).
    func messages(sessionID: String) async throws -> [Message]
    /// Tool executions in the order they started.
    func toolExecutions(sessionID: String) async throws -> [ToolExecution]
    /// Token use per turn, oldest first.
    func turnUsage(sessionID: String) async throws -> [TurnUsage]
    /// Deletes the session and everything it owns; returns false when there was none.
    func delete(sessionID: String) async throws -> Bool
    /// Deletes the conversation, events, tool executions and usage rows but keeps the session
    /// (sequence numbers go on from where they were, so no client sees a `seq` twice).
    func clearHistory(sessionID: String) async throws
}

extension SessionStore {
    /// Counts each status with one `sessions(matching:)` call per status; stores override it with
    /// one grouped query.
    public func statusCounts() async throws -> [SessionStatus: Int] {
        var counts: [SessionStatus: Int] = [:]
        for status in SessionStatus.allCases {
            let total = try await sessions(matching: SessionQuery(statuses: [status], limit: 1)).total
            if total > 0 { counts[status] = total }
        }
        return counts
    }
}
