public import AgentCore
import Foundation

/// Writes: each runs on the writer inside its own savepoint and returns after the batch's COMMIT
/// (`commit` is in `SQLiteSessionStore+Commit.swift`).
extension SQLiteSessionStore {
    public func insert(_ session: SessionRecord) async throws {
        let arguments = session.insertArguments
        let tagsJSON = session.tagsJSON
        let states = sessionStates
        try await writer.write { db in
            guard try db.scalarInt("SELECT 1 FROM sessions WHERE id = ?", [session.id]) == nil else {
                throw SessionError.alreadyExists(id: session.id)
            }
            try db.execute(SessionRecord.insertSQL, arguments)
            try Self.replaceTags(of: session.id, with: session.tags, in: db)
            states.set(SessionStateCache.Entry(lastSeq: 0, tagsJSON: tagsJSON), for: session.id)
        }
    }

    public func delete(sessionID: String) async throws -> Bool {
        let states = sessionStates
        return try await writer.write { db in
            states.forget(sessionID)
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
        let states = sessionStates
        try await writer.write { db in
            // `last_seq` and tags stay; forgetting the entry only costs one read on the next commit.
            states.forget(sessionID)
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
