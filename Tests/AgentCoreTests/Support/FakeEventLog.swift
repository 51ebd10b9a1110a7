import AgentCore
import AgentTesting

/// An in-memory session event log standing in for the store's `events(sessionID:after:limit:)`.
///
/// A test can hold a read at a gate (`holdRead(_:started:release:)`) to interleave a subscriber's catch-up
/// with live publishing, or make every read fail.
actor FakeEventLog {
    let sessionID: String
    private(set) var events: [SessionEvent] = []
    /// How many reads have started.
    private(set) var reads = 0
    private var holds: [Int: (started: Gate, release: Gate)] = [:]
    private var failure: (any Error)?

    /// A log holding stored events `first...last` (empty when `last < first`).
    init(sessionID: String = "s1", first: Int = 1, last: Int = 0) {
        self.sessionID = sessionID
        if last >= first { events = (first...last).map { storedEvent($0, session: sessionID) } }
    }

    var lastSeq: Int { events.last?.seq ?? 0 }

    /// Appends `count` stored events and returns them, as a commit does.
    func append(_ count: Int = 1) -> [SessionEvent] {
        let start = lastSeq + 1
        let new = (start..<start + count).map { storedEvent($0, session: sessionID) }
        events += new
        return new
    }

    /// Makes read number `read` (1-based) open `started` and then wait for `release` before it looks at the log.
    func holdRead(_ read: Int, started: Gate, release: Gate) {
        holds[read] = (started, release)
    }

    func fail(with error: any Error) {
        failure = error
    }

    /// Stored events with `seq > after`, oldest first, at most `limit`.
    func read(after: Int, limit: Int) async throws -> [SessionEvent] {
        reads += 1
        if let hold = holds[reads] {
            hold.started.open()
            await hold.release.wait()
        }
        if let failure { throw failure }
        return Array(events.lazy.filter { $0.seq > after }.prefix(limit))
    }

    /// The closure an `EventHub` subscriber reads history with.
    nonisolated var history: @Sendable (Int, Int) async throws -> [SessionEvent] {
        { after, limit in try await self.read(after: after, limit: limit) }
    }
}

func storedEvent(_ seq: Int, session: String = "s1") -> SessionEvent {
    SessionEvent(sessionID: session, seq: seq, type: "status", time: Double(seq), data: ["n": .int(seq)])
}

/// A live-only token delta following stored event `seq`.
func deltaEvent(after seq: Int, text: String = "tok", session: String = "s1") -> SessionEvent {
    SessionEvent(sessionID: session, seq: seq, type: "text_delta", time: 0, data: ["text": .string(text)], isLive: true)
}
