import AgentCore

/// S4's conversation model and status names, built from ours.
enum OpenBrowserModels {
    /// Our status as one of S4's: `active | idle | error | completed`.
    static func status(_ status: SessionStatus) -> String {
        switch status {
        case .running, .paused, .awaitingApproval: "active"
        case .idle, .stopped, .timeout, .interrupted: "idle"
        case .completed: "completed"
        case .error: "error"
        }
    }

    /// The statuses an S4 `status` filter stands for.
    /// - Throws: 400 for a name S4 does not have.
    static func statuses(filter: String) throws(APIError) -> [SessionStatus] {
        let matching = SessionStatus.allCases.filter { status($0) == filter }
        guard !matching.isEmpty else { throw .badRequest("unknown status '\(filter)' (known: active, idle, error, completed)") }
        return matching
    }

    /// The directory a conversation's shell and editor start in.
    static func directory(_ record: SessionRecord, service: SessionService) -> String {
        record.configuration.workingDirectory ?? service.configuration.workingDirectoryRoot + "/" + record.id
    }

    /// seed 004 "GET /agent/conversations": `{id, status, created_at, message_count}`, plus
    /// `updated_at`, `cwd` and `name`.
    static func conversation(_ record: SessionRecord, messageCount: Int, service: SessionService) -> JSONValue {
        [
            "id": .string(record.id), "status": .string(status(record.status)),
            "created_at": .string(SeedHistory.iso(record.createdAt)), "updated_at": .string(SeedHistory.iso(record.updatedAt)),
            "message_count": .int(messageCount), "cwd": .string(directory(record, service: service)), "name": .string(record.name),
        ]
    }
}
