public import AgentCore

/// What the fake server answers to one valid Messages request.
///
/// A `.message` becomes a non-streaming JSON body or an SSE stream, following the request's
/// `"stream"` flag; the fault cases inject the failures a client must survive.
///
/// ```swift
/// server.enqueue(.toolUse(id: "toolu_1", name: "bash", input: ["command": "ls"]))
/// server.enqueue(.error(status: 429, type: "rate_limit_error", message: "Slow down", retryAfter: "1"))
/// server.enqueue(.text("Done."))
/// ```
public enum FakeReply: Sendable {
    /// A complete assistant message. `model` defaults to the request's model.
    case message(
        content: [ContentBlock], stopReason: StopReason, usage: Usage = FakeReply.defaultUsage, model: String? = nil)

    /// An API error: `{"type":"error","error":{"type":…,"message":…},"request_id":…}` with the given
    /// status and optional `retry-after`, `retry-after-ms` and `x-should-retry` headers.
    case error(
        status: Int, type: String, message: String, retryAfter: String? = nil, retryAfterMs: String? = nil,
        shouldRetry: String? = nil)

    /// Reads the request, then closes the socket abruptly (RST) without a response.
    ///
    /// libcurl retries a request once, on a new connection, when a *reused* keep-alive connection
    /// dies before any response byte; such a client consumes the next reply too. Enqueue two resets
    /// (or use a fresh connection) to make the failure reach the caller.
    case resetConnection

    /// Starts a normal SSE stream of `content`, and after `afterEvents` events sends an
    /// `event: error` (`{"type":"error","error":{"details":null,"type":…,"message":…},"request_id":…}`)
    /// and ends the stream. A non-streaming request gets the matching HTTP error instead.
    case midStreamError(
        afterEvents: Int, type: String = "overloaded_error", message: String = "Overloaded",
        content: [ContentBlock] = [.text("Partial answer that will not finish")], stopReason: StopReason = .endTurn)

    /// Starts a normal SSE stream of `content` and closes the connection after `afterEvents` events,
    /// always before `message_stop`. A non-streaming request gets half of its JSON body.
    case truncatedStream(
        afterEvents: Int, content: [ContentBlock] = [.text("Partial answer that will not finish")],
        stopReason: StopReason = .endTurn)

    /// Sends the response head and `afterEvents` SSE events (0: the head only), then nothing until
    /// the client disconnects or the server stops. A non-streaming request gets no byte at all.
    case stall(afterEvents: Int)

    /// A `200` SSE response whose body is exactly these bytes (a recorded fixture).
    case rawSSE(String)

    /// An arbitrary response; `content-length` is added unless `headers` has one.
    case raw(status: Int, headers: [HTTPField], body: [UInt8])

    /// Token counts used when a reply does not give its own.
    public static let defaultUsage = Usage(inputTokens: 25, outputTokens: 12)

    /// A text reply.
    public static func text(
        _ text: String, stopReason: StopReason = .endTurn, usage: Usage = FakeReply.defaultUsage
    ) -> FakeReply {
        .message(content: [.text(text)], stopReason: stopReason, usage: usage)
    }

    /// A reply that calls one tool, optionally after some text; `stop_reason` is `tool_use`.
    public static func toolUse(
        id: String? = nil, name: String, input: JSONValue, text: String? = nil, usage: Usage = FakeReply.defaultUsage
    ) -> FakeReply {
        var content: [ContentBlock] = []
        if let text { content.append(.text(text)) }
        content.append(.toolUse(ToolUseBlock(id: id ?? FakeWire.toolUseID(), name: name, input: input)))
        return .message(content: content, stopReason: .toolUse, usage: usage)
    }

    /// A reply that calls several tools in parallel; `stop_reason` is `tool_use`.
    public static func toolUses(_ calls: [ToolUseBlock], text: String? = nil, usage: Usage = FakeReply.defaultUsage)
        -> FakeReply
    {
        var content: [ContentBlock] = []
        if let text { content.append(.text(text)) }
        content += calls.map(ContentBlock.toolUse)
        return .message(content: content, stopReason: .toolUse, usage: usage)
    }

    /// The default responder's reply: the text "ok" with `end_turn`.
    public static let ok = FakeReply.text("ok")
}
