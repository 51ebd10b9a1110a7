import AgentCore
import Foundation

/// Seed 003's "Data Models" as JSON.
enum AnymindViews {
    static func user(_ user: User) -> JSONValue {
        ["id": .int(user.id), "email": .string(user.email), "username": .string(user.username),
         "full_name": user.fullName.map(JSONValue.string) ?? .null, "is_active": .bool(user.isActive)]
    }

    static func apiKey(_ key: StoredAPIKey) -> JSONValue {
        ["id": .int(key.id), "key_prefix": .string(key.keyPrefix), "name": .string(key.name), "is_active": .bool(key.isActive),
         "last_used_at": key.lastUsedAt.map { .string(time($0)) } ?? .null, "created_at": .string(time(key.createdAt))]
    }

    /// `POST /api-keys`' answer: the only time the key itself is shown.
    static func newAPIKey(_ key: NewAPIKey) -> JSONValue {
        ["id": .int(key.record.id), "key": .string(key.plaintext), "key_prefix": .string(key.record.keyPrefix),
         "name": .string(key.record.name), "created_at": .string(time(key.record.createdAt))]
    }

    static func agent(_ agent: PlatformAgent) -> JSONValue {
        ["id": .int(agent.id), "name": .string(agent.name), "description": agent.description.map(JSONValue.string) ?? .null,
         "user_id": .int(agent.userID), "status": .string(agent.status.rawValue),
         "current_version_id": agent.currentVersionID.map { .int($0) } ?? .null,
         "created_at": .string(time(agent.createdAt)), "updated_at": .string(time(agent.updatedAt))]
    }

    static func version(_ version: AgentVersion) -> JSONValue {
        ["id": .int(version.id), "agent_id": .int(version.agentID), "version": .string(version.version),
         "status": .string(version.status.rawValue), "build_log": version.buildLog.map(JSONValue.string) ?? .null,
         "tarball_path": version.tarballPath.map(JSONValue.string) ?? .null,
         "entrypoint": version.entrypoint.map(JSONValue.string) ?? .null, "config": version.config.map(JSONValue.string) ?? .null,
         "created_at": .string(time(version.createdAt)), "updated_at": .string(time(version.updatedAt))]
    }

    static func execution(_ execution: Execution) -> JSONValue {
        var object: [String: JSONValue] = [
            "id": .int(execution.id), "agent_version_id": .int(execution.agentVersionID), "user_id": .int(execution.userID),
            "status": .string(execution.status.rawValue), "input_data": execution.inputData ?? .null,
            "output_data": execution.outputData ?? .null, "error_message": execution.errorMessage.map(JSONValue.string) ?? .null,
            "logs": execution.logs.map(JSONValue.string) ?? .null,
            "created_at": .string(time(execution.createdAt)), "updated_at": .string(time(execution.updatedAt)),
        ]
        if let session = execution.sessionID { object["session_id"] = .string(session) }
        return .object(object)
    }

    static func log(_ entry: PlatformLogEntry) -> JSONValue {
        ["timestamp": .string(time(entry.timestamp)), "level": .string(entry.level.rawValue), "message": .string(entry.message),
         "source": .string(entry.source.rawValue), "metadata": entry.metadata ?? .null]
    }

    /// seed 003's timestamps: ISO 8601 in UTC without an offset, as its examples show
    /// (`2024-01-01T00:00:00`), with microseconds when there are any (as FastAPI writes them).
    static func time(_ seconds: Double) -> String {
        let whole = seconds.rounded(.down)
        var moment = time_t(whole)
        var parts = tm()
        gmtime_r(&moment, &parts)
        let micros = Int(((seconds - whole) * 1_000_000).rounded())
        let base = String(format: "%04d-%02d-%02dT%02d:%02d:%02d", Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1,
                          Int(parts.tm_mday), Int(parts.tm_hour), Int(parts.tm_min), Int(parts.tm_sec))
        return micros > 0 && micros < 1_000_000 ? base + String(format: ".%06d", micros) : base
    }
}
