public import AgentCore
import Foundation

/// `commit`: serialized in the caller's task, applied on the writer, numbered from the writer's cache.
extension SQLiteSessionStore {
    public func commit(_ write: SessionWrite) async throws -> [SessionEvent] {
        let prepared = try PreparedWrite(write)
        let now = Date().timeIntervalSince1970
        let states = sessionStates
        let firstSeq = try await writer.write { db in try Self.apply(prepared, now: now, in: db, states: states) }
        return write.events.enumerated().map { offset, event in
            SessionEvent(sessionID: write.sessionID, seq: firstSeq + offset, type: event.type, time: event.time, data: event.data)
        }
    }

    /// Stores `write` (on the writer, inside its savepoint) and returns the `seq` of its first event.
    ///
    /// The session's `last_seq` and tags come from `states` (read from the database on first use); the
    /// record's UPDATE also sets `last_seq`, so a usual write touches the session row once.
    static func apply(_ write: PreparedWrite, now: Double, in db: SQLiteConnection, states: SessionStateCache) throws -> Int {
        let sessionID = write.sessionID
        var state = try states.entry(of: sessionID, in: db)
        let firstSeq = state.lastSeq + 1
        let lastSeq = state.lastSeq + write.events.count
        if let record = write.record {
            if write.events.isEmpty {
                try db.execute(.updateRecord, record.arguments)
            } else {
                try db.execute(.updateRecordAndLastSeq, record.arguments + [lastSeq])
            }
            try requireChangedRow(sessionID, in: db, states: states)
            if record.tagsJSON != state.tagsJSON {
                try replaceTags(of: sessionID, with: record.tags, in: db)
                state.tagsJSON = record.tagsJSON
            }
        } else if !write.events.isEmpty {
            try db.execute(.updateLastSeq, [lastSeq, sessionID])
            try requireChangedRow(sessionID, in: db, states: states)
        }
        for (offset, event) in write.events.enumerated() {
            try db.execute(.insertEvent, [sessionID, firstSeq + offset, event.type, event.time, event.dataJSON])
        }
        state.lastSeq = lastSeq
        states.set(state, for: sessionID)
        if !write.messages.isEmpty { try applyMessages(write.messages, of: sessionID, now: now, in: db) }
        for arguments in write.toolExecutions { try db.execute(.upsertToolExecution, arguments) }
        if let usage = write.usage { try db.execute(.insertUsage, usage) }
        return firstSeq
    }

    /// Throws `notFound` when the last UPDATE found no session row (the cache never claims one that is gone,
    /// but a write must not number events of a missing session whatever the cache says).
    private static func requireChangedRow(_ sessionID: String, in db: SQLiteConnection, states: SessionStateCache) throws {
        guard db.changes == 0 else { return }
        states.forget(sessionID)
        throw SessionError.notFound(id: sessionID)
    }

    /// Puts each message at its index (an index past the end appends, so the conversation has no holes)
    /// and stores its images once each.
    private static func applyMessages(_ messages: [PreparedWrite.Message], of sessionID: String, now: Double,
                                      in db: SQLiteConnection) throws {
        var count = try db.scalarInt(.countMessages, [sessionID]) ?? 0
        for message in messages {
            for image in message.images {
                try db.execute(.insertImage, [image.sha256, image.mediaType, image.bytes, now])
                try db.execute(.insertImageReference, [sessionID, image.sha256])
            }
            let index = min(message.index, count)
            try db.execute(.upsertMessage, [sessionID, index, message.role, message.content])
            if index == count { count += 1 }
        }
    }
}
