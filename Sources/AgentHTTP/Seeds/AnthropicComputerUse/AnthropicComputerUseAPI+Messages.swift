import AgentCore
import Foundation

extension AnthropicComputerUseAPI {
    /// Messages (seed 000 "Messages").
    func registerMessages(on router: inout Router) {
        let service = self.service
        // seed 000 "POST /api/sessions/{session_id}/messages": `{"content"}`; the run goes on in
        // the background and the answer is the documented "processing" message.
        Self.add(&router, "POST", "/api/sessions/{session_id}/messages") { request in
            let body = try request.json()
            guard let content = body["content"]?.stringValue, !content.isEmpty else {
                throw APIError.badRequest("'content' is required: the message text")
            }
            let id = request.parameter("session_id")
            let outcome = try await request.sessions(of: service).send(id, Message.user(content))
            var metadata: JSONValue = ["status": "processing"]
            if case .queued(let position) = outcome { metadata["queue_position"] = .int(position) }
            return .json(200, [
                "id": "processing", "session_id": .string(id), "role": "user", "content": .string(content),
                "timestamp": .string(SeedHistory.iso(Date().timeIntervalSince1970)), "message_metadata": metadata,
                "tool_executions": [],
            ])
        }
        // seed 000 "GET /api/sessions/{session_id}/messages".
        Self.add(&router, "GET", "/api/sessions/{session_id}/messages") { request in
            .json(200, .array(try await Self.messages(of: request.parameter("session_id"), sessions: request.sessions(of: service))))
        }
    }
}
