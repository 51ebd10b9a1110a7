import AgentCore

extension NativeAPI {
    /// The event log: JSON pages, or a live Server-Sent Events stream with `Accept: text/event-stream`.
    func registerEvents(on router: inout Router) {
        let service = self.service
        router.add("GET", "/api/v1/sessions/{id}/events") { request in
            let id = request.parameter("id")
            var after = try request.integer("after", in: 0...Int.max, default: 0)
            if request.http.headers["Accept"]?.contains("text/event-stream") == true {
                // A reconnecting EventSource sends the last id it saw (WHATWG HTML §9.2.4).
                if let last = request.http.headers["Last-Event-ID"], let seq = Int(last), seq >= 0 { after = max(after, seq) }
                let subscription = try await request.sessions(of: service).subscribe(id, after: after)
                return EventStream(subscription: subscription).response()
            }
            let limit = try request.integer("limit", in: 1...5000, default: 500)
            let events = try await request.sessions(of: service).events(id, after: after, limit: limit)
            let last = try await request.sessions(of: service).session(id).lastSeq
            return .json(200, ["events": .array(events.map(\.json)), "last_seq": .int(last)])
        }
    }
}
