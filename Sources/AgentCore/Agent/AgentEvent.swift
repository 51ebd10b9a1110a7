/// A tool call the model asked for.
public struct ToolCall: Sendable, Hashable {
    public var id: String
    public var name: String
    public var input: JSONValue
    public init(id: String, name: String, input: JSONValue) {
        self.id = id
        self.name = name
        self.input = input
    }
}

/// A reference to an image a tool produced: enough to find it in an image store, not the bytes.
public struct ImageReference: Sendable, Hashable {
    /// Lowercase hex SHA-256 of the encoded bytes.
    public var sha256: String
    public var mediaType: String
    public var byteCount: Int
    public init(sha256: String, mediaType: String, byteCount: Int) {
        self.sha256 = sha256
        self.mediaType = mediaType
        self.byteCount = byteCount
    }
}

/// What one tool call did.
public struct ToolCallOutcome: Sendable, Hashable {
    public var call: ToolCall
    public var output: String?
    public var error: String?
    public var system: String?
    public var image: ImageReference?
    /// Wall-clock milliseconds the tool ran.
    public var durationMs: Double
    public var isError: Bool { error != nil }
}

/// Everything an observer of a run sees, in order.
///
/// Text and thinking deltas are live-only; every other event is what a store keeps and what HTTP
/// streams replay.
public enum AgentEvent: Sendable, Hashable {
    /// A user turn was added to the conversation (the run's task, or an instruction given on resume).
    /// When the conversation already ends with a user turn, this one is merged into it.
    case userMessage(Message)
    /// A model call is starting (`turn` counts from 1 within the run).
    case turnStarted(turn: Int)
    /// The model call is being retried.
    case retrying(RetryNotice)
    /// Text streamed from the model.
    case textDelta(String)
    /// Thinking streamed from the model.
    case thinkingDelta(String)
    /// The assistant's reply is complete and appended to the conversation.
    case assistantMessage(Message, stopReason: StopReason?)
    /// Token use of the turn, and the total of the run so far.
    case usage(turn: Usage, total: Usage)
    /// A tool call is about to run.
    case toolCallStarted(ToolCall)
    /// A tool call ended (successfully or not).
    case toolCallFinished(ToolCallOutcome)
    /// A tool call was not run; the model is told why.
    case toolCallSkipped(ToolCall, reason: String)
    /// The tool results were appended to the conversation as a user message.
    case toolResults(Message)
    /// The run is paused before its next action.
    case paused
    /// The run resumed.
    case resumed
    /// The run ended. Always the last event.
    case finished(FinishReason)

    /// The event's type name, as it appears in JSON.
    public var type: String {
        switch self {
        case .userMessage: "user_message"
        case .turnStarted: "turn_started"
        case .retrying: "retrying"
        case .textDelta: "text_delta"
        case .thinkingDelta: "thinking_delta"
        case .assistantMessage: "assistant_message"
        case .usage: "usage"
        case .toolCallStarted: "tool_call_started"
        case .toolCallFinished: "tool_call_finished"
        case .toolCallSkipped: "tool_call_skipped"
        case .toolResults: "tool_results"
        case .paused: "paused"
        case .resumed: "resumed"
        case .finished: "finished"
        }
    }

    /// True for events that only matter live (token deltas).
    public var isLiveOnly: Bool {
        switch self {
        case .textDelta, .thinkingDelta: true
        default: false
        }
    }
}
