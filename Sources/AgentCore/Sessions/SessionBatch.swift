/// The agent events a session stores in one commit, with what they change.
///
/// While one commit is in flight, the events that arrive meanwhile gather here and go in the next
/// commit together, in order: a session makes about two commits per turn instead of one per event.
struct SessionBatch {
    var events: [NewSessionEvent] = []
    var messages: [(index: Int, message: Message)] = []
    var executions: [ToolExecution] = []
    var usage: TurnUsage?
    /// Live-only deltas, each after `position` stored events of this batch.
    var live: [(position: Int, event: SessionEvent)] = []
    /// Tool calls whose assistant turn and usage this batch stores.
    var readyCalls: [String] = []
    /// Why the session's budget is spent, when this batch's usage spends it.
    var hardCap: String?
    /// The run's end, when this batch holds it: (status, reason).
    var finish: (status: SessionStatus, reason: String)?

    /// Whether `event` must start a new batch: a batch holds at most one turn's usage, and the
    /// run's end is stored last.
    func mustCloseBefore(_ event: AgentEvent) -> Bool {
        if finish != nil { return true }
        if case .usage = event, usage != nil { return true }
        return false
    }
}
