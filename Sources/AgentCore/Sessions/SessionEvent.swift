/// One entry of a session's append-only log.
///
/// Stored events have `seq` 1, 2, 3… per session with no gap; REST history, WebSocket and SSE all
/// serve these, and a client resumes after the last `seq` it saw. Token deltas are live-only: they
/// are never stored and carry the `seq` of the last stored event before them.
public struct SessionEvent: Sendable, Hashable {
    public var sessionID: String
    public var seq: Int
    /// `user_message`, `assistant_message`, `tool_call_started`, `status`, … (see `AgentEvent.type`).
    public var type: String
    /// Seconds since 1970.
    public var time: Double
    /// The event's fields (without `type`, `seq` and `time`).
    public var data: JSONValue
    /// True for a live-only token delta.
    public var isLive: Bool

    public init(sessionID: String, seq: Int, type: String, time: Double, data: JSONValue, isLive: Bool = false) {
        self.sessionID = sessionID
        self.seq = seq
        self.type = type
        self.time = time
        self.data = data
        self.isLive = isLive
    }

    /// The event as clients see it: its data with `session_id`, `seq`, `type` and `time` added.
    public var json: JSONValue {
        var o = data.objectValue ?? ["data": data]
        o["session_id"] = .string(sessionID)
        o["seq"] = .int(seq)
        o["type"] = .string(type)
        o["time"] = .double(time)
        if isLive { o["live"] = true }
        return .object(o)
    }
}

/// An event to append; the store gives it its `seq`.
public struct NewSessionEvent: Sendable, Hashable {
    public var type: String
    public var time: Double
    public var data: JSONValue

    public init(type: String, time: Double, data: JSONValue = [:]) {
        self.type = type
        self.time = time
        self.data = data
    }
}
