/// One tool call as stored: what was asked, what happened, how long it took.
public struct ToolExecution: Sendable, Hashable {
    public enum Status: String, Sendable, Hashable {
        /// Started and not finished (after a crash: state unknown).
        case running
        case succeeded
        case failed
        /// Not run (denied, stopped, limit reached).
        case skipped
        /// The daemon stopped while it ran; it is never re-run.
        case interrupted
    }

    public var sessionID: String
    public var call: ToolCall
    public var status: Status
    public var output: String?
    public var error: String?
    public var system: String?
    public var image: ImageReference?
    /// Seconds since 1970.
    public var startedAt: Double
    public var finishedAt: Double?
    public var durationMs: Double?

    public init(sessionID: String, call: ToolCall, status: Status, output: String? = nil, error: String? = nil,
                system: String? = nil, image: ImageReference? = nil, startedAt: Double, finishedAt: Double? = nil,
                durationMs: Double? = nil) {
        self.sessionID = sessionID
        self.call = call
        self.status = status
        self.output = output
        self.error = error
        self.system = system
        self.image = image
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.durationMs = durationMs
    }

    public var json: JSONValue {
        var o: [String: JSONValue] = [
            "tool_use_id": .string(call.id), "name": .string(call.name), "input": call.input,
            "status": .string(status.rawValue), "started_at": .double(startedAt),
        ]
        if let output { o["output"] = .string(output) }
        if let error { o["error"] = .string(error) }
        if let system { o["system"] = .string(system) }
        if let image { o["image"] = image.json }
        if let finishedAt { o["finished_at"] = .double(finishedAt) }
        if let durationMs { o["duration_ms"] = .double(durationMs) }
        return .object(o)
    }
}
