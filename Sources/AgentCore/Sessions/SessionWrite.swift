/// One atomic change to a session: everything in it is stored in one transaction, or nothing is.
///
/// The session service builds one per step of a run (a model turn, a tool result, a status change),
/// so the session record, its conversation, its tool executions and the events describing them
/// never disagree, even after a crash.
public struct SessionWrite: Sendable, Hashable {
    public var sessionID: String
    /// The session's new record (status, usage, queue, pending approval, labels). `lastSeq` is ignored.
    public var record: SessionRecord?
    /// Events to append, in order; the store numbers them.
    public var events: [NewSessionEvent]
    /// Conversation changes: the message at `index` (0-based) becomes `message`; indexes past the end append.
    public var messages: [(index: Int, message: Message)]
    /// Tool executions to insert or replace (by session and tool-use id).
    public var toolExecutions: [ToolExecution]
    /// Token use of one model turn, to add to the usage table.
    public var turnUsage: TurnUsage?

    public init(sessionID: String, record: SessionRecord? = nil, events: [NewSessionEvent] = [],
                messages: [(index: Int, message: Message)] = [], toolExecutions: [ToolExecution] = [],
                turnUsage: TurnUsage? = nil) {
        self.sessionID = sessionID
        self.record = record
        self.events = events
        self.messages = messages
        self.toolExecutions = toolExecutions
        self.turnUsage = turnUsage
    }

    public static func == (a: SessionWrite, b: SessionWrite) -> Bool {
        a.sessionID == b.sessionID && a.record == b.record && a.events == b.events
            && a.messages.map(\.index) == b.messages.map(\.index) && a.messages.map(\.message) == b.messages.map(\.message)
            && a.toolExecutions == b.toolExecutions && a.turnUsage == b.turnUsage
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(sessionID)
        hasher.combine(events)
    }
}

/// Token use and cost of one model turn.
public struct TurnUsage: Sendable, Hashable {
    public var model: String
    public var usage: Usage
    public var costUSD: Double
    /// Seconds since 1970.
    public var time: Double

    public init(model: String, usage: Usage, costUSD: Double, time: Double) {
        self.model = model
        self.usage = usage
        self.costUSD = costUSD
        self.time = time
    }
}
