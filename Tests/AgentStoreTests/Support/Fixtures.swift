import AgentCore

/// Test data builders.
enum Fixtures {
    static func session(_ id: String, owner: String = "", name: String = "", tags: [String] = [], priority: String = "normal",
                        status: SessionStatus = .idle, createdAt: Double = 1_000) -> SessionRecord {
        SessionRecord(id: id, owner: owner, name: name, tags: tags, priority: priority, status: status, createdAt: createdAt)
    }

    static func event(_ type: String = "status", _ n: Int = 0) -> NewSessionEvent {
        NewSessionEvent(type: type, time: 1_000 + Double(n), data: ["n": .int(n)])
    }

    /// Pseudo-random bytes standing in for an encoded screenshot.
    static func imageBytes(count: Int = 5_000, seed: UInt64 = 42) -> [UInt8] {
        var state = seed
        return (0..<count).map { _ in
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return UInt8(truncatingIfNeeded: state >> 33)
        }
    }
}
