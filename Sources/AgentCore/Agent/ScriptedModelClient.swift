import Foundation
import Synchronization

/// A model client that replays a script of assistant turns: for offline demos and flow tests.
///
/// A script is a JSON array; each element is one assistant turn, in one of these forms:
///
/// ```json
/// [
///   {"text": "Let me look.", "tool_use": [{"name": "bash", "input": {"command": "ls"}}]},
///   {"content": [{"type": "text", "text": "Done."}], "stop_reason": "end_turn",
///    "usage": {"input_tokens": 10, "output_tokens": 3}},
///   {"error": {"type": "overloaded_error", "message": "Overloaded", "status": 529}}
/// ]
/// ```
///
/// `stop_reason` defaults to `tool_use` when the turn calls tools and `end_turn` otherwise; tool ids
/// default to `toolu_script_N`. When the script runs out, the model ends its turn saying so.
public final class ScriptedModelClient: ModelClient {
    private let turns: [JSONValue]
    private let position = Mutex(0)
    private let requestLog = Mutex<[MessageRequest]>([])

    /// Creates a client from parsed script turns.
    /// - Throws: `WireFormatError` when the script is not an array of objects.
    public init(script: JSONValue) throws {
        guard let turns = script.arrayValue ?? script["turns"]?.arrayValue else {
            throw WireFormatError("a script is a JSON array of assistant turns")
        }
        for (i, turn) in turns.enumerated() where turn.objectValue == nil {
            throw WireFormatError("script turn \(i + 1) is not an object")
        }
        self.turns = turns
    }

    /// Creates a client from a script file.
    public convenience init(contentsOf path: String) throws {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw WireFormatError("cannot read the script file \(path)")
        }
        do {
            try self.init(script: JSONValue(parsing: [UInt8](data)))
        } catch let error as JSONParseError {
            throw WireFormatError("the script file \(path) is not valid JSON: \(error)")
        }
    }

    /// The requests received so far, in order.
    public var requests: [MessageRequest] { requestLog.withLock { $0 } }

    public func send(_ request: MessageRequest) -> AsyncThrowingStream<ModelStreamEvent, any Error> {
        requestLog.withLock { $0.append(request) }
        let index = position.withLock { value -> Int in
            defer { value += 1 }
            return value
        }
        return AsyncThrowingStream { continuation in
            do {
                for event in try Self.events(for: index < turns.count ? turns[index] : nil, number: index + 1, request: request) {
                    continuation.yield(event)
                }
                continuation.finish()
            } catch {
                continuation.finish(throwing: error)
            }
        }
    }

    static func events(for turn: JSONValue?, number: Int, request: MessageRequest) throws -> [ModelStreamEvent] {
        guard let turn else {
            let reply = MessageResponse(
                id: "msg_script_\(number)", model: request.model,
                content: [.text("The script has no more turns.")], stopReason: .endTurn)
            return [.textDelta(index: 0, text: "The script has no more turns."), .completed(reply)]
        }
        if let error = turn["error"] {
            throw ModelError(
                kind: ModelError.Kind(rawValue: error["type"]?.stringValue ?? "api_error"),
                message: error["message"]?.stringValue ?? "scripted error", status: error["status"]?.intValue)
        }
        var content: [ContentBlock]
        if let blocks = turn["content"]?.arrayValue {
            content = try blocks.map(ContentBlock.init(json:))
        } else {
            content = []
            if let text = turn["text"]?.stringValue { content.append(.text(text)) }
            for (i, use) in (turn["tool_use"]?.arrayValue ?? []).enumerated() {
                guard let name = use["name"]?.stringValue else {
                    throw WireFormatError("script turn \(number): a tool_use needs a `name`")
                }
                let id = use["id"]?.stringValue ?? "toolu_script_\(number)_\(i + 1)"
                content.append(.toolUse(ToolUseBlock(id: id, name: name, input: use["input"] ?? [:])))
            }
        }
        let hasTools = content.contains { if case .toolUse = $0 { true } else { false } }
        let stop = turn["stop_reason"]?.stringValue.map(StopReason.init(rawValue:)) ?? (hasTools ? .toolUse : .endTurn)
        var usage = Usage(json: turn["usage"])
        if turn["usage"] == nil {
            // A rough estimate (4 bytes a token) so budgets and usage reports have something real to count.
            usage = Usage(inputTokens: request.encodedBody().count / 4, outputTokens: max(1, JSONValue.array(content.map(\.json)).serializedBytes().count / 4))
        }
        var events: [ModelStreamEvent] = []
        for (index, block) in content.enumerated() {
            switch block {
            case .text(let t):
                for word in t.text.split(separator: " ", omittingEmptySubsequences: false).enumerated() {
                    events.append(.textDelta(index: index, text: (word.offset > 0 ? " " : "") + word.element))
                }
            case .thinking(let t): events.append(.thinkingDelta(index: index, text: t.thinking))
            case .toolUse(let u): events.append(.toolUseStarted(index: index, id: u.id, name: u.name))
            default: break
            }
        }
        events.append(.completed(MessageResponse(
            id: "msg_script_\(number)", model: request.model, content: content, stopReason: stop, usage: usage)))
        return events
    }
}
