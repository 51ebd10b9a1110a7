import AgentCore

/// What the writer knows of each session's row between writes, so a commit need not read it back:
/// the last event number (`sessions.last_seq`) and the stored tags JSON (`sessions.tags`).
///
/// Confined to the writer queue (hence `@unchecked Sendable`): only write closures and the
/// `GroupCommitWriter` touch it. An entry always equals the session's row as seen inside the open
/// transaction. Entries changed or loaded by a write whose savepoint is rolled back are dropped, and
/// a transaction that does not commit drops them all; a dropped entry is read again from the database.
final class SessionStateCache: TransactionFollower, @unchecked Sendable {
    /// A session's `last_seq` and `tags` columns.
    struct Entry: Equatable {
        var lastSeq: Int
        var tagsJSON: String
    }

    /// Sessions remembered at most; past this the cache starts over (it only saves a read).
    static let capacity = 10_000

    private var entries: [String: Entry] = [:]
    /// Sessions whose entries the current write loaded or changed.
    private var touched: [String] = []

    /// The session's entry: from the cache, else read from `db`.
    ///
    /// - Throws: `SessionError.notFound` when there is no such session; `SQLiteError` when the read fails.
    func entry(of sessionID: String, in db: SQLiteConnection) throws -> Entry {
        if let entry = entries[sessionID] { return entry }
        let row = try db.queryFirst(.sessionState, [sessionID]) { row in Entry(lastSeq: row.int(0), tagsJSON: row.string(1)) }
        guard let row else { throw SessionError.notFound(id: sessionID) }
        set(row, for: sessionID)
        return row
    }

    /// Records the session's row as the current write left it.
    func set(_ entry: Entry, for sessionID: String) {
        if entries.count >= Self.capacity, entries[sessionID] == nil { entries.removeAll() }
        entries[sessionID] = entry
        touched.append(sessionID)
    }

    /// Forgets the session (deleted, or changed in a way the cache does not follow).
    func forget(_ sessionID: String) {
        entries[sessionID] = nil
    }

    /// Whether the session has an entry (for tests).
    func contains(_ sessionID: String) -> Bool { entries[sessionID] != nil }

    // MARK: - TransactionFollower

    func savepointBegan() {
        touched.removeAll(keepingCapacity: true)
    }

    func savepointRolledBack() {
        for sessionID in touched { entries[sessionID] = nil }
        touched.removeAll(keepingCapacity: true)
    }

    func transactionLost() {
        entries.removeAll()
        touched.removeAll(keepingCapacity: true)
    }
}
