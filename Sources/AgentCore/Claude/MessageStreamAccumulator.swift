/// Builds a `MessageResponse` from the server-sent events of a streaming Messages call
/// (reference §3.2), and reports progress as `ModelStreamEvent`s along the way.
///
/// ```swift
/// var accumulator = MessageStreamAccumulator(requestID: head.header("request-id"))
/// for event in sseEvents { for progress in try accumulator.consume(event) { emit(progress) } }
/// let response = try accumulator.finish()
/// ```
///
/// Events are dispatched on the JSON `type` of their data, which is parsed (never compared as
/// text: real payloads are padded with spaces, reference §3.1). `ping` and unknown events are
/// ignored. Once an error has been thrown, every later call throws the same error.
public struct MessageStreamAccumulator: Sendable {
    /// The `request-id` response header, copied into the response and into errors.
    public let requestID: String?

    /// The message from `message_start`, updated by `message_delta`; its `content` stays empty.
    private var message: MessageResponse?
    private var blocks: [MessageStreamBlock] = []
    private var stopped = false
    private var failure: ModelError?

    /// The SSE event names of the Messages stream whose data must parse as JSON.
    private static let messageEvents: Set<String> = [
        "message_start", "content_block_start", "content_block_delta", "content_block_stop", "message_delta",
        "message_stop", "error",
    ]

    /// Creates an accumulator for one response.
    /// - Parameter requestID: the response's `request-id` header.
    public init(requestID: String? = nil) {
        self.requestID = requestID
    }

    /// Whether `message_start` has arrived.
    public var hasStarted: Bool { message != nil }

    /// Whether `message_stop` has arrived; later events are ignored.
    public var isComplete: Bool { stopped }

    /// Applies one event and returns the progress it produces (`.textDelta`, `.thinkingDelta`,
    /// `.toolUseStarted`; never `.completed`, which the caller emits with `finish()`'s result).
    ///
    /// - Throws: `ModelError` with the API's `error.type` for an `error` event (status 200,
    ///   `duringStream`), or `.invalidResponse` when the events break the protocol.
    public mutating func consume(_ event: ServerSentEvent) throws(ModelError) -> [ModelStreamEvent] {
        if let failure { throw failure }
        if stopped { return [] }
        let json: JSONValue
        do {
            // reference §3.1: payloads are parsed, never compared as strings (they carry padding).
            json = try JSONValue(parsing: event.data)
        } catch {
            // reference §3.1: unknown events are ignored, whatever their data.
            guard Self.messageEvents.contains(event.event) else { return [] }
            throw fail(.invalidResponse, "`\(event.event)` event data is not JSON: \(error)")
        }
        // reference §3.1: the event name always equals the JSON `type`; the JSON is authoritative.
        switch json["type"]?.stringValue ?? event.event {
        case "message_start": try start(json)
        case "content_block_start": return try startBlock(json)
        case "content_block_delta": return try applyDelta(json)
        case "content_block_stop": try stopBlock(json)
        case "message_delta": try applyMessageDelta(json)
        case "message_stop": try stop(json)
        case "error": throw streamError(json)
        default: break  // reference §3.1/§3.2: `ping` and unknown event types are ignored.
        }
        return []
    }

    /// The accumulated response, once `message_stop` has arrived.
    ///
    /// Blocks still open (no `content_block_stop`, as when `max_tokens` cuts a tool call) are closed
    /// as they stand; open `tool_use` blocks, and those whose input JSON did not parse, are listed
    /// in `incompleteToolUses` (reference §3.2, edge case 1).
    ///
    /// - Throws: the error already thrown by `consume`, or `ModelError(.streamInterrupted)` when the
    ///   stream ended before `message_stop` (reference §3.2, edge case 2).
    public func finish() throws(ModelError) -> MessageResponse {
        if let failure { throw failure }
        guard var response = message, stopped else {
            let what = message == nil ? "message_start" : "message_stop"
            throw ModelError(
                kind: .streamInterrupted, message: "the stream ended before \(what)", status: 200,
                requestID: requestID, duringStream: true)
        }
        var incomplete = Set<Int>()
        response.content = blocks.enumerated().map { index, block in
            var block = block
            if !block.isStopped { block.stop(complete: false) }
            if block.isIncompleteToolUse { incomplete.insert(index) }
            return block.block
        }
        response.incompleteToolUses = incomplete
        return response
    }

    // MARK: - Events

    /// `message_start`: id, model, usage and extra keys of the message (reference §3.2).
    private mutating func start(_ json: JSONValue) throws(ModelError) {
        guard message == nil else { throw fail(.invalidResponse, "a second message_start") }
        guard let body = json["message"] else { throw fail(.invalidResponse, "message_start without `message`") }
        do {
            var response = try MessageResponse(json: body, requestID: requestID)
            // Content present at the start (none in practice) counts as finished blocks 0..<n.
            blocks = response.content.map { MessageStreamBlock(started: $0, stopped: true) }
            response.content = []
            message = response
        } catch {
            throw fail(.invalidResponse, "message_start: \(error)")
        }
    }

    /// `content_block_start`: a new block at the next index.
    private mutating func startBlock(_ json: JSONValue) throws(ModelError) -> [ModelStreamEvent] {
        guard message != nil else { throw fail(.invalidResponse, "content_block_start before message_start") }
        guard let index = json["index"]?.intValue, index == blocks.count else {
            throw fail(.invalidResponse, "content_block_start with index \(json["index"] ?? .null), expected \(blocks.count)")
        }
        let block: ContentBlock
        do {
            guard let start = json["content_block"] else { throw WireFormatError("no `content_block`") }
            // ContentBlock(json:) keeps unknown block types verbatim as `.other` (reference §2).
            block = try ContentBlock(json: start)
        } catch {
            throw fail(.invalidResponse, "content_block_start: \(error)")
        }
        blocks.append(MessageStreamBlock(started: block))
        switch block {
        case .toolUse(let toolUse): return [.toolUseStarted(index: index, id: toolUse.id, name: toolUse.name)]
        case .text(let text) where !text.text.isEmpty: return [.textDelta(index: index, text: text.text)]
        case .thinking(let thinking) where !thinking.thinking.isEmpty:
            return [.thinkingDelta(index: index, text: thinking.thinking)]
        default: return []
        }
    }

    /// `content_block_delta`: applied to the open block at `index`.
    private mutating func applyDelta(_ json: JSONValue) throws(ModelError) -> [ModelStreamEvent] {
        let index = try openBlockIndex(json, "content_block_delta")
        guard let delta = json["delta"] else { throw fail(.invalidResponse, "content_block_delta without `delta`") }
        return blocks[index].apply(delta: delta, index: index)
    }

    /// `content_block_stop`: the block's tool input is parsed now (reference §3.2).
    private mutating func stopBlock(_ json: JSONValue) throws(ModelError) {
        let index = try openBlockIndex(json, "content_block_stop")
        blocks[index].stop(complete: true)
    }

    /// `message_delta`: stop reason and sequence, other delta keys, cumulative usage (reference §3.2).
    private mutating func applyMessageDelta(_ json: JSONValue) throws(ModelError) {
        guard var response = message else { throw fail(.invalidResponse, "message_delta before message_start") }
        for (key, value) in json["delta"]?.objectValue ?? [:] {
            switch key {
            // A string sets the value; null leaves what message_start (or an earlier delta) said.
            case "stop_reason": if let raw = value.stringValue { response.stopReason = StopReason(raw) }
            case "stop_sequence": if let sequence = value.stringValue { response.stopSequence = sequence }
            default: response.extra[key] = value  // stop_details, container, …
            }
        }
        // reference §3.2: usage counts are cumulative totals; each present count overwrites.
        response.usage.overwrite(with: json["usage"])
        message = response
    }

    /// `message_stop`: the message is complete; keys beyond `type` (Bedrock metrics) go to `extra`.
    private mutating func stop(_ json: JSONValue) throws(ModelError) {
        guard message != nil else { throw fail(.invalidResponse, "message_stop before message_start") }
        for (key, value) in json.objectValue ?? [:] where key != "type" { message?.extra[key] = value }
        stopped = true
    }

    /// `error`: a typed API error carrying `error.type` (reference §3.2, edge case 3).
    private mutating func streamError(_ json: JSONValue) -> ModelError {
        let error = json["error"]
        let kind = error?["type"]?.stringValue.map(ModelError.Kind.init(rawValue:)) ?? .api
        let failure = ModelError(
            kind: kind, message: error?["message"]?.stringValue ?? "error event in the stream", status: 200,
            requestID: json["request_id"]?.stringValue ?? requestID, duringStream: true)
        self.failure = failure
        return failure
    }

    // MARK: - Helpers

    private mutating func openBlockIndex(_ json: JSONValue, _ event: String) throws(ModelError) -> Int {
        guard let index = json["index"]?.intValue, blocks.indices.contains(index), !blocks[index].isStopped else {
            throw fail(.invalidResponse, "\(event) for index \(json["index"] ?? .null), which is not an open block")
        }
        return index
    }

    private mutating func fail(_ kind: ModelError.Kind, _ message: String) -> ModelError {
        let error = ModelError(kind: kind, message: message, status: 200, requestID: requestID, duringStream: true)
        failure = error
        return error
    }
}
