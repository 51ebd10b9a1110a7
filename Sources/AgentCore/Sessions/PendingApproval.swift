/// A tool call waiting for a person's decision. It is stored with the session, so it survives a
/// restart of the daemon.
public struct PendingApproval: Sendable, Hashable {
    public var call: ToolCall
    /// Why the call needs approval (the matching rule, or a budget threshold).
    public var reason: String
    /// The session's latest screenshot when the approval was requested.
    public var screenshot: ImageReference?
    /// Seconds since 1970.
    public var requestedAt: Double

    public init(call: ToolCall, reason: String, screenshot: ImageReference?, requestedAt: Double) {
        self.call = call
        self.reason = reason
        self.screenshot = screenshot
        self.requestedAt = requestedAt
    }

    public var json: JSONValue {
        var o: [String: JSONValue] = [
            "tool_use_id": .string(call.id), "name": .string(call.name), "input": call.input,
            "reason": .string(reason), "requested_at": .double(requestedAt),
        ]
        if let screenshot { o["screenshot"] = screenshot.json }
        return .object(o)
    }

    public init?(json: JSONValue) {
        guard let id = json["tool_use_id"]?.stringValue, let name = json["name"]?.stringValue else { return nil }
        self.init(
            call: ToolCall(id: id, name: name, input: json["input"] ?? [:]), reason: json["reason"]?.stringValue ?? "",
            screenshot: json["screenshot"].flatMap(ImageReference.init(json:)),
            requestedAt: json["requested_at"]?.doubleValue ?? 0)
    }
}

extension ImageReference {
    public var json: JSONValue {
        ["sha256": .string(sha256), "media_type": .string(mediaType), "bytes": .int(byteCount)]
    }

    public init?(json: JSONValue) {
        guard let sha = json["sha256"]?.stringValue else { return nil }
        self.init(sha256: sha, mediaType: json["media_type"]?.stringValue ?? "image/png", byteCount: json["bytes"]?.intValue ?? 0)
    }
}
