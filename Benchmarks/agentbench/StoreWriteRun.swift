import AgentCore
import AgentStore
import Foundation

/// The store alone: `writers` tasks, one session each, commit back to back for `seconds`, each
/// write shaped like one step of a session (its record plus 1–3 events), as the service would.
struct StoreWriteRun {
    var writers = 50
    var seconds = 3.0

    struct Outcome {
        let wallSeconds: Double
        let storedEvents: Int
        let commits: [Double]
    }

    /// An event body about the size of a session's `tool_call_finished`.
    static let payload: JSONValue = [
        "tool_use_id": "toolu_01AbCdEfGhIjKlMnOpQrStUv", "name": "note", "output": "noted: step 7",
        "is_error": false, "duration_ms": 0.042, "input": ["text": "step 7"],
    ]

    func run() async throws -> Outcome {
        let temporary = try TemporaryStore("store")
        defer { temporary.remove() }
        let store = temporary.store
        let now = Date().timeIntervalSince1970
        var records: [SessionRecord] = []
        for writer in 0..<writers {
            let record = SessionRecord(id: "writer-\(writer)", name: "writer \(writer)", status: .running, createdAt: now)
            try await store.insert(record)
            records.append(record)
        }
        let latency = LatencySamples()
        let start = nowNanoseconds()
        let deadline = start + UInt64(seconds * 1e9)
        let events = try await withThrowingTaskGroup(of: Int.self) { group in
            for record in records {
                group.addTask {
                    var record = record, written = 0, step = 0
                    while nowNanoseconds() < deadline {
                        step += 1
                        let time = Date().timeIntervalSince1970
                        record.updatedAt = time
                        record.lastActivityAt = time
                        let events = (0..<(1 + step % 3)).map { _ in
                            NewSessionEvent(type: "tool_call_finished", time: time, data: Self.payload)
                        }
                        let begun = nowNanoseconds()
                        written += try await store.commit(SessionWrite(sessionID: record.id, record: record, events: events)).count
                        latency.record(since: begun)
                    }
                    return written
                }
            }
            return try await group.reduce(0, +)
        }
        let wall = secondsSince(start)
        var stored = 0
        for record in records { stored += try await store.session(id: record.id)?.lastSeq ?? 0 }
        guard stored == events else { throw BenchError("the store holds \(stored) events, \(events) were acknowledged") }
        return Outcome(wallSeconds: wall, storedEvents: stored, commits: latency.all)
    }
}
