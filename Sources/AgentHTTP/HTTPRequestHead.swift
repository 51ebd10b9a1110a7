/// An HTTP protocol version (RFC 9112 §2.3).
public struct HTTPVersion: Sendable, Hashable, CustomStringConvertible {
    /// The major version; the parser only accepts 1.
    public let major: Int
    /// The minor version: 0 or 1 (higher 1.x minors are read as 1.1, RFC 9110 §6.2).
    public let minor: Int

    /// HTTP/1.0.
    public static let http1_0 = HTTPVersion(major: 1, minor: 0)
    /// HTTP/1.1.
    public static let http1_1 = HTTPVersion(major: 1, minor: 1)

    public var description: String { "HTTP/\(major).\(minor)" }
}

/// How the body of a request is delimited (RFC 9112 §6.3).
public enum HTTPBodyFraming: Sendable, Hashable {
    /// No body: neither Content-Length nor Transfer-Encoding was sent.
    case none
    /// Exactly this many bytes follow the head.
    case length(Int)
    /// The body uses the chunked transfer coding (RFC 9112 §7.1).
    case chunked
}

/// The request line and header section of one request, validated and interpreted.
///
/// Produced by ``HTTPRequestParser`` as ``HTTPParserEvent/head(_:)``; body bytes follow as
/// separate events.
public struct HTTPRequestHead: Sendable, Hashable {
    /// The method token, case-sensitive as sent (RFC 9110 §9.1), e.g. `GET`.
    public let method: String
    /// The request-target exactly as sent (origin-, absolute-, authority- or asterisk-form).
    public let target: String
    /// The protocol version.
    public let version: HTTPVersion
    /// Every header field line, in order.
    public let headers: HTTPHeaders
    /// The path: from an origin- or absolute-form target up to `?`; `*` for asterisk-form;
    /// empty for authority-form (CONNECT). Not percent-decoded.
    public let path: String
    /// The query after `?`, without it, or nil when the target has none. Not percent-decoded.
    public let query: String?
    /// The authority the request is for: the absolute-form or authority-form target's
    /// authority when present (RFC 9112 §3.2.2 says it overrides Host), else the Host value.
    public let authority: String?
    /// How the body is delimited.
    public let bodyFraming: HTTPBodyFraming
    /// Whether the connection may carry another request after this one (RFC 9112 §9.3).
    public let keepAlive: Bool
    /// Whether the client sent `Expect: 100-continue` on HTTP/1.1 (RFC 9110 §10.1.1) and
    /// waits for `100 Continue` before sending the body.
    public let expectsContinue: Bool
}

/// One step of parsed input.
public enum HTTPParserEvent: Sendable, Hashable {
    /// A complete request head; the body (if any) follows.
    case head(HTTPRequestHead)
    /// The next piece of the body, already de-chunked. Never empty.
    case body([UInt8])
    /// The message is complete; `trailers` holds the chunked trailer fields (usually empty).
    /// Bytes after this belong to the next (pipelined) request.
    case end(trailers: HTTPHeaders)
}
