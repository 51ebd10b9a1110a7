import AgentCore

/// How a `ToolExecution` maps to a `tool_executions` row.
extension ToolExecution {
    static let selectColumns = """
        tool_use_id, name, input, status, output, error, system, image_sha256, image_media_type, image_byte_count,
        started_at, finished_at, duration_ms
        """

    /// Inserts or replaces the execution of one tool-use id (keeping its place in start order).
    static let upsertSQL = """
        INSERT INTO tool_executions (session_id, tool_use_id, name, input, status, output, error, system, image_sha256,
            image_media_type, image_byte_count, started_at, finished_at, duration_ms)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (session_id, tool_use_id) DO UPDATE SET name = excluded.name, input = excluded.input,
            status = excluded.status, output = excluded.output, error = excluded.error, system = excluded.system,
            image_sha256 = excluded.image_sha256, image_media_type = excluded.image_media_type,
            image_byte_count = excluded.image_byte_count, started_at = excluded.started_at,
            finished_at = excluded.finished_at, duration_ms = excluded.duration_ms
        """

    func upsertArguments(sessionID: String) -> [any SQLiteBindable] {
        [sessionID, call.id, call.name, call.input.serialized(), status.rawValue, output, error, system, image?.sha256,
         image?.mediaType, image?.byteCount, startedAt, finishedAt, durationMs]
    }

    /// Reads a row selected with `selectColumns`.
    init(row: Statement, sessionID: String) throws {
        let id = row.string(0)
        guard let status = Status(rawValue: row.string(3)), let input = try? JSONValue(parsing: row.string(2)) else {
            throw SessionError.storage("tool execution \(id) of session \(sessionID) is unreadable in the database")
        }
        let image = row.optionalString(7).map { sha256 in
            ImageReference(sha256: sha256, mediaType: row.optionalString(8) ?? "image/png", byteCount: row.int(9))
        }
        self.init(sessionID: sessionID, call: ToolCall(id: id, name: row.string(1), input: input), status: status,
                  output: row.optionalString(4), error: row.optionalString(5), system: row.optionalString(6), image: image,
                  startedAt: row.double(10), finishedAt: row.optionalDouble(11), durationMs: row.optionalDouble(12))
    }
}
