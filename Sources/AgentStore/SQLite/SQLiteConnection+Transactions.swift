extension SQLiteConnection {
    /// Runs `body` in a `BEGIN IMMEDIATE` transaction: committed when it returns, rolled back when it throws.
    ///
    /// IMMEDIATE takes the write lock at once, so a transaction never fails half-way because another
    /// writer got there first (https://www.sqlite.org/lang_transaction.html).
    func transaction<T>(_ body: () throws -> T) throws -> T {
        try execute("BEGIN IMMEDIATE")
        do {
            let value = try body()
            try execute("COMMIT")
            return value
        } catch {
            rollbackIfOpen()
            throw error
        }
    }

    /// Runs `body` in a deferred read transaction, so every statement in it sees the same snapshot.
    func readTransaction<T>(_ body: () throws -> T) throws -> T {
        try execute("BEGIN DEFERRED")
        defer { rollbackIfOpen() }
        return try body()
    }

    /// Runs `body` inside `SAVEPOINT name`: released when it returns, rolled back to (and released)
    /// when it throws, so only `body`'s changes are undone and the enclosing transaction goes on.
    func savepoint<T>(_ name: String, _ body: () throws -> T) throws -> T {
        try execute("SAVEPOINT \(name)")
        do {
            let value = try body()
            try execute("RELEASE \(name)")
            return value
        } catch {
            if !isAutocommit {
                try execute("ROLLBACK TO \(name)")
                try execute("RELEASE \(name)")
            }
            throw error
        }
    }

    /// Rolls back the open transaction, if SQLite has not already done so.
    func rollbackIfOpen() {
        guard !isAutocommit else { return }
        try? execute("ROLLBACK")
    }
}
