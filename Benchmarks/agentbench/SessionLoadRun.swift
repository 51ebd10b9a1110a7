import AgentCore
import AgentStore
import AgentTesting
import Foundation

/// End to end: `sessions` sessions of a `SessionService` on a real SQLite file run tasks at once
/// against the fake model (a child process answering with `note` tool calls, `turnsPerTask` per
/// task). Each session is kept busy: a new task goes out as soon as its subscriber sees the last one
/// end. After `tasksPerSession` tasks a slot moves on to a fresh session, so conversations (sent
/// whole with every request) stay short and the figure does not drift with run length.
struct SessionLoadRun {
    var sessions = 50
    var seconds = 10.0
    var turnsPerTask = 10
    var tasksPerSession = 5

    /// One session as its driver saw it.
    struct Observed: Sendable {
        let id: String
        /// `last_seq` when the subscription started.
        let baseline: Int
        /// The `seq` of every stored event the subscriber received, in order of receipt.
        var received: [Int] = []
        var endedTasks = 0
        var failedTasks = 0
        /// The status and reason of the first task that did not complete.
        var firstFailure: String?
        var closedEarly = false
    }

    struct Outcome {
        let wallSeconds: Double
        let storedEvents: Int
        let commits: [Double]
        let observed: [Observed]
        let lost: Int
        let gapsOrDuplicates: Int
        let clientCPUSeconds: Double
        let serverCPUSeconds: Double
    }

    func run() async throws -> Outcome {
        let child = try FakeServerProcess.start(arguments: ["loop", String(turnsPerTask)])
        defer { child.stop() }
        let temporary = try TemporaryStore("sessions")
        defer { temporary.remove() }
        let timing = TimingSessionStore(temporary.store)
        let service = SessionService(
            store: timing, model: AnthropicClient(apiKey: "bench-key", baseURL: "http://127.0.0.1:\(child.port)"),
            environments: FixedToolsEnvironment([ToolLoopResponder.noteTool]),
            configuration: SessionServiceConfiguration(inactivityTimeout: nil, workingDirectoryRoot: temporary.path("work")),
            imageStore: temporary.store)
        try await service.start()

        let serverCPUBefore = ProcessStats.cpuSeconds(pid: child.pid)
        let cpuBefore = ProcessStats.cpuSeconds()
        let start = nowNanoseconds()
        let deadline = start + UInt64(seconds * 1e9)
        let observed = try await withThrowingTaskGroup(of: [Observed].self) { group in
            for slot in 0..<sessions {
                group.addTask { try await drive(slot: slot, service: service, deadline: deadline) }
            }
            return try await group.reduce(into: []) { $0 += $1 }
        }
        let wall = secondsSince(start)
        let cpu = ProcessStats.cpuSeconds() - cpuBefore
        let serverCPU = ProcessStats.cpuSeconds(pid: child.pid) - serverCPUBefore

        var stored = 0, lost = 0, gaps = 0
        for session in observed {
            guard let record = try await temporary.store.session(id: session.id) else { continue }
            stored += record.lastSeq  // every event of the session was stored during the run
            let kept = try await storedSeqs(temporary.store, session.id, after: session.baseline)
            lost += session.received.filter { !kept.contains($0) }.count
            let maxSeen = session.received.max() ?? session.baseline
            if session.received != Array(stride(from: session.baseline + 1, through: maxSeen, by: 1)) { gaps += 1 }
        }
        await service.shutdown()
        return Outcome(wallSeconds: wall, storedEvents: stored, commits: timing.commitLatency.all, observed: observed,
                       lost: lost, gapsOrDuplicates: gaps, clientCPUSeconds: cpu, serverCPUSeconds: serverCPU)
    }

    /// One slot: sessions one after another, each running tasks back to back until the deadline.
    private func drive(slot: Int, service: SessionService, deadline: UInt64) async throws -> [Observed] {
        var done: [Observed] = []
        repeat {
            let record = try await service.create(SessionRequest(name: "bench-\(slot)-\(done.count)"))
            var session = Observed(id: record.id, baseline: record.lastSeq)
            let subscription = try await service.subscribe(record.id, after: record.lastSeq)
            _ = try await service.send(record.id, Message.user("Task 1: take notes."))
            events: for await item in subscription {
                guard case .event(let event) = item else {
                    session.closedEarly = true
                    break
                }
                if event.isLive { continue }
                session.received.append(event.seq)
                guard event.type == "status", let status = event.data["status"]?.stringValue, status != "running" else {
                    continue
                }
                session.endedTasks += 1
                if status != "completed" {
                    session.failedTasks += 1
                    if session.firstFailure == nil {
                        session.firstFailure = "\(status): \(event.data["reason"]?.stringValue ?? "")"
                    }
                }
                if session.endedTasks >= tasksPerSession || nowNanoseconds() >= deadline { break events }
                _ = try await service.send(record.id, Message.user("Task \(session.endedTasks + 1): take notes."))
            }
            subscription.cancel()
            done.append(session)
        } while nowNanoseconds() < deadline
        return done
    }

    /// The `seq` of every stored event of a session after `after`.
    private func storedSeqs(_ store: SQLiteSessionStore, _ id: String, after: Int) async throws -> Set<Int> {
        var seqs = Set<Int>(), cursor = after
        while true {
            let page = try await store.events(sessionID: id, after: cursor, limit: 5000)
            guard let last = page.last else { return seqs }
            for event in page { seqs.insert(event.seq) }
            cursor = last.seq
        }
    }
}
