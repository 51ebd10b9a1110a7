/// Where a session is in its life.
///
/// The state machine (every other move is refused with `SessionError.invalidTransition`):
///
/// | from | to |
/// |---|---|
/// | `idle` | `running`, `stopped`, `timeout` |
/// | `running` | `paused`, `awaiting_approval`, `completed`, `error`, `stopped`, `timeout`, `interrupted` |
/// | `paused` | `running`, `awaiting_approval`, and every ended status (the run may end before it reaches the pause) |
/// | `awaiting_approval` | `running`, and every ended status |
/// | `completed`, `error`, `stopped`, `timeout`, `interrupted` | `running` |
///
/// `paused` and `awaiting_approval` survive a daemon restart; a session found `running` at start-up
/// becomes `interrupted`. The ended statuses are not final: a new message (or `resume`) runs the
/// session again on the same conversation.
public enum SessionStatus: String, Sendable, Hashable, CaseIterable {
    /// Created; no run yet.
    case idle
    /// A run is in progress.
    case running
    /// The run is paused before its next action.
    case paused
    /// The run waits for a person to approve or deny a tool call.
    case awaitingApproval = "awaiting_approval"
    /// The model ended its turn.
    case completed
    /// The run failed (model error, stall, full context window).
    case error
    /// Someone stopped the run, or a step or budget limit did.
    case stopped
    /// The run's time limit passed, or the session sat inactive too long (seed 002).
    case timeout
    /// The daemon stopped while the run was in progress.
    case interrupted

    /// Whether a run is in progress (including one that is paused or waiting for approval).
    public var hasActiveRun: Bool {
        switch self {
        case .running, .paused, .awaitingApproval: true
        default: false
        }
    }

    /// Whether the session has no run in progress and can take a new one.
    public var isEnded: Bool {
        switch self {
        case .completed, .error, .stopped, .timeout, .interrupted: true
        default: false
        }
    }

    /// Whether the state machine allows moving from `self` to `next`.
    public func canMove(to next: SessionStatus) -> Bool {
        switch (self, next) {
        case (.idle, .running), (.idle, .stopped), (.idle, .timeout): true
        case (.running, let to): to != .idle && to != .running
        case (.paused, let to): to == .running || to == .awaitingApproval || to.isEnded
        case (.awaitingApproval, let to): to == .running || to.isEnded
        case (let from, .running) where from.isEnded: true
        default: false
        }
    }
}
