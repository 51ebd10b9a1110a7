import CSQLite

/// A storage failure reported by SQLite.
///
/// The description names the result code, SQLite's message and the SQL text, but never the values
/// bound to the statement: those may be prompts, tool output or secrets, and errors end up in logs.
public struct SQLiteError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The extended result code (`SQLITE_CONSTRAINT_PRIMARYKEY`, `SQLITE_IOERR_FSYNC`, …).
    public var extendedCode: Int32
    /// SQLite's message for the failure (`sqlite3_errmsg`).
    public var message: String
    /// The statement that failed, without its bound values; `nil` when no statement was involved.
    public var sql: String?

    /// The primary result code (`SQLITE_CONSTRAINT`, `SQLITE_IOERR`, …): the low 8 bits of the extended code.
    public var resultCode: Int32 { extendedCode & 0xFF }

    public init(extendedCode: Int32, message: String, sql: String? = nil) {
        self.extendedCode = extendedCode
        self.message = message
        self.sql = sql
    }

    /// The error SQLite recorded on `connection` for the last failed call.
    init(code: Int32, connection: OpaquePointer?, sql: String?) {
        let extended = connection.map { sqlite3_extended_errcode($0) } ?? code
        // The connection's error may belong to an earlier call when `code` came from elsewhere.
        let useConnection = connection != nil && (extended & 0xFF) == (code & 0xFF)
        let message = useConnection ? String(cString: sqlite3_errmsg(connection)) : String(cString: sqlite3_errstr(code))
        self.init(extendedCode: useConnection ? extended : code, message: message, sql: sql)
    }

    /// A misuse of this module's API (wrong number of arguments and the like).
    static func misuse(_ message: String, sql: String?) -> SQLiteError {
        SQLiteError(extendedCode: SQLITE_MISUSE, message: message, sql: sql)
    }

    /// Whether the failure is a constraint violation (unique, primary key, foreign key, check, not null).
    public var isConstraintViolation: Bool { resultCode == SQLITE_CONSTRAINT }

    public var description: String {
        var text = "SQLite error \(resultCode)"
        if extendedCode != resultCode { text += " (extended \(extendedCode))" }
        text += ": \(message)"
        if let sql { text += " — while executing `\(sql)`" }
        return text
    }
}
