import AgentCore
import AgentTesting
import Testing
@testable import AgentStore

@Suite("Migrations", .timeLimit(.minutes(1)))
struct MigratorTests {
    @Test("an empty database gets every migration, and reopening applies none")
    func emptyDatabase() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("agentd.db")
        let store = try SQLiteSessionStore(path: path)
        #expect(try await store.schemaVersions() == [1, 2, 3, 4, 5])
        #expect(try await store.integrityCheck() == "ok")
        store.close()

        let connection = try SQLiteConnection(path: path, mode: .writer)
        #expect(try StoreSchema.migrator.migrate(connection) == [])
        #expect(try connection.scalarString("PRAGMA journal_mode") == "wal")
        #expect(try connection.scalarInt("PRAGMA synchronous") == 2)  // FULL
        #expect(try connection.scalarInt("PRAGMA foreign_keys") == 1)
    }

    @Test("an old database (version 1) is upgraded and keeps its data")
    func oldDatabase() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("agentd.db")
        do {
            let old = try SQLiteConnection(path: path, mode: .writer)
            #expect(try Migrator([StoreSchema.sessionsAndHistory]).migrate(old) == [1])
            try old.execute("""
                INSERT INTO sessions (id, name, tags, configuration, status, created_at, updated_at, last_activity_at, last_seq)
                VALUES ('old', 'kept', '["alpha","beta"]', '{"model":"m","tools":[]}', 'completed', 5, 5, 5, 7)
                """)
            try old.execute("INSERT INTO events (session_id, seq, type, time, data) VALUES ('old', 7, 'status', 5, '{}')")
            try old.execute("INSERT INTO images (sha256, media_type, bytes, created_at) VALUES (?, 'image/png', x'00', 5)", [Self.oldImage])
            try old.execute("""
                INSERT INTO messages (session_id, idx, role, content)
                VALUES ('old', 0, 'user', '[{"type":"image","source":{"type":"agentd.image_ref","sha256":"\(Self.oldImage)"}}]')
                """)
        }
        let store = try SQLiteSessionStore(path: path)
        defer { store.close() }
        #expect(try await store.schemaVersions() == [1, 2, 3, 4, 5])
        let session = try #require(try await store.session(id: "old"))
        #expect(session.name == "kept")
        #expect(session.lastSeq == 7)
        #expect(session.status == .completed)
        #expect(try await store.events(sessionID: "old", after: 0, limit: 10).map(\.seq) == [7])
        // Migration 2 filled the tag index from the old JSON column.
        let tagged = try await store.sessions(matching: SessionQuery(tag: "beta"))
        #expect(tagged.sessions.map(\.id) == ["old"])
        #expect(try await store.integrityCheck() == "ok")
        // Migration 3 found the old message's screenshot, so it goes with the session.
        #expect(try await store.image(sha256: Self.oldImage) != nil)
        #expect(try await store.delete(sessionID: "old"))
        #expect(try await store.image(sha256: Self.oldImage) == nil)
    }

    static let oldImage = String(repeating: "ab", count: 32)

    @Test("a database from a newer agentd is refused and left unchanged")
    func newerDatabase() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("agentd.db")
        try SQLiteSessionStore(path: path).close()
        do {
            let connection = try SQLiteConnection(path: path, mode: .writer)
            try connection.execute("INSERT INTO schema_migrations (version, name, applied_at) VALUES (99, 'future', 0)")
        }
        let error = try #require(throws: MigrationError.self) { try SQLiteSessionStore(path: path) }
        #expect(error.databaseVersion == 99)
        #expect(error.knownVersion == 5)
        #expect(error.description.contains("newer agentd"))
        let connection = try SQLiteConnection(path: path, mode: .reader)
        #expect(try connection.query("SELECT version FROM schema_migrations ORDER BY version") { $0.int(0) } == [1, 2, 3, 4, 5, 99])
    }

    @Test("a failing migration is rolled back alone; earlier ones stay applied")
    func failingMigration() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let connection = try SQLiteConnection(path: directory.file("m.db"), mode: .writer)
        let migrator = Migrator([
            Migration(version: 1, name: "one", sql: "CREATE TABLE one (x INTEGER)"),
            Migration(version: 2, name: "two", sql: "CREATE TABLE two (x INTEGER); CREATE TABLE one (y INTEGER)"),
        ])
        #expect(throws: SQLiteError.self) { try migrator.migrate(connection) }
        #expect(try migrator.appliedVersions(connection) == [1])
        #expect(try connection.scalarInt("SELECT COUNT(*) FROM sqlite_schema WHERE name = 'two'") == 0)
    }
}
