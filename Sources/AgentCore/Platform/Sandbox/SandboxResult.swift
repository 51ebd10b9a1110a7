/// How a sandboxed `handle(payload)` call ended.
///
/// ```swift
/// switch outcome.result {
/// case .returned(let value): execution.output = value.objectValue != nil ? value : ["result": value]
/// case .raised(let message, let traceback): fail(message); log(.error, traceback)
/// case .timedOut: fail("timed out after \(limits.timeout)")
/// case .cancelled, .crashed, .rejected: …
/// }
/// ```
public enum SandboxResult: Sendable, Equatable {
    /// The function returned this value (already JSON; a non-object is left for the caller to wrap).
    case returned(JSONValue)
    /// The import or the call raised; `message` is `Type: text`, `traceback` Python's formatted
    /// traceback without the harness's own frames. A return value that cannot be encoded as JSON is
    /// reported here too.
    case raised(message: String, traceback: String)
    /// The run exceeded `SandboxLimits.timeout` and was killed.
    case timedOut
    /// The calling task was cancelled; the run was killed.
    case cancelled
    /// The interpreter ended without a result: killed by a limit or a signal, or exited by itself
    /// (`os._exit`). The text names the signal or the exit status.
    case crashed(String)
    /// Nothing ran: the program was refused before spawning (a malformed entrypoint, a missing
    /// directory) or the sandbox could not be started (no interpreter, spawn failure).
    case rejected(String)
}

extension SandboxResult {
    /// A one-line description for an execution's `error_message` (`nil` for `.returned`).
    public var errorMessage: String? {
        switch self {
        case .returned: nil
        case .raised(let message, _): message
        case .timedOut: "the execution timed out"
        case .cancelled: "the execution was cancelled"
        case .crashed(let reason): reason
        case .rejected(let reason): reason
        }
    }
}
