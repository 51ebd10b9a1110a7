import AgentCore

/// A session as seed 001 shows it ("Create Session", "Get Session Details", "List Sessions").
enum CambioSession {
    /// `vnc_url` and `websocket_url` are paths on this server, as the document gives them.
    static func json(_ record: SessionRecord, detail: Bool = false, vncPort: Int? = nil) -> JSONValue {
        let configuration = record.configuration
        var o: [String: JSONValue] = [
            "id": .string(record.id), "name": .string(record.name),
            "status": .string(CambioStatus(record.status).rawValue), "agent_status": .string(record.status.rawValue),
            "vnc_url": .string("/vnc/\(record.id)"), "websocket_url": .string("/ws/\(record.id)"),
            "created_at": .string(CambioTime.string(record.createdAt)),
            "updated_at": .string(CambioTime.string(record.updatedAt)),
            "config": [
                "timeout": configuration.limits.timeout.map(Self.seconds) ?? .null,
                "max_messages": configuration.maxMessages.map(JSONValue.int) ?? .null,
                "environment": .string(configuration.environment.kind),
                "tools": .array(configuration.tools.map(JSONValue.string)),
            ],
        ]
        if let reason = record.statusReason { o["status_reason"] = .string(reason) }
        if detail {
            o["container_id"] = .null
            o["vnc_port"] = vncPort.map(JSONValue.int) ?? .null
        }
        return .object(o)
    }

    /// Whole seconds as an integer (the document's `"timeout": 3600`), others as they are.
    static func seconds(_ value: Double) -> JSONValue {
        value.rounded() == value && abs(value) < 9e15 ? .int(Int(value)) : .double(value)
    }

    /// The session service's create request for a seed-001 body: `name`, and `config` with
    /// `timeout` (seconds per run: `limits.timeout_seconds`) and `max_messages`
    /// (`limits.max_messages`); other `config` fields are native configuration fields. A desktop
    /// environment is the default.
    static func request(_ body: JSONValue) throws(CambioError) -> SessionRequest {
        var name = ""
        if let value = body["name"], !value.isNull {
            guard let text = value.stringValue else { throw .validation("name", "'name' must be a string") }
            name = text
        }
        var configuration = body["config"] ?? [:]
        if configuration.isNull { configuration = [:] }
        guard configuration.objectValue != nil else { throw .validation("config", "'config' must be an object") }
        var limits = configuration["limits"] ?? [:]
        if limits.isNull { limits = [:] }
        guard limits.objectValue != nil else { throw .validation("config.limits", "'config.limits' must be an object") }
        if let value = configuration["timeout"], !value.isNull {
            guard let seconds = value.doubleValue, seconds > 0, seconds.isFinite, value.boolValue == nil else {
                throw .validation("config.timeout", "'config.timeout' must be a positive number of seconds")
            }
            limits["timeout_seconds"] = .double(seconds)
        }
        if let value = configuration["max_messages"], !value.isNull {
            guard let count = value.intValue, count >= 1, value.boolValue == nil else {
                throw .validation("config.max_messages", "'config.max_messages' must be a positive integer")
            }
            limits["max_messages"] = .int(count)
        }
        configuration["timeout"] = nil
        configuration["max_messages"] = nil
        configuration["limits"] = limits
        if configuration["environment"] == nil { configuration["environment"] = "desktop" }
        return SessionRequest(name: name, configuration: configuration)
    }
}
