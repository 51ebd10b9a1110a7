import AgentCore
import AgentTesting
import CSQLite
import Testing
@testable import AgentStore

@Suite("SQLite errors", .timeLimit(.minutes(1)))
struct SQLiteErrorTests {
    private static let secret = "sk-ant-api03-SECRET-do-not-log"

    @Test("errors name the statement and code but never the bound values")
    func noBoundValues() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let db = try SQLiteConnection(path: directory.file("e.db"), mode: .writer)
        try db.execute("CREATE TABLE t (k TEXT PRIMARY KEY, v TEXT NOT NULL CHECK (length(v) < 5))")
        try db.execute("INSERT INTO t (k, v) VALUES (?, ?)", [Self.secret, "ok"])
        let failures: [(String, [any SQLiteBindable])] = [
            ("INSERT INTO t (k, v) VALUES (?, ?)", ["key", Self.secret]),  // CHECK
            ("INSERT INTO t (k, v) VALUES (?, ?)", [Self.secret, "ok"]),  // PRIMARY KEY
            ("INSERT INTO t (k, v) VALUES (?, ?)", [Self.secret, String?.none]),  // NOT NULL
            ("INSERT INTO t (k, v) VALUES (?, ?)", [Self.secret]),  // wrong argument count
        ]
        for (sql, arguments) in failures {
            let error = #expect(throws: SQLiteError.self) { try db.execute(sql, arguments) }
            let text = try #require(error).description
            #expect(!text.contains(Self.secret), "\(text)")
            #expect(!text.contains("SECRET"))
            #expect(text.contains(sql))
        }
        let check = #expect(throws: SQLiteError.self) { try db.execute("INSERT INTO t (k, v) VALUES (?, ?)", ["x", Self.secret]) }
        #expect(check?.resultCode == SQLITE_CONSTRAINT)
        #expect(check?.extendedCode == SQLITE_CONSTRAINT | (1 << 8))  // SQLITE_CONSTRAINT_CHECK
        #expect(check?.isConstraintViolation == true)
        let syntax = #expect(throws: SQLiteError.self) { try db.execute("SELEC nonsense") }
        #expect(syntax?.message.contains("syntax error") == true)
    }

    @Test("a store whose writes fail in SQLite reports SQLiteError, not the bound data")
    func storeErrors() async throws {
        try await withTemporaryStore { store, directory in
            try await store.insert(Fixtures.session("s"))
            // Make every event insert fail from outside the store.
            let other = try SQLiteConnection(path: directory.file("agentd.db"), mode: .writer)
            try other.execute("""
                CREATE TRIGGER refuse BEFORE INSERT ON events BEGIN SELECT RAISE(ABORT, 'events are read-only'); END
                """)
            let error = await #expect(throws: SQLiteError.self) {
                try await store.commit(SessionWrite(sessionID: "s", events: [NewSessionEvent(type: "e", time: 1, data: ["key": .string(Self.secret)])]))
            }
            #expect(error?.description.contains(Self.secret) == false)
            #expect(error?.message == "events are read-only")
            #expect(try await store.session(id: "s")?.lastSeq == 0)
        }
    }
}
