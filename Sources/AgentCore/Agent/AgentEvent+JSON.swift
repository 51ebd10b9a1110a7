extension AgentEvent {
    /// The event as a JSON object with a `type` field; images appear as references, never bytes.
    public var json: JSONValue {
        var o: [String: JSONValue]
        switch self {
        case .userMessage(let m): o = ["message": Self.redactingImages(m).json]
        case .turnStarted(let turn): o = ["turn": .int(turn)]
        case .retrying(let n):
            o = ["attempt": .int(n.attempt), "reason": .string(n.reason), "delay_seconds": .double(n.delay),
                 "next_attempt_at": .double(n.nextAttemptAt)]
            if let s = n.status { o["status"] = .int(s) }
        case .textDelta(let t), .thinkingDelta(let t): o = ["text": .string(t)]
        case .assistantMessage(let m, let stop):
            o = ["message": Self.redactingImages(m).json]
            if let stop { o["stop_reason"] = .string(stop.rawValue) }
        case .usage(let turn, let total): o = ["turn": turn.json, "total": total.json]
        case .toolCallStarted(let c): o = Self.callFields(c)
        case .toolCallFinished(let r):
            o = Self.callFields(r.call)
            o["duration_ms"] = .double((r.durationMs * 1000).rounded() / 1000)
            o["is_error"] = .bool(r.isError)
            if let v = r.output { o["output"] = .string(v) }
            if let v = r.error { o["error"] = .string(v) }
            if let v = r.system { o["system"] = .string(v) }
            if let i = r.image {
                o["image"] = ["sha256": .string(i.sha256), "media_type": .string(i.mediaType), "bytes": .int(i.byteCount)]
            }
        case .toolCallSkipped(let c, let reason):
            o = Self.callFields(c)
            o["reason"] = .string(reason)
        case .toolResults(let m): o = ["message": Self.redactingImages(m).json]
        case .paused, .resumed: o = [:]
        case .finished(let f): o = f.json.objectValue ?? [:]
        }
        o["type"] = .string(type)
        return .object(o)
    }

    private static func callFields(_ c: ToolCall) -> [String: JSONValue] {
        ["tool_use_id": .string(c.id), "name": .string(c.name), "input": c.input]
    }

    /// Replaces base64 image data with its size, so events stay small and printable.
    public static func redactingImages(_ message: Message) -> Message {
        func redact(_ block: ContentBlock) -> ContentBlock {
            switch block {
            case .image(var image):
                if let data = image.source["data"]?.stringValue, case .object(var source) = image.source {
                    source["data"] = .string("<\(data.utf8.count) base64 characters omitted>")
                    image.source = .object(source)
                }
                return .image(image)
            case .toolResult(var result):
                result.content = result.content.map(redact)
                return .toolResult(result)
            default:
                return block
            }
        }
        return Message(role: message.role, content: message.content.map(redact))
    }
}
