public import AgentCore

/// Sessions, their history and their screenshots in one SQLite file.
///
/// ```swift
/// let store = try SQLiteSessionStore.open(databaseURL: "sqlite:////var/lib/agentd/agentd.db")
/// try await store.insert(SessionRecord(id: "s1", createdAt: now))
/// let events = try await store.commit(SessionWrite(sessionID: "s1", events: [NewSessionEvent(type: "status", time: now)]))
/// ```
///
/// **Durability.** The file is in WAL mode with `synchronous=FULL`: every COMMIT syncs the WAL, so a
/// write that was acknowledged survives a crash of agentd and a power loss. Every method that changes
/// data returns only after its COMMIT ("acknowledge after commit").
///
/// **Group commit.** One writer thread owns the write connection. Writes submitted while a commit is in
/// progress wait together and go into the next transaction, one `SAVEPOINT` each, so the fsync is shared
/// by the whole batch (on this machine kind, FULL commits of one row run at ~7k/s, batches of 100 rows at
/// ~120k rows/s). A write that fails (unknown session, constraint) is rolled back to its savepoint and
/// fails alone; if the COMMIT itself fails, every write of the batch fails and nothing of it is kept.
/// Callers serialize their JSON before queueing, and the writer keeps each session's `last_seq` and
/// tags (`SessionStateCache`, never ahead of the database) so a commit does not read the session back.
///
/// **Reads** use a separate read-only connection on its own queue: in WAL mode they run beside the
/// writer and see only committed data. No SQLite call ever runs on Swift's cooperative threads.
///
/// Errors: `SessionError` for domain problems (`notFound`, `alreadyExists`, `invalidRequest`), `SQLiteError` for storage
/// failures (never carrying bound values), `MigrationError` for a database written by a newer agentd.
public final class SQLiteSessionStore: SessionStore, ImageStore, Sendable {
    /// The database file.
    public let path: String
    let writer: GroupCommitWriter
    let reader: SerialReader
    /// Each session's `last_seq` and tags as the writer last saw them (writer queue only).
    let sessionStates: SessionStateCache
    /// Decoded JSON columns of session rows, by their text (reads only).
    let columnMemo = SessionColumnMemo()
    /// List pages by query, valid while the writer's generation stands still.
    let pageCache = SessionPageCache()
    /// Users and API keys, in the same file, on the same writer and reader.
    public let accounts: SQLiteAccountStore
    /// Seed 003's agents, versions, executions and logs, in the same file, on the same writer and reader.
    public let platform: SQLitePlatformStore

    /// Opens (or creates) the database at `path` and brings its schema up to date.
    ///
    /// A missing parent directory is created with mode 0700 and a missing file with mode 0600.
    ///
    /// - Throws: `MigrationError` when the database was written by a newer agentd; `SQLiteError` when
    ///   SQLite cannot open or migrate it; `SessionError.storage` when the file cannot be created.
    public init(path: String) throws {
        try DatabaseFile.prepare(path: path)
        let writeConnection = try SQLiteConnection(path: path, mode: .writer)
        try StoreSchema.migrator.migrate(writeConnection)
        let readConnection = try SQLiteConnection(path: path, mode: .reader)
        self.path = path
        let sessionStates = SessionStateCache()
        self.sessionStates = sessionStates
        writer = GroupCommitWriter(connection: writeConnection, follower: sessionStates)
        reader = SerialReader(connection: readConnection)
        accounts = SQLiteAccountStore(writer: writer, reader: reader)
        platform = SQLitePlatformStore(writer: writer, reader: reader)
    }

    /// Opens the database a `DATABASE_URL` value names (see `DatabaseURL` for the accepted forms).
    ///
    /// - Throws: `DatabaseURLError` for a URL that is not SQLite, then whatever `init(path:)` throws.
    public static func open(databaseURL: String) throws -> SQLiteSessionStore {
        try SQLiteSessionStore(path: try DatabaseURL.path(from: databaseURL))
    }

    /// Waits for pending writes to commit and closes both connections. Later calls throw
    /// `SessionError.storage`. Blocks the calling thread briefly; call it at shutdown.
    public func close() {
        // The reader closes first: the last connection to close checkpoints the WAL into the
        // database file and removes it, and a read-only connection cannot.
        reader.close()
        writer.close()
    }

    /// SQLite's `PRAGMA integrity_check`: `"ok"` for a sound database, otherwise the problems found.
    public func integrityCheck() async throws -> String {
        try await reader.read { db in
            try db.query("PRAGMA integrity_check") { $0.string(0) }.joined(separator: "\n")
        }
    }

    /// The schema versions recorded in the database, oldest first.
    public func schemaVersions() async throws -> [Int] {
        try await reader.read { db in
            try db.query("SELECT version FROM schema_migrations ORDER BY version") { $0.int(0) }
        }
    }
}
