public import AgentCore

/// Seed 003's agents, versions, executions and logs in the session store's SQLite file, on its
/// writer and reader. Obtain it from `SQLiteSessionStore.platform`.
public final class SQLitePlatformStore: PlatformStore, Sendable {
    let writer: GroupCommitWriter
    let reader: SerialReader

    init(writer: GroupCommitWriter, reader: SerialReader) {
        self.writer = writer
        self.reader = reader
    }

    // MARK: - Agents

    public func insertAgent(userID: Int, name: String, description: String?, createdAt: Double) async throws -> PlatformAgent {
        try await writer.write { db in
            try db.execute("INSERT INTO agents (user_id, name, description, created_at, updated_at) VALUES (?, ?, ?, ?, ?)",
                           [userID, name, description, createdAt, createdAt])
            return PlatformAgent(id: db.lastInsertRowID, userID: userID, name: name, description: description,
                                 createdAt: createdAt, updatedAt: createdAt)
        }
    }

    public func agent(id: Int) async throws -> PlatformAgent? {
        try await reader.read { db in try Self.agent(id: id, in: db) }
    }

    public func agents(userID: Int?, skip: Int, limit: Int) async throws -> [PlatformAgent] {
        try await reader.read { db in
            if let userID {
                return try db.query("SELECT \(PlatformRows.agentColumns) FROM agents WHERE user_id = ? ORDER BY id LIMIT ? OFFSET ?",
                                    [userID, limit, skip], row: PlatformRows.agent)
            }
            return try db.query("SELECT \(PlatformRows.agentColumns) FROM agents ORDER BY id LIMIT ? OFFSET ?",
                                [limit, skip], row: PlatformRows.agent)
        }
    }

    public func updateAgent(id: Int, _ changes: AgentChanges, at time: Double) async throws -> PlatformAgent? {
        try await writer.write { db in
            guard var agent = try Self.agent(id: id, in: db) else { return nil }
            if let name = changes.name { agent.name = name }
            if let description = changes.description { agent.description = description }
            if let status = changes.status {
                // Un-archiving returns the agent to what its builds say.
                agent.status = status == .archived ? .archived : try Self.statusFromBuilds(agentID: id, in: db)
            }
            agent.updatedAt = time
            try db.execute("UPDATE agents SET name = ?, description = ?, status = ?, updated_at = ? WHERE id = ?",
                           [agent.name, agent.description, agent.status.rawValue, time, id])
            return agent
        }
    }

    public func deleteAgent(id: Int) async throws -> Bool {
        try await writer.write { db in
            try db.execute("DELETE FROM agents WHERE id = ?", [id])
            return db.changes > 0
        }
    }

    static func agent(id: Int, in db: SQLiteConnection) throws -> PlatformAgent? {
        try db.queryFirst("SELECT \(PlatformRows.agentColumns) FROM agents WHERE id = ?", [id], row: PlatformRows.agent)
    }

    /// The status an agent's builds give it: its latest version's, `ready` when an older one is
    /// ready and the latest failed, `draft` with no versions.
    static func statusFromBuilds(agentID: Int, in db: SQLiteConnection) throws -> PlatformAgent.Status {
        guard let latest = try db.scalarString("SELECT status FROM agent_versions WHERE agent_id = ? ORDER BY number DESC LIMIT 1",
                                               [agentID]) else { return .draft }
        switch AgentVersion.Status(rawValue: latest) ?? .failed {
        case .queued, .building: return .building
        case .ready: return .ready
        case .failed: return .failed
        }
    }

    // MARK: - Versions

    public func insertVersion(agentID: Int, createdAt: Double, tarballPath: @escaping @Sendable (Int) -> String)
        async throws -> AgentVersion {
        try await writer.write { db in
            guard let count = try db.scalarInt("SELECT version_count FROM agents WHERE id = ?", [agentID]) else {
                throw AccountError.notFound("Agent not found")
            }
            let number = count + 1
            let path = tarballPath(number)
            try db.execute("""
                INSERT INTO agent_versions (agent_id, number, status, tarball_path, created_at, updated_at)
                VALUES (?, ?, 'queued', ?, ?, ?)
                """, [agentID, number, path, createdAt, createdAt])
            let id = db.lastInsertRowID
            // seed 003 / issue 8: the agent is `building` before the 201, unless archived.
            try db.execute("""
                UPDATE agents SET version_count = ?, updated_at = ?,
                    status = CASE status WHEN 'archived' THEN 'archived' ELSE 'building' END
                WHERE id = ?
                """, [number, createdAt, agentID])
            return AgentVersion(id: id, agentID: agentID, version: "v\(number)", tarballPath: path,
                                createdAt: createdAt, updatedAt: createdAt)
        }
    }

    public func version(id: Int) async throws -> AgentVersion? {
        try await reader.read { db in
            try db.queryFirst("SELECT \(PlatformRows.versionColumns) FROM agent_versions WHERE id = ?", [id], row: PlatformRows.version)
        }
    }

    public func versions(agentID: Int) async throws -> [AgentVersion] {
        try await reader.read { db in
            try db.query("SELECT \(PlatformRows.versionColumns) FROM agent_versions WHERE agent_id = ? ORDER BY number",
                         [agentID], row: PlatformRows.version)
        }
    }

    public func unfinishedVersions() async throws -> [AgentVersion] {
        try await reader.read { db in
            try db.query("SELECT \(PlatformRows.versionColumns) FROM agent_versions WHERE status IN ('queued', 'building') ORDER BY id",
                         row: PlatformRows.version)
        }
    }

    public func markBuilding(versionID: Int, at time: Double) async throws {
        try await writer.write { db in
            try db.execute("UPDATE agent_versions SET status = 'building', updated_at = ? WHERE id = ?", [time, versionID])
        }
    }

    public func finishBuild(versionID: Int, _ result: BuildResult, at time: Double) async throws -> AgentVersion? {
        try await writer.write { db in
            try db.execute("""
                UPDATE agent_versions SET status = ?, build_log = ?, entrypoint = ?, config = ?, framework = ?, updated_at = ?
                WHERE id = ?
                """, [result.status.rawValue, result.log, result.entrypoint, result.config, result.framework, time, versionID])
            guard let version = try db.queryFirst("SELECT \(PlatformRows.versionColumns) FROM agent_versions WHERE id = ?",
                                                  [versionID], row: PlatformRows.version) else { return nil }
            let status = try Self.statusFromBuilds(agentID: version.agentID, in: db)
            let current = try db.scalarInt("""
                SELECT id FROM agent_versions WHERE agent_id = ? AND status = 'ready' ORDER BY number DESC LIMIT 1
                """, [version.agentID])
            // A failed latest build keeps an older ready version executable (and the agent `ready`
            // only when the latest build is ready: seed 003's status follows the latest build).
            try db.execute("""
                UPDATE agents SET current_version_id = ?, updated_at = ?,
                    status = CASE status WHEN 'archived' THEN 'archived' ELSE ? END
                WHERE id = ?
                """, [current, time, status.rawValue, version.agentID])
            return version
        }
    }

    // MARK: - Executions

    public func insertExecution(agentVersionID: Int, userID: Int, status: Execution.Status, inputData: JSONValue?,
                                createdAt: Double) async throws -> Execution {
        let input = inputData?.serialized()
        return try await writer.write { db in
            try db.execute("""
                INSERT INTO executions (agent_version_id, user_id, status, input_data, created_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?)
                """, [agentVersionID, userID, status.rawValue, input, createdAt, createdAt])
            return Execution(id: db.lastInsertRowID, agentVersionID: agentVersionID, userID: userID, status: status,
                             inputData: inputData, createdAt: createdAt, updatedAt: createdAt)
        }
    }

    public func execution(id: Int) async throws -> Execution? {
        try await reader.read { db in try Self.execution(id: id, in: db) }
    }

    static func execution(id: Int, in db: SQLiteConnection) throws -> Execution? {
        try db.queryFirst("SELECT \(PlatformRows.executionColumns) FROM executions WHERE id = ?", [id], row: PlatformRows.execution)
    }

    public func executions(userID: Int?, agentVersionID: Int?, skip: Int, limit: Int) async throws -> [Execution] {
        var conditions: [String] = []
        var arguments: [any SQLiteBindable] = []
        if let userID { conditions.append("user_id = ?"); arguments.append(userID) }
        if let agentVersionID { conditions.append("agent_version_id = ?"); arguments.append(agentVersionID) }
        let filter = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        arguments += [limit, skip]
        let sql = "SELECT \(PlatformRows.executionColumns) FROM executions \(filter) ORDER BY id DESC LIMIT ? OFFSET ?"
        let bound = arguments
        return try await reader.read { db in try db.query(sql, bound, row: PlatformRows.execution) }
    }

    public func updateExecutionStatus(id: Int, _ status: Execution.Status, at time: Double) async throws -> Execution? {
        try await writer.write { db in
            try db.execute("""
                UPDATE executions SET status = ?, updated_at = ? WHERE id = ? AND status IN ('pending', 'running')
                """, [status.rawValue, time, id])
            return try Self.execution(id: id, in: db)
        }
    }

    public func finishExecution(id: Int, _ result: ExecutionResult, at time: Double) async throws -> Execution? {
        let output = result.outputData?.serialized()
        return try await writer.write { db in
            // A cancelled execution stays cancelled, whatever its process managed to return; its
            // logs and session are still recorded.
            try db.execute("""
                UPDATE executions SET
                    status = CASE status WHEN 'cancelled' THEN 'cancelled' ELSE ? END,
                    output_data = CASE status WHEN 'cancelled' THEN output_data ELSE ? END,
                    error_message = CASE status WHEN 'cancelled' THEN COALESCE(error_message, ?) ELSE ? END,
                    logs = ?, session_id = COALESCE(?, session_id), updated_at = ?
                WHERE id = ?
                """, [result.status.rawValue, output, result.errorMessage, result.errorMessage, result.logs,
                      result.sessionID, time, id])
            return try Self.execution(id: id, in: db)
        }
    }

    public func failUnfinishedExecutions(message: String, at time: Double) async throws -> Int {
        try await writer.write { db in
            try db.execute("""
                UPDATE executions SET status = 'failed', error_message = ?, updated_at = ? WHERE status IN ('pending', 'running')
                """, [message, time])
            return db.changes
        }
    }

    // MARK: - Logs

    public func appendLogs(_ entries: [PlatformLogEntry]) async throws {
        guard !entries.isEmpty else { return }
        let rows = entries.map { entry -> [any SQLiteBindable] in
            [entry.agentID, entry.executionID, entry.timestamp, entry.level.rawValue, entry.message,
             entry.source.rawValue, entry.metadata?.serialized()]
        }
        try await writer.write { db in
            for row in rows {
                try db.execute("""
                    INSERT INTO platform_logs (agent_id, execution_id, time, level, message, source, metadata)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    """, row)
            }
        }
    }

    public func logs(agentID: Int, limit: Int) async throws -> [PlatformLogEntry] {
        try await reader.read { db in
            try db.query("""
                SELECT * FROM (SELECT \(PlatformRows.logColumns) FROM platform_logs WHERE agent_id = ? ORDER BY id DESC LIMIT ?)
                ORDER BY id
                """, [agentID, limit], row: PlatformRows.log)
        }
    }

    public func logs(executionID: Int, limit: Int) async throws -> [PlatformLogEntry] {
        try await reader.read { db in
            try db.query("""
                SELECT * FROM (SELECT \(PlatformRows.logColumns) FROM platform_logs WHERE execution_id = ? ORDER BY id DESC LIMIT ?)
                ORDER BY id
                """, [executionID, limit], row: PlatformRows.log)
        }
    }
}
