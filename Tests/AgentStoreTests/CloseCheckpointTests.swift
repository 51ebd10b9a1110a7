import AgentCore
import AgentTesting
import Foundation
import Testing
@testable import AgentStore

/// Closing the store folds the WAL back into the database file, so a stopped agentd leaves one file.
@Suite struct CloseCheckpointTests {
    @Test func closingCheckpointsAndRemovesTheWAL() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("agentd.db")
        let store = try SQLiteSessionStore(path: path)
        try await store.insert(Fixtures.session("s"))
        _ = try await store.commit(SessionWrite(sessionID: "s", events: [Fixtures.event()]))
        _ = try await store.events(sessionID: "s", after: 0, limit: 10)
        #expect(FileManager.default.fileExists(atPath: path + "-wal"))
        store.close()
        #expect(!FileManager.default.fileExists(atPath: path + "-wal"))
        let reopened = try SQLiteSessionStore(path: path)
        defer { reopened.close() }
        #expect(try await reopened.events(sessionID: "s", after: 0, limit: 10).count == 1)
    }
}
