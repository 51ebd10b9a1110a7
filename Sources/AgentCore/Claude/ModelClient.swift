/// The seam the agent loop depends on: something that answers a Messages request.
///
/// `AnthropicClient` talks to the real API over HTTP; `ScriptedModelClient` replays a script for
/// offline demos and tests. The stream always ends with `.completed` or an error (`ModelError`).
public protocol ModelClient: Sendable {
    /// Sends one request and streams its progress. Cancelling the consuming task aborts the call.
    func send(_ request: MessageRequest) -> AsyncThrowingStream<ModelStreamEvent, any Error>
}

/// Progress of one model call.
public enum ModelStreamEvent: Sendable, Hashable {
    /// The previous attempt failed and another will be made at `notice.nextAttemptAt`.
    case retrying(RetryNotice)
    /// Text appended to the text block at `index`.
    case textDelta(index: Int, text: String)
    /// Thinking appended to the thinking block at `index`.
    case thinkingDelta(index: Int, text: String)
    /// A tool call began streaming at `index` (its input is complete only in `.completed`).
    case toolUseStarted(index: Int, id: String, name: String)
    /// The whole reply.
    case completed(MessageResponse)
}

/// What a user sees when a call is retried: which attempt, why, and when the next one starts.
public struct RetryNotice: Sendable, Hashable {
    /// The attempt that failed, from 1.
    public var attempt: Int
    public var reason: String
    /// The HTTP status that caused the retry, if any.
    public var status: Int?
    /// Seconds until the next attempt.
    public var delay: Double
    /// Seconds since 1970 at which the next attempt starts.
    public var nextAttemptAt: Double

    public init(attempt: Int, reason: String, status: Int?, delay: Double, nextAttemptAt: Double) {
        self.attempt = attempt
        self.reason = reason
        self.status = status
        self.delay = delay
        self.nextAttemptAt = nextAttemptAt
    }
}
