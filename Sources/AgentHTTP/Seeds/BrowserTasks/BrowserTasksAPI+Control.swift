import AgentCore

extension BrowserTasksAPI {
    /// What one control request does, given the verified session id and the request's body.
    typealias Control = @Sendable (_ id: String, _ body: JSONValue, _ sessions: OwnedSessions) async throws -> HTTPResponse

    /// Session control (seed 002, "Session Control Endpoints"), at the document's paths
    /// (`/api/stop/{id}`) and the system's own (`/api/sessions/{id}/stop`).
    func registerControl(on router: inout Router) {
        let controls: [(document: String, own: String, control: Control)] = [
            ("stop", "stop", { id, _, sessions in
                // Stopping a stopped task is harmless here (the native API answers 409): seed 002's
                // clients retry `stop` and expect the session to stay stopped.
                let current = try await sessions.session(id)
                let record = current.status == .stopped ? current : try await sessions.stop(id)
                return Self.controlled("Session stopped", record)
            }),
            ("pause", "pause", { id, _, sessions in
                let record = try await sessions.pause(id)
                return Self.controlled("Session paused", record)
            }),
            ("resume", "resume", { id, _, sessions in
                let record = try await sessions.resume(id)
                return Self.controlled("Session resumed", record)
            }),
            ("confirm_safety_check", "confirm-safety-check", { id, body, sessions in
                guard let confirm = body["confirm"]?.boolValue else {
                    throw BrowserTasksError.invalid("'confirm' is required: true to continue, false to stop the session")
                }
                if confirm {
                    return Self.controlled("Safety checks confirmed", try await sessions.approve(id))
                }
                let given = try BrowserTaskRequest.string(body, "reason").flatMap { $0.isEmpty ? nil : $0 }
                let reason = "safety check declined" + (given.map { ": \($0)" } ?? " by the user")
                return Self.controlled("Safety checks declined; session stopped",
                                       try await sessions.declineAndStop(id, reason: reason))
            }),
            ("cleanup_session", "cleanup", { id, _, sessions in
                _ = try await sessions.releaseEnvironment(id)
                return BrowserTasksEnvelope.ok("Session cleaned up", ["session_id": .string(id), "status": "cleaned"])
            }),
        ]
        let service = self.service
        for (document, own, control) in controls {
            for pattern in ["/api/\(document)/{session_id}", "/api/sessions/{session_id}/\(own)"] {
                Self.add(&router, "POST", pattern) { request in
                    let id = request.parameter("session_id")
                    let body = try request.json()
                    let sessions = request.sessions(of: service)
                    try await Self.authorize(id, body: body, request: request, sessions: sessions)
                    return try await control(id, body, sessions)
                }
            }
        }
    }

    /// Checks the request's `task_id` (body or query) against the session's task, and that a body
    /// `session_id`, when given, names the session of the path.
    /// - Throws: 400 without a `task_id` or with another `session_id`, 404, 403 on a mismatch.
    static func authorize(_ id: String, body: JSONValue, request: APIRequest, sessions: OwnedSessions) async throws {
        if let named = try BrowserTaskRequest.string(body, "session_id"), named != id {
            throw BrowserTasksError.invalid("the body's session_id \(named) is not the session of the path, \(id)")
        }
        guard let taskID = try BrowserTaskRequest.string(body, "task_id") ?? request.query["task_id"], !taskID.isEmpty else {
            throw BrowserTasksError.invalid("'task_id' is required (the task_id POST /api/tasks returned)")
        }
        _ = try await BrowserTaskSecret.verified(taskID, session: id, sessions: sessions)
    }

    /// `{session_id, status}` after a control request.
    static func controlled(_ message: String, _ record: SessionRecord) -> HTTPResponse {
        BrowserTasksEnvelope.ok(message, ["session_id": .string(record.id), "status": .string(BrowserTaskStatus.name(record.status))])
    }
}
