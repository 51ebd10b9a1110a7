/// Where the server puts a request's body while it arrives.
///
/// A handler chooses per request with ``HTTPHandler/bodyDestination(for:)``, once the head has
/// arrived and before any of the body is read. Small bodies (JSON) stay in memory; uploads are
/// spooled to a file so a 100 MB body never sits in memory:
///
/// ```swift
/// func bodyDestination(for head: HTTPRequestHead) -> HTTPBodyDestination {
///     head.path.hasPrefix("/api/v1/uploads/") ? .file(directory: "/var/lib/agentd/spool") : .memory
/// }
/// ```
public enum HTTPBodyDestination: Sendable, Hashable {
    /// The whole body in ``HTTPRequest/body``.
    case memory
    /// Each piece of the body is written to a new private file (mode 0600, random name) in
    /// `directory` as it arrives; the handler gets it as ``HTTPRequest/bodyFile`` and
    /// ``HTTPRequest/body`` stays empty. The directory must exist and be writable.
    case file(directory: String)
}
