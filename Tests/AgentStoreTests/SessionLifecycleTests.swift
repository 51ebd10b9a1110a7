import AgentCore
import AgentTesting
import Testing
@testable import AgentStore

@Suite("Session lifecycle", .timeLimit(.minutes(1)))
struct SessionLifecycleTests {
    @Test("a full record round-trips, and a duplicate id is refused")
    func insertAndRead() async throws {
        try await withTemporaryStore { store, _ in
            let call = ToolCall(id: "tu9", name: "bash", input: ["command": "rm -rf /tmp/x"])
            let record = SessionRecord(
                id: "s", owner: "ann", name: "Demo", tags: ["a", "b"], priority: "high",
                metadata: ["ticket": 42, "nested": ["ok": true, "ratio": 0.5]],
                configuration: SessionConfiguration(
                    model: "claude-x", systemPromptSuffix: "Be brief.", tools: ["computer", "bash"],
                    environment: .desktop(width: 1024, height: 768),
                    limits: AgentLimits(maxSteps: nil, timeout: 90, tokenBudget: 5_000),
                    approvalPolicy: ApprovalPolicy(rules: [ApprovalRule(tool: "bash", contains: "rm")]),
                    budget: SessionBudget(softTokens: 100, hardCostUSD: 2.5), messagePolicy: .reject, maxTokens: 4_096),
                status: .awaitingApproval, statusReason: "waiting", createdAt: 100, updatedAt: 200, lastActivityAt: 300,
                usage: Usage(inputTokens: 10, outputTokens: 20), costUSD: 0.125, lastSeq: 0,
                queue: [.user("next please")],
                pendingApproval: PendingApproval(call: call, reason: "rule",
                                                 screenshot: ImageReference(sha256: String(repeating: "a", count: 64), mediaType: "image/png", byteCount: 10),
                                                 requestedAt: 250),
                softBudgetAcknowledged: true)
            try await store.insert(record)
            #expect(try await store.session(id: "s") == record)
            #expect(try await store.session(id: "missing") == nil)
            await #expect(throws: SessionError.alreadyExists(id: "s")) {
                try await store.insert(Fixtures.session("s"))
            }
        }
    }

    @Test("tool executions and turn usage are stored in order and upserted")
    func toolExecutionsAndUsage() async throws {
        try await withTemporaryStore { store, _ in
            try await store.insert(Fixtures.session("s"))
            let first = ToolExecution(sessionID: "s", call: ToolCall(id: "t1", name: "bash", input: ["command": "ls"]),
                                      status: .running, startedAt: 10)
            let second = ToolExecution(sessionID: "s", call: ToolCall(id: "t2", name: "computer", input: ["action": "screenshot"]),
                                       status: .succeeded, output: "ok",
                                       image: ImageReference(sha256: String(repeating: "b", count: 64), mediaType: "image/png", byteCount: 77),
                                       startedAt: 20, finishedAt: 21, durationMs: 1000)
            let usage = TurnUsage(model: "m", usage: Usage(inputTokens: 1, outputTokens: 2), costUSD: 0.5, time: 10)
            _ = try await store.commit(SessionWrite(sessionID: "s", toolExecutions: [first, second], turnUsage: usage))
            var finished = first
            finished.status = .failed
            finished.error = "exit 1"
            finished.system = "note"
            finished.finishedAt = 12
            finished.durationMs = 2000
            let usage2 = TurnUsage(model: "m2", usage: Usage(cacheReadInputTokens: 9), costUSD: 0.25, time: 11)
            _ = try await store.commit(SessionWrite(sessionID: "s", toolExecutions: [finished], turnUsage: usage2))
            #expect(try await store.toolExecutions(sessionID: "s") == [finished, second])
            #expect(try await store.turnUsage(sessionID: "s") == [usage, usage2])
        }
    }

    @Test("clearing history keeps the session and its numbering")
    func clearHistory() async throws {
        try await withTemporaryStore { store, _ in
            try await store.insert(Fixtures.session("s"))
            _ = try await store.commit(SessionWrite(
                sessionID: "s", events: (0..<4).map { Fixtures.event("e", $0) }, messages: [(0, .user("hi"))],
                toolExecutions: [ToolExecution(sessionID: "s", call: ToolCall(id: "t", name: "bash", input: [:]), status: .succeeded, startedAt: 1)],
                turnUsage: TurnUsage(model: "m", usage: Usage(), costUSD: 0, time: 1)))
            try await store.clearHistory(sessionID: "s")
            #expect(try await store.events(sessionID: "s", after: 0, limit: 10).isEmpty)
            #expect(try await store.messages(sessionID: "s").isEmpty)
            #expect(try await store.toolExecutions(sessionID: "s").isEmpty)
            #expect(try await store.turnUsage(sessionID: "s").isEmpty)
            #expect(try await store.session(id: "s")?.lastSeq == 4)
            let next = try await store.commit(SessionWrite(sessionID: "s", events: [Fixtures.event()]))
            #expect(next.map(\.seq) == [5])
            await #expect(throws: SessionError.notFound(id: "nope")) { try await store.clearHistory(sessionID: "nope") }
        }
    }

    @Test("deleting a session removes everything it owns")
    func deleteCascades() async throws {
        try await withTemporaryStore { store, directory in
            for id in ["s", "keep"] {
                try await store.insert(Fixtures.session(id, tags: ["t"]))
                _ = try await store.commit(SessionWrite(
                    sessionID: id, events: [Fixtures.event()], messages: [(0, .user("hi"))],
                    toolExecutions: [ToolExecution(sessionID: id, call: ToolCall(id: "t", name: "bash", input: [:]), status: .succeeded, startedAt: 1)],
                    turnUsage: TurnUsage(model: "m", usage: Usage(), costUSD: 0, time: 1)))
            }
            #expect(try await store.delete(sessionID: "s"))
            #expect(try await store.delete(sessionID: "s") == false)
            #expect(try await store.session(id: "s") == nil)
            let raw = try SQLiteConnection(path: directory.file("agentd.db"), mode: .reader)
            for table in ["messages", "events", "tool_executions", "usage", "session_tags"] {
                #expect(try raw.scalarInt("SELECT COUNT(*) FROM \(table) WHERE session_id = 's'") == 0, "\(table)")
                #expect(try raw.scalarInt("SELECT COUNT(*) FROM \(table) WHERE session_id = 'keep'") == 1, "\(table)")
            }
            #expect(try await store.integrityCheck() == "ok")
        }
    }

    @Test("a closed store refuses work")
    func closed() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try SQLiteSessionStore(path: directory.file("agentd.db"))
        try await store.insert(Fixtures.session("s"))
        store.close()
        store.close()
        await #expect(throws: SessionError.self) { try await store.insert(Fixtures.session("t")) }
        await #expect(throws: SessionError.self) { try await store.session(id: "s") }
        // Everything acknowledged before close is in the file.
        let reopened = try SQLiteSessionStore(path: directory.file("agentd.db"))
        defer { reopened.close() }
        #expect(try await reopened.session(id: "s") != nil)
    }
}
