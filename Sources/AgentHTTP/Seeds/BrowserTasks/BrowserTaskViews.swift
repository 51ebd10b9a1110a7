import AgentCore
import Foundation

/// Sessions as S2 shows them (seed 002: "List All Sessions", "Get Active Sessions", "Get Session
/// Details"). Times are ISO 8601 in UTC (`2025-03-11T10:15:30Z`).
enum BrowserTaskViews {
    /// The task text (`metadata.s2_task.task`); null for sessions made through another API.
    static func task(_ record: SessionRecord) -> JSONValue {
        record.metadata[BrowserTaskSecret.metadataKey]?["task"]?.stringValue.map(JSONValue.string) ?? .null
    }

    /// When an ended session last changed, else nil (see ``BrowserTasksAPI``, `completed_at`).
    static func completedAt(_ record: SessionRecord) -> Double? {
        record.status.isEnded ? record.updatedAt : nil
    }

    /// Seconds from creation to `completedAt` (or to `now` while it has not ended).
    static func duration(_ record: SessionRecord, now: Double) -> Double {
        (completedAt(record) ?? now) - record.createdAt
    }

    /// "List All Sessions": `{id, name, task, status, created_at, completed_at, user_id, tags}`, and `priority`.
    static func summary(_ record: SessionRecord) -> [String: JSONValue] {
        [
            "id": .string(record.id), "name": .string(record.name), "task": task(record),
            "status": .string(BrowserTaskStatus.name(record.status)),
            "created_at": .string(SeedHistory.iso(record.createdAt)),
            "completed_at": completedAt(record).map { .string(SeedHistory.iso($0)) } ?? .null,
            "user_id": .string(record.owner), "tags": .array(record.tags.map(JSONValue.string)),
            "priority": .string(record.priority),
        ]
    }

    /// "Get Active Sessions": `{id, task_id, started_at, status, name, task}`; `task_id` is the
    /// control secret and so always null.
    static func active(_ record: SessionRecord) -> JSONValue {
        [
            "id": .string(record.id), "task_id": .null, "started_at": .string(SeedHistory.iso(record.createdAt)),
            "status": .string(BrowserTaskStatus.name(record.status)), "name": .string(record.name), "task": task(record),
        ]
    }

    /// `browser_config`: the screen and starting URL of the session's environment, and `headless`.
    static func browserConfiguration(_ record: SessionRecord) -> JSONValue {
        let headless = record.metadata[BrowserTaskSecret.metadataKey]?["headless"]?.boolValue ?? true
        switch record.configuration.environment {
        case .browser(let width, let height, let url):
            return ["display_width": .int(width), "display_height": .int(height), "headless": .bool(headless),
                    "starting_url": .string(url)]
        case .desktop(let width, let height):
            return ["display_width": .int(width), "display_height": .int(height), "headless": .bool(headless),
                    "starting_url": .null]
        case .none:
            return ["display_width": .null, "display_height": .null, "headless": .bool(headless), "starting_url": .null]
        }
    }

    /// The `data` of "Get Session Details".
    static func details(_ record: SessionRecord, log: BrowserTaskLog, screenshot: String?) -> JSONValue {
        var session = summary(record)
        session["environment"] = .string(record.configuration.environment.kind)
        session["browser_config"] = browserConfiguration(record)
        session["logs"] = .array(log.lines.map(JSONValue.string))
        session["actions"] = .array(log.actions)
        session["reasoning_data"] = .array(log.reasoning)
        session["status_reason"] = record.statusReason.map(JSONValue.string) ?? .null
        return [
            "session": .object(session), "is_active": .bool(record.status.hasActiveRun),
            "latest_screenshot": screenshot.map(JSONValue.string) ?? .null,
            "logs_count": .int(log.lines.count), "screenshots_count": .int(log.screenshotCount),
        ]
    }

    /// The `data` of "Get Session Status".
    static func status(_ record: SessionRecord, taskID: String, log: BrowserTaskLog, screenshot: String?) -> JSONValue {
        [
            "session_id": .string(record.id), "task_id": .string(taskID),
            "status": .string(BrowserTaskStatus.name(record.status)),
            "status_reason": record.statusReason.map(JSONValue.string) ?? .null,
            "logs": .array(log.lines.map(JSONValue.string)), "current_screenshot": screenshot.map(JSONValue.string) ?? .null,
            "pending_safety_checks": BrowserTaskSafety.checks(record), "reasoning": .array(log.reasoning),
        ]
    }

    /// The session's newest screenshot as base64 PNG, or nil when it has none.
    static func screenshot(_ id: String, sessions: OwnedSessions) async throws -> String? {
        try await sessions.latestScreenshot(id).map { Base64.encode($0.image.data) }
    }
}
