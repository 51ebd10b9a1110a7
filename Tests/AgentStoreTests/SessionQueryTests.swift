import AgentCore
import Testing
@testable import AgentStore

@Suite("Listing sessions", .timeLimit(.minutes(1)))
struct SessionQueryTests {
    /// Six sessions: a…f, created at 10…60.
    private func seed(_ store: SQLiteSessionStore) async throws {
        let rows: [SessionRecord] = [
            Fixtures.session("a", owner: "ann", name: "zeta", tags: ["red"], priority: "high", status: .idle, createdAt: 10),
            Fixtures.session("b", owner: "bob", name: "alpha", tags: ["red", "blue"], priority: "low", status: .running, createdAt: 20),
            Fixtures.session("c", owner: "ann", name: "mid", tags: [], priority: "normal", status: .completed, createdAt: 30),
            Fixtures.session("d", owner: "bob", name: "mid", tags: ["blue"], priority: "high", status: .completed, createdAt: 40),
            Fixtures.session("e", owner: "", name: "beta", tags: ["redder"], priority: "low", status: .error, createdAt: 50),
            Fixtures.session("f", owner: "ann", name: "gamma", tags: ["red"], priority: "normal", status: .paused, createdAt: 60),
        ]
        for row in rows { try await store.insert(row) }
    }

    private func ids(_ store: SQLiteSessionStore, _ query: SessionQuery) async throws -> [String] {
        try await store.sessions(matching: query).sessions.map(\.id)
    }

    @Test("filters: statuses, owner, tag, created after and before")
    func filters() async throws {
        try await withTemporaryStore { store, _ in
            try await seed(store)
            #expect(try await ids(store, SessionQuery(descending: false)) == ["a", "b", "c", "d", "e", "f"])
            #expect(try await ids(store, SessionQuery(statuses: [.completed, .error], descending: false)) == ["c", "d", "e"])
            #expect(try await ids(store, SessionQuery(owner: "ann", descending: false)) == ["a", "c", "f"])
            #expect(try await ids(store, SessionQuery(owner: "", descending: false)) == ["e"])
            // Exact tag match: "red" does not match "redder".
            #expect(try await ids(store, SessionQuery(tag: "red", descending: false)) == ["a", "b", "f"])
            #expect(try await ids(store, SessionQuery(tag: "missing")) == [])
            #expect(try await ids(store, SessionQuery(createdAfter: 30, descending: false)) == ["c", "d", "e", "f"])
            #expect(try await ids(store, SessionQuery(createdBefore: 30, descending: false)) == ["a", "b"])
            let combined = SessionQuery(statuses: [.completed, .idle, .paused], tag: "red", owner: "ann", createdAfter: 5,
                                        createdBefore: 60, descending: false)
            #expect(try await ids(store, combined) == ["a"])
        }
    }

    @Test("every sort field, both directions, id breaking ties")
    func sorting() async throws {
        try await withTemporaryStore { store, _ in
            try await seed(store)
            #expect(try await ids(store, SessionQuery(sort: .createdAt)) == ["f", "e", "d", "c", "b", "a"])
            #expect(try await ids(store, SessionQuery(sort: .name, descending: false)) == ["b", "e", "f", "c", "d", "a"])
            #expect(try await ids(store, SessionQuery(sort: .name, descending: true)) == ["a", "d", "c", "f", "e", "b"])
            // Priority by rank: low < normal < high.
            #expect(try await ids(store, SessionQuery(sort: .priority, descending: false)) == ["b", "e", "c", "f", "a", "d"])
            #expect(try await ids(store, SessionQuery(sort: .status, descending: false)) == ["c", "d", "e", "a", "f", "b"])

            var touched = try #require(try await store.session(id: "c"))
            touched.updatedAt = 500
            touched.lastActivityAt = 900
            _ = try await store.commit(SessionWrite(sessionID: "c", record: touched))
            #expect(try await ids(store, SessionQuery(sort: .updatedAt)).first == "c")
            #expect(try await ids(store, SessionQuery(sort: .lastActivityAt)).first == "c")
            #expect(try await ids(store, SessionQuery(sort: .lastActivityAt, descending: false)).last == "c")
        }
    }

    @Test("pages with limit and offset report the total")
    func paging() async throws {
        try await withTemporaryStore { store, _ in
            try await seed(store)
            var seen: [String] = []
            for offset in stride(from: 0, to: 6, by: 4) {
                let page = try await store.sessions(matching: SessionQuery(descending: false, limit: 4, offset: offset))
                #expect(page.total == 6)
                seen += page.sessions.map(\.id)
            }
            #expect(seen == ["a", "b", "c", "d", "e", "f"])
            let filtered = try await store.sessions(matching: SessionQuery(tag: "red", limit: 1, offset: 1))
            #expect(filtered.total == 3)
            #expect(filtered.sessions.map(\.id) == ["b"])
            let beyond = try await store.sessions(matching: SessionQuery(limit: 10, offset: 100))
            #expect(beyond.sessions.isEmpty && beyond.total == 6)
        }
    }

    @Test("invalid pages are refused")
    func validation() async throws {
        try await withTemporaryStore { store, _ in
            await #expect(throws: SessionError.self) { try await store.sessions(matching: SessionQuery(limit: 0)) }
            await #expect(throws: SessionError.self) { try await store.sessions(matching: SessionQuery(limit: 1001)) }
            await #expect(throws: SessionError.self) { try await store.sessions(matching: SessionQuery(offset: -1)) }
        }
    }

    @Test("a record's tags are re-indexed when it changes")
    func retagging() async throws {
        try await withTemporaryStore { store, _ in
            try await seed(store)
            var a = try #require(try await store.session(id: "a"))
            a.tags = ["green"]
            _ = try await store.commit(SessionWrite(sessionID: "a", record: a))
            #expect(try await ids(store, SessionQuery(tag: "green")) == ["a"])
            #expect(try await ids(store, SessionQuery(tag: "red", descending: false)) == ["b", "f"])
        }
    }

    @Test("the newest-first list and a status filter read an index in order, with no temporary sort")
    func listPlans() async throws {
        try await withTemporaryStore { store, _ in
            try await seed(store)
            for query in [SessionQuery(), SessionQuery(descending: false), SessionQuery(statuses: [.completed]),
                          SessionQuery(owner: "ann")] {
                let page = query.pageSQL
                let plan = try await store.reader.read { db in
                    try db.query("EXPLAIN QUERY PLAN " + page.sql, page.arguments) { $0.string(3) }
                }.joined(separator: "; ")
                #expect(!plan.contains("TEMP B-TREE"), "\(page.sql): \(plan)")
                #expect(plan.contains("USING INDEX"), "\(page.sql): \(plan)")
            }
        }
    }

    @Test("reading a changed session again decodes its new columns, not remembered ones")
    func rereadAfterChange() async throws {
        try await withTemporaryStore { store, _ in
            try await seed(store)
            _ = try await store.sessions(matching: SessionQuery())
            var a = try #require(try await store.session(id: "a"))
            a.tags = ["green", "blue"]
            a.metadata = ["owner_note": "changed"]
            a.configuration.model = "claude-opus-4-1"
            _ = try await store.commit(SessionWrite(sessionID: "a", record: a))
            let listed = try #require(try await store.sessions(matching: SessionQuery()).sessions.first { $0.id == "a" })
            #expect(listed.tags == ["green", "blue"])
            #expect(listed.metadata == ["owner_note": "changed"])
            #expect(listed.configuration.model == "claude-opus-4-1")
            #expect(listed == a)
        }
    }
}
