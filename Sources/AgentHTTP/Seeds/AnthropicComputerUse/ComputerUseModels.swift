import AgentCore

/// S0's data models ("Data Models": Session, Message, Tool Execution) built from ours.
enum ComputerUseModels {
    /// Our status as one of S0's four: `active | completed | error | cancelled`.
    static func status(_ status: SessionStatus) -> String {
        switch status {
        case .idle, .running, .paused, .awaitingApproval: "active"
        case .completed: "completed"
        case .error, .interrupted: "error"
        case .stopped, .timeout: "cancelled"
        }
    }

    /// A Session: `id, name, status, created_at, updated_at, message_count`.
    static func session(_ record: SessionRecord, messageCount: Int) -> JSONValue {
        [
            "id": .string(record.id), "name": .string(record.name), "status": .string(status(record.status)),
            "created_at": .string(SeedHistory.iso(record.createdAt)), "updated_at": .string(SeedHistory.iso(record.updatedAt)),
            "message_count": .int(messageCount),
        ]
    }

    /// The id of the message a `user_message` or `assistant_message` event added.
    static func messageID(session: String, seq: Int) -> String { SeedHistory.stableID("s0-message", session, String(seq)) }

    /// The Messages of a session, each reply with the tool calls it asked for.
    static func messages(_ history: SeedHistory, executions: [ToolExecution], session: String) -> [JSONValue] {
        let byCall = Dictionary(executions.map { ($0.call.id, $0) }, uniquingKeysWith: { _, last in last })
        return history.turns.map { turn in
            let id = messageID(session: session, seq: turn.seq)
            var metadata: [String: JSONValue] = [:]
            if let stop = turn.stopReason { metadata["stop_reason"] = .string(stop) }
            return [
                "id": .string(id), "session_id": .string(session), "role": .string(turn.role.rawValue),
                "content": .string(turn.text), "timestamp": .string(SeedHistory.iso(turn.time)),
                "message_metadata": .object(metadata),
                "tool_executions": .array(turn.toolUseIDs.compactMap { byCall[$0] }.map { execution($0, messageID: id) }),
            ]
        }
    }

    /// A Tool Execution: `id, message_id, tool_name, tool_input, tool_output, execution_time,
    /// status (running | completed | error), created_at, completed_at`.
    static func execution(_ execution: ToolExecution, messageID: String) -> JSONValue {
        let status = executionStatus(execution.status)
        var output: [String: JSONValue] = ["status": .string(status)]
        if let text = execution.output { output["result"] = .string(text) }
        if let text = execution.error { output["error"] = .string(text) }
        if let text = execution.system { output["system"] = .string(text) }
        if let image = execution.image {
            output["screenshot"] = [
                "sha256": .string(image.sha256),
                "url": .string("/api/v1/sessions/\(execution.sessionID)/screenshots/\(image.sha256)"),
            ]
        }
        let seconds = execution.durationMs.map { $0 / 1000 }
            ?? execution.finishedAt.map { $0 - execution.startedAt } ?? 0
        return [
            "id": .string(executionID(session: execution.sessionID, call: execution.call.id)),
            "message_id": .string(messageID), "tool_name": .string(execution.call.name),
            "tool_input": execution.call.input.objectValue != nil ? execution.call.input : ["input": execution.call.input],
            "tool_output": .object(output), "execution_time": .double(seconds), "status": .string(status),
            "created_at": .string(SeedHistory.iso(execution.startedAt)),
            "completed_at": execution.finishedAt.map { .string(SeedHistory.iso($0)) } ?? .null,
        ]
    }

    static func executionID(session: String, call: String) -> String { SeedHistory.stableID("s0-tool", session, call) }

    static func executionStatus(_ status: ToolExecution.Status) -> String {
        switch status {
        case .running: "running"
        case .succeeded: "completed"
        case .failed, .skipped, .interrupted: "error"
        }
    }
}
