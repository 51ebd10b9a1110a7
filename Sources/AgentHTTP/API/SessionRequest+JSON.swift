public import AgentCore

extension SessionRequest {
    /// Configuration fields a create request may give at its top level as well as under `configuration`.
    static let configurationKeys = [
        "model", "system_prompt_suffix", "tools", "environment", "limits", "approval_policy", "budget", "message_policy",
        "max_tokens",
    ]

    /// Reads a create request: labels at the top level, the configuration at the top level or
    /// under `configuration`, and an optional first `message` (or `task`) to run at once.
    public init(json: JSONValue, owner: String = "") throws(APIError) {
        func string(_ key: String) throws(APIError) -> String? {
            guard let value = json[key], !value.isNull else { return nil }
            guard let text = value.stringValue else { throw .badRequest("'\(key)' must be a string") }
            return text
        }
        var configuration = json["configuration"] ?? [:]
        guard configuration.objectValue != nil else { throw .badRequest("'configuration' must be an object") }
        for key in Self.configurationKeys {
            if let value = json[key], configuration[key] == nil { configuration[key] = value }
        }
        var tags: [String] = []
        if let value = json["tags"], !value.isNull {
            guard let array = value.arrayValue, array.allSatisfy({ $0.stringValue != nil }) else {
                throw .badRequest("'tags' must be a list of strings")
            }
            tags = array.compactMap(\.stringValue)
        }
        let metadata = json["metadata"] ?? [:]
        var text = try string("message")
        if text == nil { text = try string("task") }
        var name = try string("name")
        if name == nil { name = try string("session_name") }
        let id = try string("id")
        let priority = try string("priority") ?? "normal"
        self.init(
            id: id, owner: owner, name: name ?? "", tags: tags, priority: priority,
            metadata: metadata.isNull ? [:] : metadata, configuration: configuration, message: text.map { Message.user($0) })
    }
}
