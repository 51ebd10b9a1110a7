import CSQLite

/// One SQLite database connection, opened in multi-thread mode (`SQLITE_OPEN_NOMUTEX`).
///
/// A connection is not thread-safe: exactly one owner (the store's writer queue, or a reader queue)
/// uses it, and SQLite's own per-connection mutex is left off because that owner already serializes
/// every call (https://www.sqlite.org/threadsafe.html).
final class SQLiteConnection {
    /// How a connection opens its file.
    enum Mode {
        /// Read and write; creates the file if missing. Sets WAL, `synchronous=FULL` and foreign keys.
        case writer
        /// Read-only; the writer must have opened the file (and set WAL) first.
        case reader
    }

    let handle: OpaquePointer
    let path: String
    private var statements = StatementCache()
    private var isClosed = false

    /// Milliseconds a statement waits for a lock held by another connection before failing with `SQLITE_BUSY`.
    static let busyTimeoutMilliseconds: Int32 = 5_000

    init(path: String, mode: Mode) throws(SQLiteError) {
        var flags = SQLITE_OPEN_NOMUTEX
        switch mode {
        case .writer: flags |= SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE
        case .reader: flags |= SQLITE_OPEN_READONLY
        }
        var handle: OpaquePointer?
        let code = sqlite3_open_v2(path, &handle, flags, nil)
        guard code == SQLITE_OK, let handle else {
            let error = SQLiteError(code: code, connection: handle, sql: nil)
            // https://www.sqlite.org/c3ref/open.html: a handle is usually returned even on failure; close it.
            sqlite3_close_v2(handle)
            throw error
        }
        self.handle = handle
        self.path = path
        sqlite3_extended_result_codes(handle, 1)
        sqlite3_busy_timeout(handle, Self.busyTimeoutMilliseconds)
        do {
            try configure(mode)
        } catch {
            close()
            throw error
        }
    }

    deinit { close() }

    private func configure(_ mode: Mode) throws(SQLiteError) {
        try execute("PRAGMA foreign_keys = ON")
        guard mode == .writer else { return }
        // https://www.sqlite.org/wal.html: readers do not block the writer and the writer does not block readers.
        let journalMode = try scalarString("PRAGMA journal_mode = WAL")
        guard journalMode?.lowercased() == "wal" else {
            throw SQLiteError(extendedCode: SQLITE_ERROR, message: "cannot enable WAL (journal_mode is \(journalMode ?? "unknown"))",
                              sql: "PRAGMA journal_mode = WAL")
        }
        // https://www.sqlite.org/pragma.html#pragma_synchronous: FULL syncs the WAL at every commit, so a
        // committed transaction survives power loss, not only a crash of the process.
        try execute("PRAGMA synchronous = FULL")
    }

    /// Closes the connection, finalizing its cached statements first. Safe to call twice.
    func close() {
        guard !isClosed else { return }
        isClosed = true
        statements.removeAll()
        sqlite3_close_v2(handle)
    }

    // MARK: - Statements

    /// Runs `body` with the cached prepared statement for `key`, bound to `arguments`, and resets it afterwards.
    func withStatement<T>(_ key: SQLKey, _ arguments: [any SQLiteBindable],
                          _ body: (Statement) throws -> T) throws -> T {
        let statement: Statement
        if let cached = statements[key], !cached.isInUse {
            statement = cached
        } else {
            statement = try Statement(connection: handle, sql: key.sql, persistent: true)
            if statements[key] == nil { statements[key] = statement }
        }
        statement.isInUse = true
        defer {
            statement.reset()
            statement.isInUse = false
        }
        try statement.bind(arguments)
        return try body(statement)
    }

    /// Rows changed by the last INSERT, UPDATE or DELETE.
    var changes: Int { Int(sqlite3_changes64(handle)) }

    /// The rowid of the last successful INSERT on this connection.
    var lastInsertRowID: Int { Int(sqlite3_last_insert_rowid(handle)) }

    /// Whether no transaction is open. SQLite rolls a transaction back by itself after some errors
    /// (https://www.sqlite.org/lang_transaction.html, "Response To Errors Within A Transaction").
    var isAutocommit: Bool { sqlite3_get_autocommit(handle) != 0 }
}

@available(*, unavailable)
extension SQLiteConnection: Sendable {}
