public import AgentCore
import Foundation

/// Writes: each runs on the writer inside its own savepoint and returns after the batch's COMMIT.
extension SQLiteSessionStore {
    public func insert(_ session: SessionRecord) async throws {
        let arguments = session.insertArguments
        try await writer.write { db in
            guard try db.scalarInt("SELECT 1 FROM sessions WHERE id = ?", [session.id]) == nil else {
                throw SessionError.invalidRequest("a session with id \(session.id) already exists")
            }
            try db.execute(SessionRecord.insertSQL, arguments)
            try Self.replaceTags(of: session.id, with: session.tags, in: db)
        }
    }

    public func commit(_ write: SessionWrite) async throws -> [SessionEvent] {
        if let record = write.record, record.id != write.sessionID {
            throw SessionError.invalidRequest("the record's id \(record.id) does not match the write's session \(write.sessionID)")
        }
        if let index = write.messages.first(where: { $0.index < 0 })?.index {
            throw SessionError.invalidRequest("message index \(index) is negative")
        }
        // Base64 decoding and hashing happen here, in the caller's task, not on the writer thread.
        let messages = write.messages.map { item in
            let (json, images) = MessageImageCodec.extractImages(from: item.message)
            return (index: item.index, role: item.message.role.rawValue, content: json.serialized(), images: images)
        }
        let sessionID = write.sessionID
        let record = write.record
        let newEvents = write.events
        let executions = write.toolExecutions
        let turnUsage = write.turnUsage
        let now = Date().timeIntervalSince1970
        return try await writer.write { db in
            let current = try db.queryFirst("SELECT last_seq, tags FROM sessions WHERE id = ?", [sessionID]) { row in
                (lastSeq: row.int(0), tags: row.string(1))
            }
            guard let (lastSeq, storedTags) = current else { throw SessionError.notFound(id: sessionID) }
            if let record {
                try db.execute(SessionRecord.updateSQL, record.updateArguments)
                if record.tagsJSON != storedTags { try Self.replaceTags(of: sessionID, with: record.tags, in: db) }
            }
            var events: [SessionEvent] = []
            for (offset, event) in newEvents.enumerated() {
                let stored = SessionEvent(sessionID: sessionID, seq: lastSeq + 1 + offset, type: event.type, time: event.time,
                                          data: event.data)
                try db.execute("INSERT INTO events (session_id, seq, type, time, data) VALUES (?, ?, ?, ?, ?)",
                               [sessionID, stored.seq, stored.type, stored.time, stored.data.serialized()])
                events.append(stored)
            }
            if let last = events.last {
                try db.execute("UPDATE sessions SET last_seq = ? WHERE id = ?", [last.seq, sessionID])
            }
            if !messages.isEmpty {
                var count = try db.scalarInt("SELECT COUNT(*) FROM messages WHERE session_id = ?", [sessionID]) ?? 0
                for message in messages {
                    for image in message.images {
                        try db.execute("INSERT OR IGNORE INTO images (sha256, media_type, bytes, created_at) VALUES (?, ?, ?, ?)",
                                       [image.sha256, image.mediaType, image.bytes, now])
                        try db.execute("INSERT OR IGNORE INTO image_refs (session_id, sha256) VALUES (?, ?)",
                                       [sessionID, image.sha256])
                    }
                    // An index past the end appends, so the conversation never has holes.
                    let index = min(message.index, count)
                    try db.execute("""
                        INSERT INTO messages (session_id, idx, role, content) VALUES (?, ?, ?, ?)
                        ON CONFLICT (session_id, idx) DO UPDATE SET role = excluded.role, content = excluded.content
                        """, [sessionID, index, message.role, message.content])
                    if index == count { count += 1 }
                }
            }
            for execution in executions {
                try db.execute(ToolExecution.upsertSQL, execution.upsertArguments(sessionID: sessionID))
            }
            if let turnUsage {
                try db.execute("""
                    INSERT INTO usage (session_id, turn, model, input_tokens, output_tokens, cache_creation_tokens,
                        cache_read_tokens, cost_usd, time)
                    VALUES (?, (SELECT COALESCE(MAX(turn), 0) + 1 FROM usage WHERE session_id = ?), ?, ?, ?, ?, ?, ?, ?)
                    """, [sessionID, sessionID, turnUsage.model, turnUsage.usage.inputTokens, turnUsage.usage.outputTokens,
                          turnUsage.usage.cacheCreationInputTokens, turnUsage.usage.cacheReadInputTokens,
                          turnUsage.costUSD, turnUsage.time])
            }
            return events
        }
    }

    public func delete(sessionID: String) async throws -> Bool {
        try await writer.write { db in
            let images = try Self.imagesReferenced(by: sessionID, in: db)
            // Messages, events, tool executions, usage, tags and image references go with it (ON DELETE CASCADE).
            try db.execute("DELETE FROM sessions WHERE id = ?", [sessionID])
            let deleted = db.changes > 0
            try Self.deleteUnreferenced(images, in: db)
            return deleted
        }
    }

    /// The images a session's messages and tool executions refer to.
    static func imagesReferenced(by sessionID: String, in db: SQLiteConnection) throws -> [String] {
        try db.query("""
            SELECT sha256 FROM image_refs WHERE session_id = ?
            UNION SELECT image_sha256 FROM tool_executions WHERE session_id = ? AND image_sha256 IS NOT NULL
            """, [sessionID, sessionID]) { $0.string(0) }
    }

    /// Deletes those of `images` that no session refers to any more (screenshots are private data:
    /// they go with the last session that showed them).
    static func deleteUnreferenced(_ images: [String], in db: SQLiteConnection) throws {
        for sha256 in images {
            try db.execute("""
                DELETE FROM images WHERE sha256 = ?
                    AND NOT EXISTS (SELECT 1 FROM image_refs WHERE sha256 = ?)
                    AND NOT EXISTS (SELECT 1 FROM tool_executions WHERE image_sha256 = ?)
                """, [sha256, sha256, sha256])
        }
    }

    public func clearHistory(sessionID: String) async throws {
        try await writer.write { db in
            guard try db.scalarInt("SELECT 1 FROM sessions WHERE id = ?", [sessionID]) != nil else {
                throw SessionError.notFound(id: sessionID)
            }
            let images = try Self.imagesReferenced(by: sessionID, in: db)
            // `sessions.last_seq` stays, so the next event continues the numbering.
            for table in ["messages", "events", "tool_executions", "usage", "image_refs"] {
                try db.execute("DELETE FROM \(table) WHERE session_id = ?", [sessionID])
            }
            try Self.deleteUnreferenced(images, in: db)
        }
    }

    /// Makes `session_tags` hold exactly `tags` for the session.
    static func replaceTags(of sessionID: String, with tags: [String], in db: SQLiteConnection) throws {
        try db.execute("DELETE FROM session_tags WHERE session_id = ?", [sessionID])
        for tag in tags {
            try db.execute("INSERT OR IGNORE INTO session_tags (session_id, tag) VALUES (?, ?)", [sessionID, tag])
        }
    }
}
