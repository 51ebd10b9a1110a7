public import AgentCore

/// Reads: each runs on the reader connection in one snapshot.
extension SQLiteSessionStore {
    public func session(id: String) async throws -> SessionRecord? {
        let columnMemo = self.columnMemo
        return try await reader.read { db in
            try db.queryFirst("SELECT \(SessionRecord.selectColumns) FROM sessions WHERE id = ?", [id]) {
                try SessionRecord(row: $0, memo: columnMemo)
            }
        }
    }

    public func sessions(matching query: SessionQuery) async throws -> SessionPage {
        try query.validate()
        let page = query.pageSQL
        let count = query.countSQL
        let columnMemo = self.columnMemo
        // Read the generation before the query: the page is then at least as new as it says.
        let generation = writer.generation
        if let remembered = pageCache.page(for: query, generation: generation) { return remembered }
        let result = try await reader.read { db in
            let sessions = try db.query(page.sql, page.arguments, row: { try SessionRecord(row: $0, memo: columnMemo) })
            let total = try db.scalarInt(count.sql, count.arguments) ?? 0
            return SessionPage(sessions: sessions, total: total)
        }
        pageCache.remember(result, for: query, generation: generation)
        return result
    }

    /// One grouped count over the `sessions_by_status` index.
    public func statusCounts() async throws -> [SessionStatus: Int] {
        try await reader.read { db in
            var counts: [SessionStatus: Int] = [:]
            for (name, count) in try db.query("SELECT status, COUNT(*) FROM sessions GROUP BY status", row: { ($0.string(0), $0.int(1)) }) {
                if let status = SessionStatus(rawValue: name) { counts[status] = count }
            }
            return counts
        }
    }

    public func events(sessionID: String, after: Int, limit: Int) async throws -> [SessionEvent] {
        guard limit > 0 else { return [] }
        return try await reader.read { db in
            try db.query("SELECT seq, type, time, data FROM events WHERE session_id = ? AND seq > ? ORDER BY seq LIMIT ?",
                         [sessionID, after, limit]) { row in
                guard let data = try? JSONValue(parsing: row.string(3)) else {
                    throw SessionError.storage("event \(row.int(0)) of session \(sessionID) is unreadable in the database")
                }
                return SessionEvent(sessionID: sessionID, seq: row.int(0), type: row.string(1), time: row.double(2), data: data)
            }
        }
    }

    public func messages(sessionID: String) async throws -> [Message] {
        try await reader.read { db in
            var base64: [String: String] = [:]
            return try db.query("SELECT idx, content FROM messages WHERE session_id = ? ORDER BY idx", [sessionID]) { row in
                (index: row.int(0), content: row.string(1))
            }.map { stored in
                guard let json = try? JSONValue(parsing: stored.content) else {
                    throw SessionError.storage("message \(stored.index) of session \(sessionID) is unreadable in the database")
                }
                return try MessageImageCodec.restoreImages(in: json) { sha256 in
                    if let text = base64[sha256] { return text }
                    guard let bytes = try db.queryFirst("SELECT bytes FROM images WHERE sha256 = ?", [sha256], row: { $0.blob(0) })
                    else { throw SessionError.storage("image \(sha256) of session \(sessionID) is missing from the database") }
                    let text = Base64.encode(bytes)
                    base64[sha256] = text
                    return text
                }
            }
        }
    }

    public func toolExecutions(sessionID: String) async throws -> [ToolExecution] {
        try await reader.read { db in
            try db.query("""
                SELECT \(ToolExecution.selectColumns) FROM tool_executions WHERE session_id = ? ORDER BY started_at, rowid
                """, [sessionID]) { try ToolExecution(row: $0, sessionID: sessionID) }
        }
    }

    public func turnUsage(sessionID: String) async throws -> [TurnUsage] {
        try await reader.read { db in
            try db.query("""
                SELECT model, input_tokens, output_tokens, cache_creation_tokens, cache_read_tokens, cost_usd, time
                FROM usage WHERE session_id = ? ORDER BY turn
                """, [sessionID]) { row in
                TurnUsage(model: row.string(0),
                          usage: Usage(inputTokens: row.int(1), outputTokens: row.int(2), cacheCreationInputTokens: row.int(3),
                                       cacheReadInputTokens: row.int(4)),
                          costUSD: row.double(5), time: row.double(6))
            }
        }
    }
}
