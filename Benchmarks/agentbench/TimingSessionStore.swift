import AgentCore
import AgentTesting

/// A `SessionStore` that forwards to another and times every `commit`, so a benchmark can report
/// commit latency as the session service sees it (queueing for the group commit included).
final class TimingSessionStore: ForwardingSessionStore {
    let base: any SessionStore
    /// Duration of each `commit` call, in milliseconds.
    let commitLatency = LatencySamples()

    init(_ base: any SessionStore) { self.base = base }

    func commit(_ write: SessionWrite) async throws -> [SessionEvent] {
        let start = nowNanoseconds()
        defer { commitLatency.record(since: start) }
        return try await base.commit(write)
    }
}
