import Synchronization

/// Counters over every session the service ran since it started, for `/metrics`: model tokens by
/// kind, tool calls, and model retries. Kept in memory (they restart from zero with the daemon, as
/// Prometheus counters may); updated as each run's events arrive.
///
/// ```swift
/// let counts = service.metrics.snapshot
/// print(counts.tokens["output"] ?? 0, counts.toolCalls, counts.modelRetries)
/// ```
public final class SessionMetrics: Sendable {
    /// The counters at one instant.
    public struct Snapshot: Sendable, Hashable {
        /// Tokens by kind: `input`, `output`, `cache_creation`, `cache_read`.
        public var tokens: [String: Int] = ["input": 0, "output": 0, "cache_creation": 0, "cache_read": 0]
        /// Tool calls that finished (successfully or not).
        public var toolCalls = 0
        /// Model calls that were retried.
        public var modelRetries = 0
    }

    private let state = Mutex(Snapshot())

    public init() {}

    /// The counters now.
    public var snapshot: Snapshot { state.withLock { $0 } }

    /// Counts what `event` reports: a turn's usage, a finished tool call, or a retry.
    public func record(_ event: AgentEvent) {
        switch event {
        case .usage(let turn, _):
            state.withLock {
                $0.tokens["input", default: 0] += turn.inputTokens
                $0.tokens["output", default: 0] += turn.outputTokens
                $0.tokens["cache_creation", default: 0] += turn.cacheCreationInputTokens
                $0.tokens["cache_read", default: 0] += turn.cacheReadInputTokens
            }
        case .toolCallFinished: state.withLock { $0.toolCalls += 1 }
        case .retrying: state.withLock { $0.modelRetries += 1 }
        default: break
        }
    }
}
