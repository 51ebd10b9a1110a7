import AgentCore

/// One server-sent event as the Messages API frames it: `event: <name>\ndata: <json>\n\n`.
struct SSEEvent: Sendable, Hashable {
    var name: String
    var data: String

    var bytes: [UInt8] { Array("event: \(name)\ndata: \(data)\n\n".utf8) }
}

/// Turns a reply's message into the event sequence of a real stream (reference §3.2): message_start,
/// per block content_block_start / deltas / content_block_stop, a `ping` after the first block
/// starts, message_delta with cumulative usage, message_stop. Text, tool input and thinking are
/// split into several deltas; some payloads get the real traffic's padding spaces before the final `}`.
enum SSERenderer {
    static func events(
        id: String, model: String, content: [ContentBlock], stopReason: StopReason, usage: Usage
    ) -> [SSEEvent] {
        var events: [SSEEvent] = []
        func add(_ name: String, _ members: [(String, String)]) {
            events.append(SSEEvent(name: name, data: FakeWire.object([("type", FakeWire.string(name))] + members)))
        }
        // A small placeholder that differs from the final count, so a client that forgets to take
        // message_delta's usage is caught.
        let placeholder = usage.outputTokens == 1 ? 2 : 1
        let start = FakeWire.message(
            id: id, model: model, content: [], stopReason: nil, usage: usage, outputTokens: placeholder)
        add("message_start", [("message", start)])
        if content.isEmpty { events.append(ping) }

        for (index, block) in content.enumerated() {
            let i = String(index)
            func delta(_ type: String, _ key: String, _ value: String) {
                let body = FakeWire.object([("type", FakeWire.string(type)), (key, FakeWire.string(value))])
                add("content_block_delta", [("index", i), ("delta", body)])
            }
            add("content_block_start", [("index", i), ("content_block", startShape(of: block))])
            if index == 0 { events.append(ping) }
            switch block {
            case .text(let b):
                for piece in pieces(b.text) { delta("text_delta", "text", piece) }
            case .toolUse(let b):
                delta("input_json_delta", "partial_json", "")
                if b.input != [:] {
                    for piece in pieces(b.input.serialized()) { delta("input_json_delta", "partial_json", piece) }
                }
            case .thinking(let b):
                for piece in pieces(b.thinking) { delta("thinking_delta", "thinking", piece) }
                delta("thinking_delta", "thinking", "")
                delta("signature_delta", "signature", b.signature)
            default:
                break  // redacted_thinking and other blocks arrive whole in content_block_start
            }
            add("content_block_stop", [("index", i)])
        }

        let delta = FakeWire.object([("stop_reason", FakeWire.string(stopReason.rawValue)), ("stop_sequence", "null")])
        let finalUsage = FakeWire.object([
            ("input_tokens", String(usage.inputTokens)),
            ("cache_creation_input_tokens", String(usage.cacheCreationInputTokens)),
            ("cache_read_input_tokens", String(usage.cacheReadInputTokens)),
            ("output_tokens", String(usage.outputTokens)),
        ])
        add("message_delta", [("delta", delta), ("usage", finalUsage)])
        add("message_stop", [])
        return events.enumerated().map { n, event in pad(event, n, isLast: n == events.count - 1) }
    }

    /// `{"type": "ping"}`, written with a space as the real API does.
    static let ping = SSEEvent(name: "ping", data: #"{"type": "ping"}"#)

    /// The mid-stream error event of newer traffic.
    static func error(type: String, message: String, requestID: String) -> SSEEvent {
        let body = FakeWire.errorBody(type: type, message: message, requestID: requestID, details: true)
        return SSEEvent(name: "error", data: String(decoding: body, as: UTF8.self))
    }

    /// The block as `content_block_start` shows it: empty text/thinking/input, whole otherwise.
    private static func startShape(of block: ContentBlock) -> String {
        switch block {
        case .text:
            return #"{"type":"text","text":""}"#
        case .toolUse(let b):
            var members = [("type", "\"tool_use\""), ("id", FakeWire.string(b.id)), ("name", FakeWire.string(b.name)), ("input", "{}")]
            for key in b.extra.keys.sorted() { members.append((key, b.extra[key]!.serialized())) }
            return FakeWire.object(members)
        case .thinking:
            return #"{"type":"thinking","thinking":"","signature":""}"#
        default:
            return block.json.serialized()
        }
    }

    /// Splits text into a few delta-sized pieces (at least two when it has two characters).
    static func pieces(_ text: String) -> [String] {
        let characters = Array(text)
        guard !characters.isEmpty else { return [] }
        let size = max(1, min(24, (characters.count + 2) / 3))
        return stride(from: 0, to: characters.count, by: size).map {
            String(characters[$0..<min($0 + size, characters.count)])
        }
    }

    /// The padding quirk: 1-15 spaces before the final `}` of every third payload and of message_stop.
    private static func pad(_ event: SSEEvent, _ n: Int, isLast: Bool) -> SSEEvent {
        guard isLast || n % 3 == 2, event.name != "ping", event.data.hasSuffix("}") else { return event }
        var padded = event
        padded.data = String(event.data.dropLast()) + String(repeating: " ", count: 1 + (n * 7) % 15) + "}"
        return padded
    }
}
