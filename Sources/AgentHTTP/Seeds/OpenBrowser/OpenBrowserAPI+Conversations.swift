import AgentCore
import Foundation

extension OpenBrowserAPI {
    /// Conversations (seed 004 "Agent Conversations").
    func registerConversations(on router: inout Router) {
        let service = self.service
        let book = self.settings
        let browsers = self.browsers
        let makeModelClient = self.makeModelClient
        // seed 004 "POST /agent/conversations": `{cwd, browser_id}`, both optional.
        Self.add(&router, "POST", "/agent/conversations") { request in
            let sessions = request.sessions(of: service)
            let body = try request.json()
            let current = try book.settings(for: request.principal.owner).current
            var configuration: JSONValue = ["model": .string(current.model)]
            var directory = current.defaultDirectory
            if let cwd = try Self.string(body, "cwd") {
                directory = try OpenBrowserSettings.directory(
                    cwd, relativeTo: current.defaultDirectory ?? FileManager.default.currentDirectoryPath)
            }
            if let directory { configuration["working_directory"] = .string(directory) }
            if let environment = try browsers.environment(named: body["browser_id"]) {
                configuration["environment"] = .string(environment)
            }
            let name = try Self.string(body, "name") ?? ""
            let record = try await sessions.create(SessionRequest(name: name, configuration: configuration))
            if let key = current.apiKey {
                try await sessions.setModelClient(makeModelClient(key, current.baseURL ?? AnthropicClient.defaultBaseURL), for: record.id)
            }
            return .json(200, [
                "success": true, "conversation_id": .string(record.id), "message": .string("Conversation created: \(record.id)"),
                "cwd": .string(OpenBrowserModels.directory(record, service: service)),
            ])
        }
        // seed 004 "GET /agent/conversations": `status` filters.
        Self.add(&router, "GET", "/agent/conversations") { request in
            let sessions = request.sessions(of: service)
            let filter = request.query["status"].flatMap { $0.isEmpty ? nil : $0 }
            var query = SessionQuery(limit: SessionQuery.maximumLimit)
            if let filter { query.statuses = try OpenBrowserModels.statuses(filter: filter) }
            var conversations: [JSONValue] = []
            while true {
                let page = try await sessions.list(query)
                for record in page.sessions {
                    let count = try await SeedHistory.load(record.id, sessions: sessions).turns.count
                    conversations.append(OpenBrowserModels.conversation(record, messageCount: count, service: service))
                }
                query.offset += page.sessions.count
                if page.sessions.isEmpty || query.offset >= page.total { break }
            }
            return .json(200, [
                "success": true, "conversations": .array(conversations), "count": .int(conversations.count),
                "filter": filter.map(JSONValue.string) ?? .null,
            ])
        }
        // seed 004 "GET /agent/conversations/{conversation_id}".
        Self.add(&router, "GET", "/agent/conversations/{conversation_id}") { request in
            let sessions = request.sessions(of: service)
            let id = request.parameter("conversation_id")
            let record = try await sessions.session(id)
            let count = try await SeedHistory.load(id, sessions: sessions).turns.count
            return .json(200, ["success": true, "conversation": OpenBrowserModels.conversation(record, messageCount: count, service: service)])
        }
        // seed 004 "DELETE /agent/conversations/{conversation_id}".
        Self.add(&router, "DELETE", "/agent/conversations/{conversation_id}") { request in
            let sessions = request.sessions(of: service)
            let id = request.parameter("conversation_id")
            try await sessions.delete(id)
            return .json(200, ["success": true, "message": .string("Conversation deleted: \(id)")])
        }
    }
}
