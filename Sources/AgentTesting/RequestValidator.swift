import AgentCore

/// An error the fake server answers instead of a scripted reply.
struct ValidationFailure: Sendable, Hashable, Error {
    var status: Int
    var type: String
    var message: String

    static func invalid(_ message: String) -> ValidationFailure {
        ValidationFailure(status: 400, type: "invalid_request_error", message: message)
    }
}

/// Checks a request the way the real Messages API does (reference §1.1-1.3 and §8): path, method,
/// credentials, `anthropic-version`, body shape, and tool_use/tool_result pairing. Unknown body keys
/// are ignored.
struct RequestValidator: Sendable {
    /// When set, the only accepted `x-api-key` (or Bearer token).
    var expectedAPIKey: String?

    /// The first problem with the request, in the order the API reports them; nil when it is valid.
    func validate(
        method: String, path: String, header: (String) -> String?, body: [UInt8], json: JSONValue?, parseError: String?
    ) -> ValidationFailure? {
        let route = path.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        guard route == "/v1/messages" else {
            return ValidationFailure(status: 404, type: "not_found_error", message: "Not Found")
        }
        guard method == "POST" else {
            return ValidationFailure(status: 405, type: "invalid_request_error", message: "Method Not Allowed")
        }
        if let failure = checkCredentials(header) { return failure }
        guard let version = header("anthropic-version"), !version.isEmpty else {
            return .invalid("anthropic-version: header is required")
        }
        guard let json else {
            if body.isEmpty { return .invalid("Request body is empty; expected a JSON object.") }
            return .invalid(
                "There was an error parsing the body of your request (\(parseError ?? "malformed JSON")). Check that it is valid JSON.")
        }
        return checkBody(json)
    }

    private func checkCredentials(_ header: (String) -> String?) -> ValidationFailure? {
        let bearer = header("authorization").flatMap { value -> String? in
            value.lowercased().hasPrefix("bearer ") ? String(value.dropFirst(7)) : nil
        }
        let key = header("x-api-key").flatMap { $0.isEmpty ? nil : $0 } ?? bearer
        let accepted: Bool
        if let key {
            accepted = expectedAPIKey.map { $0 == key } ?? true
        } else {
            accepted = false
        }
        if accepted { return nil }
        return ValidationFailure(status: 401, type: "authentication_error", message: "invalid x-api-key")
    }

    private func checkBody(_ json: JSONValue) -> ValidationFailure? {
        guard case .object(let body) = json else { return .invalid("Input should be a valid dictionary") }
        guard let model = body["model"] else { return .invalid("model: Field required") }
        guard model.stringValue != nil else { return .invalid("model: Input should be a valid string") }
        guard let maxTokens = body["max_tokens"] else { return .invalid("max_tokens: Field required") }
        guard let n = maxTokens.intValue else { return .invalid("max_tokens: Input should be a valid integer") }
        guard n >= 1 else { return .invalid("max_tokens: Input should be greater than or equal to 1") }
        guard let messagesValue = body["messages"] else { return .invalid("messages: Field required") }
        guard case .array(let items) = messagesValue else { return .invalid("messages: Input should be a valid list") }
        guard !items.isEmpty else { return .invalid("messages: at least one message is required") }

        var messages: [Message] = []
        for (n, item) in items.enumerated() {
            guard case .object(let fields) = item else { return .invalid("messages.\(n): Input should be a valid dictionary") }
            guard let role = fields["role"]?.stringValue, role == "user" || role == "assistant" else {
                return .invalid("messages.\(n).role: Input should be 'user' or 'assistant'")
            }
            var content: [ContentBlock] = []
            switch fields["content"] {
            case nil: return .invalid("messages.\(n).content: Field required")
            case .string(let text)?: content = text.isEmpty ? [] : [.text(text)]
            case .array(let blocks)?:
                for (i, block) in blocks.enumerated() {
                    do { content.append(try ContentBlock(json: block)) } catch {
                        return .invalid("messages.\(n).content.\(i): \(error)")
                    }
                }
            default: return .invalid("messages.\(n).content: Input should be a valid list")
            }
            messages.append(Message(role: role == "user" ? .user : .assistant, content: content))
        }
        return checkContent(messages) ?? checkPairing(messages)
    }

    /// Empty turns and empty text blocks, which the API rejects.
    private func checkContent(_ messages: [Message]) -> ValidationFailure? {
        for (n, message) in messages.enumerated() {
            let isFinalAssistant = n == messages.count - 1 && message.role == .assistant
            if message.content.isEmpty && !isFinalAssistant {
                return .invalid(
                    "messages.\(n): all messages must have non-empty content except for the optional final assistant message")
            }
            for block in message.content {
                if case .text(let t) = block, t.text.isEmpty {
                    return .invalid("messages: text content blocks must be non-empty")
                }
            }
        }
        return nil
    }

    /// Every `tool_use` in assistant turn k needs a `tool_result` in user turn k+1, and every
    /// `tool_result` needs a `tool_use` in the turn before it.
    private func checkPairing(_ messages: [Message]) -> ValidationFailure? {
        for (n, message) in messages.enumerated() {
            switch message.role {
            case .assistant:
                let ids = message.toolUses.map(\.id)
                guard !ids.isEmpty else { continue }
                var answered: Set<String> = []
                if n + 1 < messages.count, messages[n + 1].role == .user {
                    for case .toolResult(let r) in messages[n + 1].content { answered.insert(r.toolUseID) }
                }
                let missing = ids.filter { !answered.contains($0) }
                if !missing.isEmpty {
                    return .invalid(
                        "messages.\(n): `tool_use` ids were found without `tool_result` blocks immediately after: "
                            + missing.joined(separator: ", ")
                            + ". Each `tool_use` block must have a corresponding `tool_result` block in the next message.")
                }
            case .user:
                let previous: Set<String> =
                    n > 0 && messages[n - 1].role == .assistant ? Set(messages[n - 1].toolUses.map(\.id)) : []
                for (i, block) in message.content.enumerated() {
                    guard case .toolResult(let r) = block, !previous.contains(r.toolUseID) else { continue }
                    return .invalid(
                        "messages.\(n).content.\(i): unexpected `tool_use_id` found in `tool_result` blocks: \(r.toolUseID). "
                            + "Each `tool_result` block must have a corresponding `tool_use` block in the previous message.")
                }
            }
        }
        return nil
    }
}
