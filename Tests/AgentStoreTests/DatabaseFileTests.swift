import AgentCore
import AgentTesting
import Foundation
import Testing
@testable import AgentStore

@Suite("Database files and URLs", .timeLimit(.minutes(1)))
struct DatabaseFileTests {
    private func mode(_ path: String) throws -> Int {
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        return try #require(attributes[.posixPermissions] as? Int) & 0o777
    }

    @Test("a new database and its directory are private (0600 / 0700), WAL files included")
    func permissions() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("nested/data/agentd.db")
        let store = try SQLiteSessionStore(path: path)
        defer { store.close() }
        try await store.insert(Fixtures.session("s"))
        #expect(try mode(directory.file("nested/data")) == 0o700)
        #expect(try mode(path) == 0o600)
        for suffix in ["-wal", "-shm"] where FileManager.default.fileExists(atPath: path + suffix) {
            #expect(try mode(path + suffix) == 0o600, "\(suffix)")
        }
        #expect(FileManager.default.fileExists(atPath: path + "-wal"))
    }

    @Test("DATABASE_URL forms", arguments: [
        ("sqlite:////var/lib/agentd/agentd.db", "/var/lib/agentd/agentd.db"),
        ("sqlite:///data/computer_use.db", "data/computer_use.db"),
        ("sqlite:data/agentd.db", "data/agentd.db"),
        ("sqlite:/abs/agentd.db", "/abs/agentd.db"),
        ("SQLITE:////x%20y.db", "/x y.db"),
        ("/plain/path.db", "/plain/path.db"),
        ("relative.db", "relative.db"),
    ])
    func urlForms(value: String, path: String) throws {
        #expect(try DatabaseURL.path(from: value) == path)
    }

    @Test("other schemes and unusable URLs are refused with a clear error", arguments: [
        "postgresql://user:password@localhost:5432/anymind", "postgres://h/db", "mysql://h/db", "sqlite://host/x.db",
        "sqlite:///", "sqlite:///:memory:", "", "sqlite:///x.db?mode=ro",
    ])
    func urlRefusals(value: String) {
        let error = #expect(throws: DatabaseURLError.self) { try DatabaseURL.path(from: value) }
        #expect(error?.description.contains("DATABASE_URL") == true)
    }

    @Test("an unset or empty DATABASE_URL means the embedded default data/agentd.db")
    func embeddedDefault() throws {
        #expect(try DatabaseURL.path(environment: [:]) == "data/agentd.db")
        #expect(try DatabaseURL.path(environment: ["DATABASE_URL": "  "]) == "data/agentd.db")
        #expect(try DatabaseURL.path(environment: ["DATABASE_URL": "sqlite:////srv/a.db"]) == "/srv/a.db")
        #expect(throws: DatabaseURLError.self) { try DatabaseURL.path(environment: ["DATABASE_URL": "postgres://x/y"]) }
    }

    @Test("open(databaseURL:) opens the file the URL names")
    func openByURL() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try SQLiteSessionStore.open(databaseURL: "sqlite:///" + directory.file("u.db"))
        defer { store.close() }
        #expect(store.path == directory.file("u.db"))
        #expect(try await store.integrityCheck() == "ok")
        #expect(throws: DatabaseURLError.self) { try SQLiteSessionStore.open(databaseURL: "postgres://h/db") }
    }
}
