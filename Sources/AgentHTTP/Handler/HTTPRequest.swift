/// A complete request as handlers see it: the parsed head, the whole body, and who sent it.
public struct HTTPRequest: Sendable {
    public var head: HTTPRequestHead
    /// The body, de-chunked; at most the route's body limit.
    public var body: [UInt8]
    /// The peer's address (`127.0.0.1:53122`).
    public var remoteAddress: String

    public init(head: HTTPRequestHead, body: [UInt8] = [], remoteAddress: String = "") {
        self.head = head
        self.body = body
        self.remoteAddress = remoteAddress
    }

    public var method: String { head.method }
    /// The path, not percent-decoded.
    public var path: String { head.path }
    public var headers: HTTPHeaders { head.headers }
}
