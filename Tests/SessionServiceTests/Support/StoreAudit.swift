import AgentCore
import AgentStore

/// What a store holds after a crash, checked against the invariants of reliability target R1:
/// every acknowledged event is stored, each session's seqs are exactly 1…last_seq, and SQLite
/// finds the file sound.
struct StoreAudit {
    /// Every session, as stored.
    private(set) var sessions: [SessionRecord] = []
    /// One line per broken invariant; empty when the store is sound.
    private(set) var problems: [String] = []
    /// Acknowledged (session, seq) pairs found stored.
    private(set) var ackedFound = 0

    /// The ids of the sessions stored as `running`.
    var running: Set<String> { Set(sessions.filter { $0.status == .running }.map(\.id)) }

    /// Reads the whole store and checks it against `acked`.
    init(store: SQLiteSessionStore, acked: AckLog) async throws {
        let integrity = try await store.integrityCheck()
        if integrity != "ok" { problems.append("integrity_check: \(integrity)") }
        sessions = try await Self.allSessions(store)
        var stored: [String: [Int]] = [:]
        for record in sessions {
            let seqs = try await Self.allSeqs(store, record.id)
            stored[record.id] = seqs
            if seqs != Array(stride(from: 1, through: record.lastSeq, by: 1)) {
                problems.append("session \(record.id): last_seq \(record.lastSeq) but stored seqs \(Self.summary(seqs))")
            }
        }
        for (id, seqs) in acked.seqs {
            let present = Set(stored[id] ?? [])
            let missing = seqs.subtracting(present)
            ackedFound += seqs.count - missing.count
            if !missing.isEmpty { problems.append("session \(id): acknowledged seqs not stored: \(missing.sorted())") }
        }
    }

    // MARK: - Internals

    private static func allSessions(_ store: SQLiteSessionStore) async throws -> [SessionRecord] {
        var all: [SessionRecord] = []
        while true {
            let page = try await store.sessions(matching: SessionQuery(
                sort: .createdAt, descending: false, limit: SessionQuery.maximumLimit, offset: all.count))
            all += page.sessions
            if page.sessions.count < SessionQuery.maximumLimit { return all }
        }
    }

    private static func allSeqs(_ store: SQLiteSessionStore, _ id: String) async throws -> [Int] {
        var seqs: [Int] = []
        while true {
            let page = try await store.events(sessionID: id, after: seqs.last ?? 0, limit: 1000)
            seqs += page.map(\.seq)
            if page.count < 1000 { return seqs }
        }
    }

    /// The seqs in short form: `1…40` when contiguous, the list otherwise.
    private static func summary(_ seqs: [Int]) -> String {
        guard let first = seqs.first, let last = seqs.last else { return "none" }
        return seqs == Array(first...last) ? "\(first)…\(last)" : "\(seqs)"
    }
}
