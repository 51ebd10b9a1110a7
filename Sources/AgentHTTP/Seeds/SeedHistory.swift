import AgentCore
import Foundation

/// What the seed dialects read from a session's event log: the visible turns (user messages and
/// assistant replies, not the tool-result turns the model sees), with stable ids and times.
///
/// Built from stored events rather than the conversation, because events carry a time and a
/// `seq`: a turn's id is derived from its `seq`, so it is the same in a listing and in the live
/// stream that announced it.
struct SeedHistory: Sendable {
    /// One user message or assistant reply.
    struct Turn: Sendable {
        var seq: Int
        var role: Role
        var text: String
        var time: Double
        /// The tool calls the reply asked for (assistant turns only).
        var toolUseIDs: [String]
        /// The reply's `stop_reason` (assistant turns only).
        var stopReason: String?
    }

    var turns: [Turn] = []

    /// Every stored event of a session, oldest first.
    static func events(of id: String, sessions: OwnedSessions) async throws -> [SessionEvent] {
        var all: [SessionEvent] = []
        while true {
            let page = try await sessions.events(id, after: all.last?.seq ?? 0, limit: 5000)
            all += page
            if page.count < 5000 { return all }
        }
    }

    /// The visible turns of a session.
    static func load(_ id: String, sessions: OwnedSessions) async throws -> SeedHistory {
        SeedHistory(events: try await events(of: id, sessions: sessions))
    }

    init(events: [SessionEvent]) {
        for event in events { if let turn = Self.turn(event) { turns.append(turn) } }
    }

    /// The turn a `user_message` or `assistant_message` event adds, if it adds one.
    static func turn(_ event: SessionEvent) -> Turn? {
        guard event.type == "user_message" || event.type == "assistant_message",
              let json = event.data["message"], let message = try? Message(json: json) else { return nil }
        return Turn(seq: event.seq, role: message.role, text: message.text, time: event.time,
                    toolUseIDs: message.toolUses.map(\.id), stopReason: event.data["stop_reason"]?.stringValue)
    }

    /// An id in UUID form derived from `parts` (the same parts always give the same id).
    static func stableID(_ parts: String...) -> String {
        let hex = Array(SHA256.hex(Array(parts.joined(separator: "\u{1F}").utf8)).prefix(32))
        // RFC 9562 §5.8 (UUIDv8: custom): version nibble 8, variant bits 10.
        var digits = hex
        digits[12] = "8"
        digits[16] = ["8", "9", "a", "b"][Int(String(digits[16]), radix: 16)! & 3]
        let text = String(digits)
        let cuts = [8, 12, 16, 20]
        var result = ""
        for (offset, character) in text.enumerated() {
            if cuts.contains(offset) { result += "-" }
            result.append(character)
        }
        return result
    }

    /// Seconds since 1970 as an ISO 8601 UTC date-time (`2024-01-01T00:00:00Z`).
    static func iso(_ seconds: Double) -> String {
        Date(timeIntervalSince1970: seconds).formatted(.iso8601)
    }
}
