import AgentCore

/// A session's chat history as seed 001 shows it ("Get Chat History"): the user's messages and
/// the assistant's replies, each with an `id` (`msg-<seq>`, the event that stored it), `role`,
/// text `content`, `timestamp` and `metadata` (`tool_calls`: the tools the reply called).
///
/// It reads the event log, which has a time for every message; tool results are the tools' turns
/// and are not listed.
enum CambioHistory {
    /// Every history entry of session `id`, oldest first.
    static func entries(_ sessions: OwnedSessions, _ id: String) async throws -> [JSONValue] {
        var entries: [JSONValue] = []
        var after = 0
        while true {
            let events = try await sessions.events(id, after: after, limit: 5000)
            for event in events {
                if let entry = entry(event) { entries.append(entry) }
            }
            guard let last = events.last, events.count == 5000 else { break }
            after = last.seq
        }
        return entries
    }

    /// The history entry of a `user_message` or `assistant_message` event, else nil.
    static func entry(_ event: SessionEvent) -> JSONValue? {
        guard event.type == "user_message" || event.type == "assistant_message",
              let json = event.data["message"], let message = try? Message(json: json) else { return nil }
        var metadata: JSONValue = [:]
        if message.role == .assistant {
            metadata["tool_calls"] = .array(message.toolUses.map { .string($0.name) })
        }
        return [
            "id": .string("msg-\(event.seq)"), "role": .string(message.role.rawValue), "content": .string(message.text),
            "timestamp": .string(CambioTime.string(event.time)), "metadata": metadata,
        ]
    }
}

extension CambioAPI {
    /// Seed 001, "Chat History": read (`limit`, `offset`, `role`) and clear.
    func registerHistory(on router: inout Router) {
        let service = self.service
        router.add("GET", "/sessions/{session_id}/history", errors: Self.errors) { request in
            let id = request.parameter("session_id")
            let limit = try Self.integer(request, "limit", in: 1...5000, default: 100)
            let offset = try Self.integer(request, "offset", in: 0...Int.max, default: 0)
            var entries = try await CambioHistory.entries(request.sessions(of: service), id)
            if let role = request.query["role"] {
                guard role == "user" || role == "assistant" else {
                    throw CambioError.validation("role", "'role' must be user or assistant")
                }
                entries = entries.filter { $0["role"]?.stringValue == role }
            }
            let page = JSONValue.array(Array(entries.dropFirst(offset).prefix(limit)))
            return .json(200, [
                "messages": page, "total": .int(entries.count), "session_id": .string(id),
                "data": page, "pagination": Self.pagination(limit: limit, offset: offset, total: entries.count),
            ])
        }
        router.add("DELETE", "/sessions/{session_id}/history", errors: Self.errors) { request in
            let id = request.parameter("session_id")
            let cleared = try await CambioHistory.entries(request.sessions(of: service), id).count
            try await request.sessions(of: service).clearHistory(id)
            return .json(200, [
                "message": "Chat history cleared", "session_id": .string(id), "cleared_messages": .int(cleared),
            ])
        }
    }
}
