/// One step of the schema's history. Versions start at 1 and never change once released.
struct Migration: Sendable {
    var version: Int
    var name: String
    /// Changes the schema (and moves data); runs inside the migration's transaction.
    var migrate: @Sendable (SQLiteConnection) throws -> Void

    init(version: Int, name: String, migrate: @escaping @Sendable (SQLiteConnection) throws -> Void) {
        self.version = version
        self.name = name
        self.migrate = migrate
    }

    /// A migration that runs a schema script.
    init(version: Int, name: String, sql: String) {
        self.init(version: version, name: name) { connection in try connection.executeScript(sql) }
    }
}
