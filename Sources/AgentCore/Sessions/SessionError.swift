/// Why the session service refused a request. Each case maps to one HTTP status in the adapters.
public enum SessionError: Error, Sendable, Hashable, CustomStringConvertible {
    /// No session has this id (404).
    case notFound(id: String)
    /// The request does not fit the session's state (409), e.g. pausing a session that is not running.
    case invalidTransition(id: String, from: SessionStatus, action: String)
    /// The session is running and its message policy is `reject` (409).
    case busy(id: String)
    /// The message queue is full (429).
    case queueFull(id: String, limit: Int)
    /// A field of the request is invalid (400).
    case invalidRequest(String)
    /// Nothing is waiting for approval, or the id does not match the pending call (409).
    case noPendingApproval(id: String)
    /// The store failed; nothing was acknowledged (500/503).
    case storage(String)
    /// The session's environment (desktop, browser, tools) could not be set up (503).
    case environment(String)

    public var description: String {
        switch self {
        case .notFound(let id): "Session \(id) does not exist"
        case .invalidTransition(let id, let from, let action): "Session \(id) is \(from.rawValue); cannot \(action)"
        case .busy(let id): "Session \(id) is running and does not queue messages"
        case .queueFull(let id, let limit): "Session \(id) already has \(limit) queued messages"
        case .invalidRequest(let message): message
        case .noPendingApproval(let id): "Session \(id) has no pending approval"
        case .storage(let message): "The session store failed: \(message)"
        case .environment(let message): "The session environment could not start: \(message)"
        }
    }
}
