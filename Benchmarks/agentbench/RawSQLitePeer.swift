import CSQLite
import Foundation

/// Plain SQLite written the simple way, as the yardstick for the store on this machine: one
/// prepared INSERT, one transaction per row, WAL with `synchronous=FULL` (the store's durability),
/// into a table shaped like the store's `events`.
enum RawSQLitePeer {
    /// Inserts `rows` rows of `payload`, each in its own transaction, into a new database at `path`.
    /// - Returns: rows per second.
    static func singleRowInserts(path: String, rows: Int, payload: String) throws -> Double {
        var db: OpaquePointer?
        guard sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nil) == SQLITE_OK, let db else {
            throw BenchError("cannot open \(path)")
        }
        defer { sqlite3_close_v2(db) }
        try exec(db, """
            PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;
            CREATE TABLE events (session_id TEXT NOT NULL, seq INTEGER NOT NULL, type TEXT NOT NULL,
                                 time REAL NOT NULL, data TEXT NOT NULL, PRIMARY KEY (session_id, seq));
            """)
        var statement: OpaquePointer?
        let sql = "INSERT INTO events (session_id, seq, type, time, data) VALUES (?, ?, ?, ?, ?)"
        guard sqlite3_prepare_v2(db, sql, -1, &statement, nil) == SQLITE_OK, let statement else {
            throw BenchError("cannot prepare the insert")
        }
        defer { sqlite3_finalize(statement) }
        let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
        let start = nowNanoseconds()
        for row in 0..<rows {
            try exec(db, "BEGIN")
            sqlite3_bind_text(statement, 1, "session-\(row % 50)", -1, transient)
            sqlite3_bind_int64(statement, 2, Int64(row))
            sqlite3_bind_text(statement, 3, "tool_call_finished", -1, transient)
            sqlite3_bind_double(statement, 4, Date().timeIntervalSince1970)
            sqlite3_bind_text(statement, 5, payload, -1, transient)
            guard sqlite3_step(statement) == SQLITE_DONE else { throw BenchError("insert failed: \(message(db))") }
            sqlite3_reset(statement)
            try exec(db, "COMMIT")
        }
        return Double(rows) / secondsSince(start)
    }

    private static func exec(_ db: OpaquePointer, _ sql: String) throws {
        guard sqlite3_exec(db, sql, nil, nil, nil) == SQLITE_OK else { throw BenchError("\(sql): \(message(db))") }
    }

    private static func message(_ db: OpaquePointer) -> String { String(cString: sqlite3_errmsg(db)) }
}
