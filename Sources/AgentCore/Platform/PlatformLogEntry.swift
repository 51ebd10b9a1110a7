/// One line of an agent's log (seed 003's `LogEntry`), from its builds or its executions.
public struct PlatformLogEntry: Sendable, Hashable {
    /// seed 003: `"INFO" | "ERROR" | "WARNING" | "DEBUG"`.
    public enum Level: String, Sendable, Hashable {
        case info = "INFO", error = "ERROR", warning = "WARNING", debug = "DEBUG"
    }

    /// seed 003: `"build" | "runtime"`.
    public enum Source: String, Sendable, Hashable {
        case build, runtime
    }

    public var agentID: Int
    public var executionID: Int?
    public var timestamp: Double
    public var level: Level
    public var message: String
    public var source: Source
    public var metadata: JSONValue?

    public init(agentID: Int, executionID: Int? = nil, timestamp: Double, level: Level, message: String,
                source: Source, metadata: JSONValue? = nil) {
        self.agentID = agentID
        self.executionID = executionID
        self.timestamp = timestamp
        self.level = level
        self.message = message
        self.source = source
        self.metadata = metadata
    }
}
