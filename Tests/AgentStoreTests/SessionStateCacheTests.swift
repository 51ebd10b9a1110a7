import AgentCore
import AgentTesting
import Foundation
import Testing
@testable import AgentStore

/// The writer's cache of each session's `last_seq` and tags never runs ahead of the database: a write
/// rolled back to its savepoint, a lost transaction, a delete or a cleared history leave the next
/// commit numbering (and tagging) exactly as if there were no cache.
@Suite("Session state cache", .timeLimit(.minutes(2)))
struct SessionStateCacheTests {
    struct Refused: Error {}

    /// A write that stores `write` as `commit` would, then fails, so its savepoint is rolled back.
    private func failingCommit(_ store: SQLiteSessionStore, _ write: SessionWrite) async throws {
        let prepared = try PreparedWrite(write)
        let states = store.sessionStates
        await #expect(throws: Refused.self) {
            try await store.writer.write { db in
                _ = try SQLiteSessionStore.apply(prepared, now: 0, in: db, states: states)
                throw Refused()
            }
        }
    }

    private func tagged(_ store: SQLiteSessionStore, _ tag: String) async throws -> [String] {
        try await store.sessions(matching: SessionQuery(tag: tag)).sessions.map(\.id)
    }

    @Test("a write that fails after numbering its events, in one batch with good ones, gives its numbers back")
    func failedWriteInBatch() async throws {
        try await withTemporaryStore { store, _ in
            try await store.insert(Fixtures.session("s"))
            let gate = WriterGate()
            try await gate.hold(store)
            // Submitted in this order, behind the gate, so all three run in one transaction.
            let first = Task { try await store.commit(SessionWrite(sessionID: "s", events: [Fixtures.event()])).map(\.seq) }
            #expect(await pollUntil { store.writer.pendingCount == 1 })
            let failing = Task {
                try await failingCommit(store, SessionWrite(sessionID: "s", events: [Fixtures.event(), Fixtures.event()]))
            }
            #expect(await pollUntil { store.writer.pendingCount == 2 })
            let last = Task { try await store.commit(SessionWrite(sessionID: "s", events: [Fixtures.event()])).map(\.seq) }
            #expect(await pollUntil { store.writer.pendingCount == 3 })
            try await gate.release()
            #expect(try await first.value == [1])
            try await failing.value
            #expect(try await last.value == [2])
            #expect(try await store.events(sessionID: "s", after: 0, limit: 10).map(\.seq) == [1, 2])
            #expect(try await store.session(id: "s")?.lastSeq == 2)
        }
    }

    @Test("a failed write's tags are not taken for stored ones")
    func failedTagChange() async throws {
        try await withTemporaryStore { store, _ in
            try await store.insert(Fixtures.session("s"))
            var record = try #require(try await store.session(id: "s"))
            record.tags = ["red"]
            try await failingCommit(store, SessionWrite(sessionID: "s", record: record, events: [Fixtures.event()]))
            #expect(try await tagged(store, "red") == [])
            #expect(try await store.commit(SessionWrite(sessionID: "s", record: record, events: [Fixtures.event()])).map(\.seq) == [1])
            #expect(try await tagged(store, "red") == ["s"])
            record.tags = ["blue"]
            #expect(try await store.commit(SessionWrite(sessionID: "s", record: record)).isEmpty)
            #expect(try await tagged(store, "red") == [])
            #expect(try await tagged(store, "blue") == ["s"])
            #expect(try await store.session(id: "s")?.lastSeq == 1)
        }
    }

    @Test("numbering continues after clearHistory and restarts for a session deleted and created again")
    func clearAndDelete() async throws {
        try await withTemporaryStore { store, _ in
            try await store.insert(Fixtures.session("s"))
            #expect(try await store.commit(SessionWrite(sessionID: "s", events: (0..<3).map { Fixtures.event("e", $0) })).map(\.seq) == [1, 2, 3])
            try await store.clearHistory(sessionID: "s")
            #expect(try await store.commit(SessionWrite(sessionID: "s", events: [Fixtures.event()])).map(\.seq) == [4])
            #expect(try await store.delete(sessionID: "s"))
            #expect(!store.writer.withConnection { _ in store.sessionStates.contains("s") })
            await #expect(throws: SessionError.notFound(id: "s")) {
                try await store.commit(SessionWrite(sessionID: "s", events: [Fixtures.event()]))
            }
            await #expect(throws: SessionError.notFound(id: "s")) {
                try await store.commit(SessionWrite(sessionID: "s", record: Fixtures.session("s")))
            }
            try await store.insert(Fixtures.session("s"))
            #expect(try await store.commit(SessionWrite(sessionID: "s", events: [Fixtures.event()])).map(\.seq) == [1])
            #expect(try await store.session(id: "s")?.lastSeq == 1)
        }
    }

    @Test("a store opened on an existing file reads each session's last seq before numbering")
    func reopened() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("agentd.db")
        do {
            let store = try SQLiteSessionStore(path: path)
            defer { store.close() }
            try await store.insert(Fixtures.session("s", tags: ["red"]))
            _ = try await store.commit(SessionWrite(sessionID: "s", events: [Fixtures.event(), Fixtures.event()]))
        }
        let store = try SQLiteSessionStore(path: path)
        defer { store.close() }
        var record = try #require(try await store.session(id: "s"))
        record.name = "renamed"
        #expect(try await store.commit(SessionWrite(sessionID: "s", record: record, events: [Fixtures.event()])).map(\.seq) == [3])
        #expect(try await store.session(id: "s")?.name == "renamed")
        #expect(try await tagged(store, "red") == ["s"])
    }
}
