import AgentCore
import AgentTesting
import Synchronization

/// A store whose commits can be made to fail, standing in for a full or broken disk.
final class FlakyStore: ForwardingSessionStore {
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
}
