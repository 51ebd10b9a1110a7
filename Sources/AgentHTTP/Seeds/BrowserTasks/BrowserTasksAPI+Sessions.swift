import AgentCore
import Foundation

extension BrowserTasksAPI {
    /// Session management and health (seed 002, "Session Management Endpoints", "Utility Endpoints").
    func registerSessions(on router: inout Router) {
        let service = self.service
        let version = self.version
        // seed 002 "Health Check": active sessions are those with a run in progress.
        Self.add(&router, "GET", "/api/health") { _ in
            guard let counts = try? await service.statusCounts() else {
                return BrowserTasksEnvelope.failure(503, "API is unhealthy", detail: "the session store does not answer")
            }
            let active = counts.filter { $0.key.hasActiveRun }.values.reduce(0, +)
            return BrowserTasksEnvelope.ok("API is healthy", [
                "status": "ok", "active_sessions": .int(active), "version": .string(version),
                "browser_environment": .string(Self.browserEnvironment),
            ])
        }
        // seed 002 "List All Sessions".
        Self.add(&router, "GET", "/api/sessions") { request in
            let sessions = try await BrowserTaskQuery(listing: request).run(request.sessions(of: service))
            return Self.listing(sessions)
        }
        // seed 002 "Advanced Session Filtering".
        Self.add(&router, "POST", "/api/sessions/batch") { request in
            let sessions = try await BrowserTaskQuery(batch: try request.json()).run(request.sessions(of: service))
            return Self.listing(sessions)
        }
        // seed 002 "Get Active Sessions": every session with a run in progress.
        Self.add(&router, "GET", "/api/sessions/active") { request in
            var query = SessionQuery(statuses: SessionStatus.allCases.filter(\.hasActiveRun), limit: SessionQuery.maximumLimit)
            var active: [JSONValue] = []
            while true {
                let page = try await request.sessions(of: service).list(query)
                active += page.sessions.map(BrowserTaskViews.active)
                query.offset += page.sessions.count
                if page.sessions.isEmpty || query.offset >= page.total { break }
            }
            return BrowserTasksEnvelope.ok("Found \(active.count) active sessions", ["active_sessions": .array(active)])
        }
        // seed 002 "Clean Up Old Sessions": deletes ended sessions older than `days_old` (default 7).
        Self.add(&router, "POST", "/api/sessions/cleanup") { request in
            let days = try Self.daysOld(request)
            let deleted = try await request.sessions(of: service).cleanUp(olderThanDays: days)
            return BrowserTasksEnvelope.ok("Cleaned up \(deleted.count) sessions older than \(CambioSession.seconds(days).serialized()) days",
                                           ["cleaned_count": .int(deleted.count)])
        }
        // seed 002 "Get Session Details".
        Self.add(&router, "GET", "/api/sessions/{session_id}/details") { request in
            let id = request.parameter("session_id")
            let record = try await request.sessions(of: service).session(id)
            let log = try await BrowserTaskLog.load(id, sessions: request.sessions(of: service))
            let screenshot = try await BrowserTaskViews.screenshot(id, sessions: request.sessions(of: service))
            return BrowserTasksEnvelope.ok("Retrieved details for session \(id)",
                                           BrowserTaskViews.details(record, log: log, screenshot: screenshot))
        }
        // seed 002 "Update Session Details": `name`, `tags`, `priority`, `user_id`.
        Self.add(&router, "PUT", "/api/sessions/{session_id}") { request in
            let id = request.parameter("session_id")
            let body = try request.json()
            let name = try BrowserTaskRequest.string(body, "name")
            let tags = try BrowserTaskRequest.strings(body, "tags")
            let priority = try BrowserTaskRequest.string(body, "priority")
            let owner = try BrowserTaskRequest.string(body, "user_id")
            guard name != nil || tags != nil || priority != nil || owner != nil else {
                throw BrowserTasksError.invalid("nothing to update: give name, tags, priority or user_id")
            }
            _ = try await request.sessions(of: service).update(id, SessionUpdate(name: name, tags: tags, priority: priority, owner: owner))
            var updates: [String: JSONValue] = [:]
            if let name { updates["name"] = .string(name) }
            if let tags { updates["tags"] = .array(tags.map(JSONValue.string)) }
            if let priority { updates["priority"] = .string(priority) }
            if let owner { updates["user_id"] = .string(owner) }
            return BrowserTasksEnvelope.ok("Session \(id) updated successfully",
                                           ["session_id": .string(id), "updates": .object(updates)])
        }
    }

    /// `{sessions}` with the document's message.
    static func listing(_ sessions: [SessionRecord]) -> HTTPResponse {
        BrowserTasksEnvelope.ok("Retrieved \(sessions.count) sessions",
                                ["sessions": .array(sessions.map { .object(BrowserTaskViews.summary($0)) })])
    }

    /// `days_old`: a number of days, at least 0 (default 7).
    static func daysOld(_ request: APIRequest) throws(BrowserTasksError) -> Double {
        guard let text = request.query["days_old"] else { return 7 }
        guard let days = Double(text), days.isFinite, days >= 0 else {
            throw .invalid("'days_old' must be a number of days, 0 or more")
        }
        return days
    }

    /// `browser_environment` in `/api/health`: `chromium` when desktops and Chromium are installed,
    /// else `unavailable` (browser tasks then end in `error` saying why).
    static var browserEnvironment: String {
        DesktopAvailability.isInstalled && FileManager.default.isExecutableFile(atPath: BrowserOptions.defaultExecutable)
            ? "chromium" : "unavailable"
    }
}
