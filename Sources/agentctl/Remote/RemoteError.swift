/// Why a remote command failed: agentd could not be reached, it answered with an error, or the
/// exchange broke. Each maps to an exit code and one line on standard error.
enum RemoteError: Error, Equatable {
    /// Nothing accepted the connection at `url` (exit 69).
    case unreachable(url: String, reason: String)
    /// agentd answered with an error status; `detail` is the envelope's `detail` (exit 1).
    case api(status: Int, type: String?, detail: String)
    /// agentd answered 401: no credential, or one it does not accept (exit 1).
    case unauthorized(detail: String)
    /// Anything else: a dropped connection, an answer that is not the expected JSON (exit 1).
    case failed(String)

    /// The exit code this failure ends the command with.
    var exitCode: ExitCode {
        if case .unreachable = self { return .unavailable }
        return .failure
    }

    /// The diagnostic line for standard error.
    var message: String {
        switch self {
        case .unreachable(let url, let reason): "agentctl: cannot reach agentd at \(url) (\(reason))\n"
        case .api(let status, _, let detail): "agentctl: \(detail) (HTTP \(status))\n"
        case .unauthorized(let detail): "agentctl: not logged in or token expired: run agentctl login (\(detail); HTTP 401)\n"
        case .failed(let text): "agentctl: \(text)\n"
        }
    }
}
