import CSQLite

/// Running statements: `String` SQL is cached by text, `FrequentSQL` by case.
extension SQLiteConnection {
    /// Runs `body` with the cached prepared statement for `sql`, bound to `arguments`, and resets it afterwards.
    func withStatement<T>(_ sql: String, _ arguments: [any SQLiteBindable] = [],
                          _ body: (Statement) throws -> T) throws -> T {
        try withStatement(.text(sql), arguments, body)
    }

    /// Runs one statement that returns no rows (or whose rows are ignored).
    func execute(_ sql: String, _ arguments: [any SQLiteBindable] = []) throws(SQLiteError) {
        try execute(.text(sql), arguments)
    }

    /// Runs one of the writer's frequent statements that returns no rows.
    func execute(_ sql: FrequentSQL, _ arguments: [any SQLiteBindable] = []) throws(SQLiteError) {
        try execute(.frequent(sql), arguments)
    }

    private func execute(_ key: SQLKey, _ arguments: [any SQLiteBindable]) throws(SQLiteError) {
        do {
            try withStatement(key, arguments) { statement in while try statement.step() {} }
        } catch let error as SQLiteError {
            throw error
        } catch {
            throw .misuse("\(error)", sql: key.sql)
        }
    }

    /// Runs several `;`-separated statements without arguments (schema scripts).
    func executeScript(_ sql: String) throws(SQLiteError) {
        var message: UnsafeMutablePointer<CChar>?
        let code = sqlite3_exec(handle, sql, nil, nil, &message)
        defer { sqlite3_free(message) }
        guard code == SQLITE_OK else {
            let text = message.map { String(cString: $0) } ?? String(cString: sqlite3_errstr(code))
            throw SQLiteError(extendedCode: sqlite3_extended_errcode(handle), message: text, sql: sql)
        }
    }

    /// Every row of `sql`, each turned into a value by `row`.
    func query<T>(_ sql: String, _ arguments: [any SQLiteBindable] = [],
                  row: (Statement) throws -> T) throws -> [T] {
        try withStatement(.text(sql), arguments) { statement in
            var rows: [T] = []
            while try statement.step() { rows.append(try row(statement)) }
            return rows
        }
    }

    /// The first row of `sql` turned into a value by `row`, or `nil` when there is none.
    func queryFirst<T>(_ sql: String, _ arguments: [any SQLiteBindable] = [],
                       row: (Statement) throws -> T) throws -> T? {
        try withStatement(.text(sql), arguments) { statement in try statement.step() ? try row(statement) : nil }
    }

    /// The first row of one of the writer's frequent statements turned into a value by `row`, or `nil`.
    func queryFirst<T>(_ sql: FrequentSQL, _ arguments: [any SQLiteBindable] = [],
                       row: (Statement) throws -> T) throws -> T? {
        try withStatement(.frequent(sql), arguments) { statement in try statement.step() ? try row(statement) : nil }
    }

    /// The first column of the first row as an integer, or `nil` when there is no row or it is NULL.
    func scalarInt(_ sql: String, _ arguments: [any SQLiteBindable] = []) throws -> Int? {
        try queryFirst(sql, arguments) { $0.isNull(0) ? nil : $0.int(0) } ?? nil
    }

    /// The first column of the first row of a frequent statement as an integer, or `nil`.
    func scalarInt(_ sql: FrequentSQL, _ arguments: [any SQLiteBindable] = []) throws -> Int? {
        try queryFirst(sql, arguments) { $0.isNull(0) ? nil : $0.int(0) } ?? nil
    }

    /// The first column of the first row as text, or `nil` when there is no row or it is NULL.
    func scalarString(_ sql: String, _ arguments: [any SQLiteBindable] = []) throws(SQLiteError) -> String? {
        do {
            return try queryFirst(sql, arguments) { $0.optionalString(0) } ?? nil
        } catch let error as SQLiteError {
            throw error
        } catch {
            throw .misuse("\(error)", sql: sql)
        }
    }
}
