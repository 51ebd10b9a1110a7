import AgentCore

extension BrowserTasksAPI {
    /// Creating a task and reading its status (seed 002, "Create a New Session", "Get Session Status").
    func registerTasks(on router: inout Router) {
        let service = self.service
        let makeModelClient = self.makeModelClient
        // seed 002 "Create a New Session": the session, its own model key, then the task as its first message.
        Self.add(&router, "POST", "/api/tasks") { request in
            let taskID = BrowserTaskSecret.make()
            let task = try BrowserTaskRequest(try request.json(), taskID: taskID)
            let sessions = request.sessions(of: service)
            let created = try await sessions.create(task.session)
            if let key = task.apiKey { try await sessions.setModelClient(makeModelClient(key), for: created.id) }
            _ = try await sessions.send(created.id, Message.user(task.task))
            let record = try await sessions.session(created.id)
            let host = request.http.headers["Host"].map { "http://\($0)" } ?? ""
            return BrowserTasksEnvelope.ok("Task started successfully", [
                "session_id": .string(record.id), "task_id": .string(taskID),
                "status": .string(BrowserTaskStatus.name(record.status)),
                "session_url": .string("\(host)/api/sessions/\(record.id)/details"),
            ])
        }
        // seed 002 "Get Session Status", and the same as the system's own code asked for it.
        Self.add(&router, "GET", "/api/status/{session_id}/{task_id}") { request in
            try await Self.status(request.parameter("session_id"), taskID: request.parameter("task_id"), sessions: request.sessions(of: service))
        }
        Self.add(&router, "GET", "/api/sessions/{session_id}/status") { request in
            guard let taskID = request.query["task_id"], !taskID.isEmpty else {
                throw BrowserTasksError.invalid("the query parameter 'task_id' is required")
            }
            return try await Self.status(request.parameter("session_id"), taskID: taskID, sessions: request.sessions(of: service))
        }
    }

    /// `{session_id, task_id, status, logs, current_screenshot, pending_safety_checks, reasoning}`.
    static func status(_ id: String, taskID: String, sessions: OwnedSessions) async throws -> HTTPResponse {
        let record = try await BrowserTaskSecret.verified(taskID, session: id, sessions: sessions)
        let log = try await BrowserTaskLog.load(id, sessions: sessions)
        let screenshot = try await BrowserTaskViews.screenshot(id, sessions: sessions)
        return BrowserTasksEnvelope.ok("Session status retrieved",
                                       BrowserTaskViews.status(record, taskID: taskID, log: log, screenshot: screenshot))
    }
}
