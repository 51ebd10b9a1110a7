/// Where seed 003's agents, versions, executions and logs live. AgentStore implements it on
/// SQLite; every change returns after its commit. Owner checks are the service's job: these
/// methods take ids as given.
public protocol PlatformStore: Sendable {
    func insertAgent(userID: Int, name: String, description: String?, createdAt: Double) async throws -> PlatformAgent
    func agent(id: Int) async throws -> PlatformAgent?
    /// Agents by id; only `userID`'s when given.
    func agents(userID: Int?, skip: Int, limit: Int) async throws -> [PlatformAgent]
    func updateAgent(id: Int, _ changes: AgentChanges, at time: Double) async throws -> PlatformAgent?
    /// Deletes the agent with its versions, executions and logs; false when there was none.
    func deleteAgent(id: Int) async throws -> Bool

    /// Adds the agent's next version (`v1`, `v2`, …) as `queued`, sets the agent `building`, and
    /// returns the version — in one transaction, so a poller never sees the old status after a 201.
    /// `tarballPath` is computed from the new version's number.
    func insertVersion(agentID: Int, createdAt: Double, tarballPath: @escaping @Sendable (_ number: Int) -> String)
        async throws -> AgentVersion
    func version(id: Int) async throws -> AgentVersion?
    /// An agent's versions, oldest first.
    func versions(agentID: Int) async throws -> [AgentVersion]
    /// Versions a build worker should (re)take: `queued` and `building` ones, oldest first.
    func unfinishedVersions() async throws -> [AgentVersion]
    /// Marks a version `building`.
    func markBuilding(versionID: Int, at time: Double) async throws
    /// Writes a build's outcome, and the agent's status and `current_version_id` from its latest
    /// version (an archived agent stays archived).
    func finishBuild(versionID: Int, _ result: BuildResult, at time: Double) async throws -> AgentVersion?

    func insertExecution(agentVersionID: Int, userID: Int, status: Execution.Status, inputData: JSONValue?,
                         createdAt: Double) async throws -> Execution
    func execution(id: Int) async throws -> Execution?
    /// Executions newest first; only `userID`'s when given, only of `agentVersionID` when given.
    func executions(userID: Int?, agentVersionID: Int?, skip: Int, limit: Int) async throws -> [Execution]
    /// Sets the status of an execution that has not ended; returns it, or `nil` when there is none.
    /// An execution that already ended keeps its status (a cancel after completion changes nothing).
    func updateExecutionStatus(id: Int, _ status: Execution.Status, at time: Double) async throws -> Execution?
    /// Writes an ended execution's result unless it was cancelled meanwhile; returns what is stored.
    func finishExecution(id: Int, _ result: ExecutionResult, at time: Double) async throws -> Execution?
    /// Executions left `pending` or `running` by a previous agentd become `failed` ("interrupted").
    func failUnfinishedExecutions(message: String, at time: Double) async throws -> Int

    func appendLogs(_ entries: [PlatformLogEntry]) async throws
    /// An agent's log, oldest first, at most `limit` (the newest).
    func logs(agentID: Int, limit: Int) async throws -> [PlatformLogEntry]
    func logs(executionID: Int, limit: Int) async throws -> [PlatformLogEntry]
}
