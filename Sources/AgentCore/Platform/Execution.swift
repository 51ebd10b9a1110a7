/// One run of an agent version (seed 003's `Execution`).
public struct Execution: Sendable, Hashable {
    /// seed 003: `"pending" | "running" | "completed" | "failed" | "cancelled"`.
    public enum Status: String, Sendable, Hashable, CaseIterable {
        case pending, running, completed, failed, cancelled

        /// Whether the execution has ended (and will not change again).
        public var isFinal: Bool { self == .completed || self == .failed || self == .cancelled }
    }

    public var id: Int
    public var agentVersionID: Int
    public var userID: Int
    public var status: Status
    public var inputData: JSONValue?
    public var outputData: JSONValue?
    public var errorMessage: String?
    /// The captured stdout and stderr (capped).
    public var logs: String?
    /// For computer-use agents: the agentd session that ran it.
    public var sessionID: String?
    public var createdAt: Double
    public var updatedAt: Double

    public init(id: Int, agentVersionID: Int, userID: Int, status: Status = .pending, inputData: JSONValue? = nil,
                outputData: JSONValue? = nil, errorMessage: String? = nil, logs: String? = nil, sessionID: String? = nil,
                createdAt: Double, updatedAt: Double) {
        self.id = id
        self.agentVersionID = agentVersionID
        self.userID = userID
        self.status = status
        self.inputData = inputData
        self.outputData = outputData
        self.errorMessage = errorMessage
        self.logs = logs
        self.sessionID = sessionID
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}

/// What an ended execution writes back.
public struct ExecutionResult: Sendable, Hashable {
    public var status: Execution.Status
    public var outputData: JSONValue?
    public var errorMessage: String?
    public var logs: String?
    public var sessionID: String?
    /// The exception's traceback, for the ERROR log entry (not stored on the execution).
    public var traceback: String?

    public init(status: Execution.Status, outputData: JSONValue? = nil, errorMessage: String? = nil,
                logs: String? = nil, sessionID: String? = nil, traceback: String? = nil) {
        self.traceback = traceback
        self.status = status
        self.outputData = outputData
        self.errorMessage = errorMessage
        self.logs = logs
        self.sessionID = sessionID
    }
}
