import AgentCore
import Synchronization

/// A store whose commits can be made to fail, standing in for a full or broken disk.
final class FlakyStore: SessionStore {
    let base: any SessionStore
    private let failing = Mutex(false)

    init(_ base: any SessionStore) { self.base = base }

    /// Whether commits fail (with nothing stored).
    var failsCommits: Bool {
        get { failing.withLock { $0 } }
        set { failing.withLock { $0 = newValue } }
    }

    struct DiskFull: Error, CustomStringConvertible {
        var description: String { "disk I/O error (injected)" }
    }

    func commit(_ write: SessionWrite) async throws -> [SessionEvent] {
        if failsCommits { throw DiskFull() }
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
