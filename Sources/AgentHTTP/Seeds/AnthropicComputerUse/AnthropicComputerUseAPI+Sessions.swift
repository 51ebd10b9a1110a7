import AgentCore
import Foundation

extension AnthropicComputerUseAPI {
    /// Health and sessions (seed 000 "Health Check", "Sessions").
    func registerSessions(on router: inout Router) {
        let service = self.service
        let version = self.version
        // seed 000 "GET /api/health".
        Self.add(&router, "GET", "/api/health") { _ in
            .json(200, ["status": "healthy", "timestamp": .string(SeedHistory.iso(Date().timeIntervalSince1970)),
                        "version": .string(version)])
        }
        // seed 000 "POST /api/sessions": `{"name"}`, answered with the Session.
        Self.add(&router, "POST", "/api/sessions") { request in
            let body = try request.json()
            if let name = body["name"], !name.isNull, name.stringValue == nil {
                throw APIError.badRequest("'name' must be a string")
            }
            let created = try await request.sessions(of: service).create(SessionRequest(json: body))
            return .json(201, ComputerUseModels.session(created, messageCount: 0))
        }
        // seed 000 "GET /api/sessions": every session, as a JSON array.
        Self.add(&router, "GET", "/api/sessions") { request in
            let owned = request.sessions(of: service)
            var sessions: [JSONValue] = []
            var query = SessionQuery(limit: SessionQuery.maximumLimit)
            while true {
                let page = try await owned.list(query)
                for record in page.sessions {
                    let count = try await SeedHistory.load(record.id, sessions: owned).turns.count
                    sessions.append(ComputerUseModels.session(record, messageCount: count))
                }
                query.offset += page.sessions.count
                if page.sessions.isEmpty || query.offset >= page.total { break }
            }
            return .json(200, .array(sessions))
        }
        // seed 000 "GET /api/sessions/{session_id}": the Session with its messages.
        Self.add(&router, "GET", "/api/sessions/{session_id}") { request in
            let id = request.parameter("session_id")
            let record = try await request.sessions(of: service).session(id)
            let messages = try await Self.messages(of: id, sessions: request.sessions(of: service))
            var json = ComputerUseModels.session(record, messageCount: messages.count)
            json["messages"] = .array(messages)
            return .json(200, json)
        }
        // seed 000 "DELETE /api/sessions/{session_id}".
        Self.add(&router, "DELETE", "/api/sessions/{session_id}") { request in
            let id = request.parameter("session_id")
            try await request.sessions(of: service).delete(id)
            return .json(200, ["message": .string("Session \(id) deleted successfully")])
        }
    }

    /// A session's Messages, replies with their tool executions.
    static func messages(of id: String, sessions: OwnedSessions) async throws -> [JSONValue] {
        let history = try await SeedHistory.load(id, sessions: sessions)
        let executions = try await sessions.toolExecutions(id)
        return ComputerUseModels.messages(history, executions: executions, session: id)
    }
}
