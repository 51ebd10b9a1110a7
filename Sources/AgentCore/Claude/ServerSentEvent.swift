/// One event dispatched by an `SSEDecoder`, as the WHATWG EventSource algorithm defines it.
///
/// For the Messages API every event looks like `event: content_block_delta` + `data: {…}`
/// (reference §3.1); `id` and `retry` are never sent by Anthropic but are decoded for completeness.
public struct ServerSentEvent: Sendable, Hashable {
    /// The event type: the last `event:` field of the block, or `"message"` when there was none
    /// (WHATWG HTML §9.2.6, "dispatch the event", step 5).
    public var event: String
    /// The `data:` lines of the block joined with `"\n"` (no trailing newline), decoded from UTF-8
    /// with invalid sequences replaced by U+FFFD.
    public var data: String
    /// The last event ID buffer at dispatch time: the most recent `id:` field of the stream, which
    /// persists across events (WHATWG HTML §9.2.6). `nil` when that buffer is empty.
    public var id: String?
    /// The reconnection time in milliseconds from a `retry:` field in this event's block, if any.
    public var retry: Int?

    /// Creates an event; the defaults are those of an event with only `data:` lines.
    public init(event: String = "message", data: String, id: String? = nil, retry: Int? = nil) {
        self.event = event
        self.data = data
        self.id = id
        self.retry = retry
    }
}
