import AgentCore
import AgentTesting
import Foundation
import Synchronization
import Testing
@testable import AgentStore

@Suite("Commits", .timeLimit(.minutes(2)))
struct CommitTests {
    @Test("events are numbered 1…n with no gap across commits")
    func numbering() async throws {
        try await withTemporaryStore { store, _ in
            try await store.insert(Fixtures.session("s"))
            var expected = 1
            for size in [1, 3, 0, 5, 2] {
                let events = try await store.commit(SessionWrite(sessionID: "s", events: (0..<size).map { Fixtures.event("e", $0) }))
                #expect(events.map(\.seq) == Array(expected..<expected + size))
                #expect(events.allSatisfy { $0.sessionID == "s" && $0.type == "e" })
                expected += size
            }
            let stored = try await store.events(sessionID: "s", after: 0, limit: 100)
            #expect(stored.map(\.seq) == Array(1...11))
            #expect(try await store.events(sessionID: "s", after: 4, limit: 3).map(\.seq) == [5, 6, 7])
            #expect(try await store.events(sessionID: "s", after: 11, limit: 3).isEmpty)
            #expect(try await store.session(id: "s")?.lastSeq == 11)
            #expect(stored[2].data == ["n": 1])
        }
    }

    @Test("a record update never takes lastSeq from the caller")
    func recordUpdate() async throws {
        try await withTemporaryStore { store, _ in
            try await store.insert(Fixtures.session("s"))
            var record = try #require(try await store.session(id: "s"))
            record.lastSeq = 999
            record.status = .running
            record.usage = Usage(inputTokens: 1, outputTokens: 2, cacheCreationInputTokens: 3, cacheReadInputTokens: 4)
            record.costUSD = 0.25
            let events = try await store.commit(SessionWrite(sessionID: "s", record: record, events: [Fixtures.event()]))
            #expect(events.map(\.seq) == [1])
            let stored = try #require(try await store.session(id: "s"))
            #expect(stored.lastSeq == 1)
            record.lastSeq = 1
            #expect(stored == record)
        }
    }

    @Test("unknown sessions and mismatched records are refused")
    func refusals() async throws {
        try await withTemporaryStore { store, _ in
            await #expect(throws: SessionError.notFound(id: "nope")) {
                try await store.commit(SessionWrite(sessionID: "nope", events: [Fixtures.event()]))
            }
            try await store.insert(Fixtures.session("s"))
            await #expect(throws: SessionError.self) {
                try await store.commit(SessionWrite(sessionID: "s", record: Fixtures.session("other")))
            }
            #expect(try await store.session(id: "s")?.lastSeq == 0)
        }
    }

    @Test("a failing write in a batch fails alone")
    func failingWriteInBatch() async throws {
        try await withTemporaryStore { store, _ in
            for id in ["s1", "s2"] { try await store.insert(Fixtures.session(id)) }
            // Hold the writer so that everything below queues up and commits as one batch.
            let gate = WriterGate()
            try await gate.hold(store)
            let results = try await withThrowingTaskGroup(of: (String, Result<[Int], SessionError>).self) { group in
                for i in 0..<30 {
                    let id = i % 3 == 0 ? "missing-\(i)" : (i % 3 == 1 ? "s1" : "s2")
                    group.addTask {
                        do {
                            let events = try await store.commit(SessionWrite(sessionID: id, events: [Fixtures.event("e", i)]))
                            return (id, .success(events.map(\.seq)))
                        } catch let error as SessionError {
                            return (id, .failure(error))
                        }
                    }
                }
                #expect(await pollUntil { store.writer.pendingCount == 30 })
                try await gate.release()
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(results.count == 30)
            for (id, result) in results {
                switch result {
                case .success: #expect(!id.hasPrefix("missing"))
                case .failure(let error): #expect(error == .notFound(id: id))
                }
            }
            for id in ["s1", "s2"] {
                let seqs = results.filter { $0.0 == id }.compactMap { try? $0.1.get() }.flatMap { $0 }.sorted()
                #expect(seqs == Array(1...10))
                #expect(try await store.events(sessionID: id, after: 0, limit: 100).map(\.seq) == Array(1...10))
            }
            // The 30 writes shared far fewer transactions than 30.
            #expect(store.writer.statistics.largestBatch > 1)
        }
    }

    @Test("a failed COMMIT fails every write of its batch and keeps none of them")
    func failedCommit() async throws {
        try await withTemporaryStore { store, _ in
            try await store.insert(Fixtures.session("s"))
            let gate = WriterGate()
            try await gate.hold(store)
            let outcomes = await withTaskGroup(of: Bool.self) { group in
                for i in 0..<5 {
                    group.addTask { (try? await store.commit(SessionWrite(sessionID: "s", events: [Fixtures.event("e", i)]))) != nil }
                }
                // A deferred foreign-key violation passes its savepoint and only fails at COMMIT.
                group.addTask {
                    do {
                        try await store.writer.write { (db: SQLiteConnection) -> Void in
                            try db.execute("PRAGMA defer_foreign_keys = ON")
                            try db.execute("INSERT INTO events (session_id, seq, type, time, data) VALUES ('ghost', 1, 'e', 0, '{}')")
                        }
                        return true
                    } catch {
                        return false
                    }
                }
                #expect(await pollUntil { store.writer.pendingCount == 6 })
                try? await gate.release()
                return await group.reduce(into: []) { $0.append($1) }
            }
            #expect(outcomes == Array(repeating: false, count: 6))
            #expect(try await store.events(sessionID: "s", after: 0, limit: 10).isEmpty)
            #expect(try await store.session(id: "s")?.lastSeq == 0)
            // The writer goes on: the next batch commits normally.
            #expect(try await store.commit(SessionWrite(sessionID: "s", events: [Fixtures.event()])).map(\.seq) == [1])
        }
    }

    @Test("50 tasks × 200 commits on 10 sessions: every seq once, contiguous per session")
    func concurrentCommits() async throws {
        try await withTemporaryStore { store, _ in
            let sessions = (0..<10).map { "session-\($0)" }
            for id in sessions { try await store.insert(Fixtures.session(id)) }
            let returned = try await withThrowingTaskGroup(of: [SessionEvent].self) { group in
                for task in 0..<50 {
                    group.addTask {
                        var events: [SessionEvent] = []
                        for i in 0..<200 {
                            let id = sessions[(task + i) % sessions.count]
                            events += try await store.commit(SessionWrite(sessionID: id, events: [Fixtures.event("e", i)]))
                        }
                        return events
                    }
                }
                return try await group.reduce(into: []) { $0 += $1 }
            }
            #expect(returned.count == 10_000)
            let bySession = Dictionary(grouping: returned, by: \.sessionID)
            for id in sessions {
                let seqs = try #require(bySession[id]).map(\.seq).sorted()
                #expect(seqs == Array(1...1_000), "session \(id)")
                let stored = try await store.events(sessionID: id, after: 0, limit: 5_000).map(\.seq)
                #expect(stored == Array(1...1_000))
                #expect(try await store.session(id: id)?.lastSeq == 1_000)
            }
            let statistics = store.writer.statistics
            print("10,000 commits in \(statistics.transactions) transactions, largest batch \(statistics.largestBatch)")
            #expect(statistics.transactions < 10_000)
            #expect(try await store.integrityCheck() == "ok")
        }
    }
}
