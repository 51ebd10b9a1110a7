import Foundation

/// Brings a database's schema up to date, one recorded migration at a time.
///
/// Applied versions are kept in `schema_migrations(version, name, applied_at)`. Each pending migration
/// runs in its own `BEGIN IMMEDIATE` transaction together with the insert of its version, so a crash
/// leaves the schema either before or after a migration, never half-way. A database that records a
/// version newer than any this code knows is refused untouched.
struct Migrator: Sendable {
    let migrations: [Migration]

    init(_ migrations: [Migration]) {
        precondition(zip(migrations, migrations.dropFirst()).allSatisfy { $0.version < $1.version },
                     "migration versions must increase")
        self.migrations = migrations
    }

    /// The newest version this migrator knows (0 when it has none).
    var latestVersion: Int { migrations.last?.version ?? 0 }

    /// Versions recorded in the database, oldest first (empty for a new database).
    func appliedVersions(_ connection: SQLiteConnection) throws -> [Int] {
        try createTable(connection)
        return try connection.query("SELECT version FROM schema_migrations ORDER BY version") { $0.int(0) }
    }

    /// Applies every pending migration and returns the versions it applied.
    ///
    /// - Throws: `MigrationError` when the database is newer than this code; `SQLiteError` when a
    ///   migration fails (that migration is rolled back; the ones before it stay applied).
    @discardableResult
    func migrate(_ connection: SQLiteConnection) throws -> [Int] {
        let applied = Set(try appliedVersions(connection))
        if let newest = applied.max(), newest > latestVersion {
            throw MigrationError(databaseVersion: newest, knownVersion: latestVersion, path: connection.path)
        }
        var done: [Int] = []
        for migration in migrations where !applied.contains(migration.version) {
            try connection.transaction {
                // Another process may have applied it between our read and the write lock.
                let recorded = try connection.scalarInt("SELECT 1 FROM schema_migrations WHERE version = ?", [migration.version])
                guard recorded == nil else { return }
                try migration.migrate(connection)
                try connection.execute("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                                       [migration.version, migration.name, Date().timeIntervalSince1970])
                done.append(migration.version)
            }
        }
        return done
    }

    private func createTable(_ connection: SQLiteConnection) throws {
        try connection.execute("""
            CREATE TABLE IF NOT EXISTS schema_migrations (
                version INTEGER PRIMARY KEY,
                name TEXT NOT NULL,
                applied_at REAL NOT NULL
            )
            """)
    }
}
