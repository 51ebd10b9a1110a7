import AgentCore

/// The `task_id` of an S2 task: the secret that controls it (seed 002, "Session Control
/// Endpoints": every control request names its `task_id`).
///
/// It is `t` and 32 hex digits from the system's secure generator (128 bits), returned once by
/// `POST /api/tasks`. The session keeps only its SHA-256, in its metadata under
/// ``metadataKey`` (so it survives a restart and cannot be read back); a request's `task_id` is
/// checked by hashing it and comparing in constant time.
enum BrowserTaskSecret {
    /// The metadata object the dialect reserves (`{"task_id_sha256", "task", "headless"}`); S2
    /// never shows it.
    static let metadataKey = "s2_task"

    /// A new task id.
    static func make() -> String {
        var generator = SystemRandomNumberGenerator()
        let high = generator.next() as UInt64, low = generator.next() as UInt64
        return "t" + hex(high) + hex(low)
    }

    /// The stored form of `taskID`.
    static func digest(_ taskID: String) -> String { SHA256.hex(Array(taskID.utf8)) }

    /// Whether `taskID` is the task id of `record` (false for sessions that have none).
    static func matches(_ taskID: String, _ record: SessionRecord) -> Bool {
        guard let stored = record.metadata[metadataKey]?["task_id_sha256"]?.stringValue else { return false }
        let given = Array(digest(taskID).utf8), expected = Array(stored.utf8)
        guard given.count == expected.count else { return false }
        var difference: UInt8 = 0
        for (a, b) in zip(given, expected) { difference |= a ^ b }
        return difference == 0
    }

    /// The session `id` after checking `taskID` against it.
    /// - Throws: 404 for an unknown session, 403 for a task id that does not match.
    static func verified(_ taskID: String, session id: String, sessions: OwnedSessions) async throws -> SessionRecord {
        let record = try await sessions.session(id)
        guard matches(taskID, record) else { throw BrowserTasksError.wrongTask(id) }
        return record
    }

    private static func hex(_ value: UInt64) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}
