import AgentCore

/// Column lists and row decoders for the platform tables (column order matches each list).
enum PlatformRows {
    static let agentColumns = "id, user_id, name, description, status, current_version_id, created_at, updated_at"
    static let versionColumns = """
        id, agent_id, number, status, build_log, tarball_path, entrypoint, config, framework, created_at, updated_at
        """
    static let executionColumns = """
        id, agent_version_id, user_id, status, input_data, output_data, error_message, logs, session_id, created_at, updated_at
        """
    /// `id` is selected last so the outer query of a "newest N, oldest first" read can sort by it.
    static let logColumns = "agent_id, execution_id, time, level, message, source, metadata, id"

    static func agent(_ row: Statement) -> PlatformAgent {
        PlatformAgent(id: row.int(0), userID: row.int(1), name: row.string(2), description: row.optionalString(3),
                      status: PlatformAgent.Status(rawValue: row.string(4)) ?? .failed,
                      currentVersionID: row.isNull(5) ? nil : row.int(5), createdAt: row.double(6), updatedAt: row.double(7))
    }

    static func version(_ row: Statement) -> AgentVersion {
        AgentVersion(id: row.int(0), agentID: row.int(1), version: "v\(row.int(2))",
                     status: AgentVersion.Status(rawValue: row.string(3)) ?? .failed, buildLog: row.optionalString(4),
                     tarballPath: row.optionalString(5), entrypoint: row.optionalString(6), config: row.optionalString(7),
                     framework: row.optionalString(8), createdAt: row.double(9), updatedAt: row.double(10))
    }

    static func execution(_ row: Statement) -> Execution {
        Execution(id: row.int(0), agentVersionID: row.int(1), userID: row.int(2),
                  status: Execution.Status(rawValue: row.string(3)) ?? .failed,
                  inputData: json(row.optionalString(4)), outputData: json(row.optionalString(5)),
                  errorMessage: row.optionalString(6), logs: row.optionalString(7), sessionID: row.optionalString(8),
                  createdAt: row.double(9), updatedAt: row.double(10))
    }

    static func log(_ row: Statement) -> PlatformLogEntry {
        PlatformLogEntry(agentID: row.int(0), executionID: row.isNull(1) ? nil : row.int(1), timestamp: row.double(2),
                         level: PlatformLogEntry.Level(rawValue: row.string(3)) ?? .info, message: row.string(4),
                         source: PlatformLogEntry.Source(rawValue: row.string(5)) ?? .runtime, metadata: json(row.optionalString(6)))
    }

    private static func json(_ text: String?) -> JSONValue? {
        guard let text else { return nil }
        return try? JSONValue(parsing: text)
    }
}
