import AgentCore

extension OpenBrowserAPI {
    /// Messages, the live stream, the event history and its replay (seed 004).
    func registerStreams(on router: inout Router) {
        let service = self.service
        let browsers = self.browsers
        let heartbeat = self.heartbeat
        // seed 004 "POST /agent/conversations/{conversation_id}/messages": `{text, cwd, browser_id}`,
        // answered with the turn as SSE.
        Self.add(&router, "POST", "/agent/conversations/{conversation_id}/messages") { request in
            let sessions = request.sessions(of: service)
            let body = try request.json()
            guard let text = try Self.string(body, "text"), !text.isEmpty else {
                throw APIError.badRequest("'text' is required: the message")
            }
            let id = request.parameter("conversation_id")
            var record = try await sessions.session(id)
            var changes: [String: JSONValue] = [:]
            if let cwd = try Self.string(body, "cwd") {
                let current = OpenBrowserModels.directory(record, service: service)
                let directory = try OpenBrowserSettings.directory(cwd, relativeTo: current, current: current)
                if directory != current { changes["working_directory"] = .string(directory) }
            }
            if let environment = try browsers.environment(named: body["browser_id"]),
               environment != record.configuration.environment.kind {
                changes["environment"] = .string(environment)
            }
            if !changes.isEmpty { record = try await sessions.reconfigure(id, .object(changes)) }
            let outcome = try await sessions.send(id, Message.user(text))
            let subscription = try await sessions.subscribe(id, after: record.lastSeq)
            // A queued message runs after the runs ahead of it: its turn is the last `complete`.
            let turns: Int
            switch outcome {
            case .started: turns = 1
            case .queued(let position): turns = position + 1
            }
            return OpenBrowserStream(service: service, conversationID: id, source: .live(subscription), heartbeat: heartbeat,
                                     completes: turns).response()
        }
        // seed 004 "GET /agent/conversations/{conversation_id}/messages": the live stream with
        // `Accept: text/event-stream`, else the user messages.
        Self.add(&router, "GET", "/agent/conversations/{conversation_id}/messages") { request in
            let sessions = request.sessions(of: service)
            let id = request.parameter("conversation_id")
            if request.http.headers["Accept"]?.contains("text/event-stream") == true {
                let after = try await sessions.session(id).lastSeq
                let subscription = try await sessions.subscribe(id, after: after)
                return OpenBrowserStream(service: service, conversationID: id, source: .live(subscription), heartbeat: heartbeat)
                    .response()
            }
            let history = try await SeedHistory.load(id, sessions: sessions)
            let messages: [JSONValue] = history.turns.filter { $0.role == .user }.map { turn in
                [
                    "id": .string(SeedHistory.stableID("s4-message", id, String(turn.seq))), "role": "user",
                    "content": .string(turn.text), "timestamp": .string(SeedHistory.iso(turn.time)),
                ]
            }
            return .json(200, [
                "success": true, "conversation_id": .string(id), "messages": .array(messages), "count": .int(messages.count),
            ])
        }
        // seed 004 "GET /agent/conversations/{conversation_id}/events": the history without images.
        Self.add(&router, "GET", "/agent/conversations/{conversation_id}/events") { request in
            let sessions = request.sessions(of: service)
            let id = request.parameter("conversation_id")
            var mapper = OpenBrowserEvents(conversationID: id)
            let events = try await SeedHistory.events(of: id, sessions: sessions).flatMap { mapper.map($0) }
            return .json(200, [
                "success": true, "conversation_id": .string(id),
                "events": .array(events.map { ["event_type": .string($0.type), "event_data": $0.data] }),
                "count": .int(events.count),
            ])
        }
        // seed 004 "GET /agent/conversations/{conversation_id}/replay": the history as SSE.
        Self.add(&router, "GET", "/agent/conversations/{conversation_id}/replay") { request in
            let sessions = request.sessions(of: service)
            let id = request.parameter("conversation_id")
            let events = try await SeedHistory.events(of: id, sessions: sessions)
            return OpenBrowserStream(service: service, conversationID: id, source: .history(events), heartbeat: heartbeat)
                .response()
        }
    }
}
