/// Why the session service refused a request. Each case maps to one HTTP status in the adapters.
///
/// Bad input comes in two kinds. `invalidRequest` is a request of the wrong shape: a field of the
/// wrong type, a required field missing, a field that may not be given (400). `invalidValue` is a
/// request of the right shape whose value is not acceptable: an unknown tool, environment kind or
/// priority, a number out of range, an empty message (422). Both messages name the field.
public enum SessionError: Error, Sendable, Hashable, CustomStringConvertible {
    /// No session has this id (404).
    case notFound(id: String)
    /// The request does not fit the session's state (409), e.g. pausing a session that is not running.
    case invalidTransition(id: String, from: SessionStatus, action: String)
    /// The session is running and its message policy is `reject` (409).
    case busy(id: String)
    /// The message queue is full (429).
    case queueFull(id: String, limit: Int)
    /// A field is missing, has the wrong type, or may not be given (400).
    case invalidRequest(String)
    /// A field is well formed but its value is not acceptable (422).
    case invalidValue(String)
    /// A session with this id already exists (409).
    case alreadyExists(id: String)
    /// Nothing is waiting for approval (409).
    case noPendingApproval(id: String)
    /// Something waits for approval, but not the call with this id (404).
    case unknownApproval(id: String, approvalID: String)
    /// The store failed; nothing was acknowledged (500/503).
    case storage(String)
    /// The session's environment (desktop, browser, tools) could not be set up (503).
    case environment(String)
    /// The caller may not do this to a session it may see, e.g. give it to another owner (403).
    case forbidden(String)

    public var description: String {
        switch self {
        case .notFound(let id): "Session \(id) does not exist"
        case .invalidTransition(let id, let from, let action): "Session \(id) is \(from.rawValue); cannot \(action)"
        case .busy(let id): "Session \(id) is running and does not queue messages"
        case .queueFull(let id, let limit): "Session \(id) already has \(limit) queued messages"
        case .invalidRequest(let message), .invalidValue(let message), .forbidden(let message): message
        case .alreadyExists(let id): "id: a session with id \(id) already exists"
        case .noPendingApproval(let id): "Session \(id) has no pending approval"
        case .unknownApproval(let id, let approvalID): "Session \(id) has no pending approval \(approvalID)"
        case .storage(let message): "The session store failed: \(message)"
        case .environment(let message): "The session environment could not start: \(message)"
        }
    }
}
