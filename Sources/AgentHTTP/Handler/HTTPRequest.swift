public import AgentCore

/// A complete request as handlers see it: the parsed head, the whole body, and who sent it.
public struct HTTPRequest: Sendable {
    public var head: HTTPRequestHead
    /// The body, de-chunked; at most the route's body limit. Empty when the body was spooled to
    /// ``bodyFile``.
    public var body: [UInt8]
    /// The body on disk, when the handler asked for it there (``HTTPBodyDestination/file(directory:)``)
    /// and the request had one; nil otherwise.
    public var bodyFile: HTTPBodyFile?
    /// The peer's address (`127.0.0.1:53122`).
    public var remoteAddress: String
    /// Who the request acts for, once ``AuthenticationMiddleware`` has checked its credential;
    /// nil before that (or where no authentication is installed).
    public var principal: Principal?

    public init(head: HTTPRequestHead, body: [UInt8] = [], bodyFile: HTTPBodyFile? = nil, remoteAddress: String = "") {
        self.head = head
        self.body = body
        self.bodyFile = bodyFile
        self.remoteAddress = remoteAddress
    }

    public var method: String { head.method }
    /// The path, not percent-decoded.
    public var path: String { head.path }
    public var headers: HTTPHeaders { head.headers }
}
