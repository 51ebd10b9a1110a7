/// Why a request could not be parsed, and the status code to answer with before closing.
///
/// The reason is a short fixed phrase chosen by the parser; it never contains bytes from the
/// request, so it is safe to put in a response body or a log line. After an error the parser
/// stays failed: the connection's framing can no longer be trusted and it must be closed.
public struct HTTPParseError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The HTTP status code to respond with: 400, 413, 414, 431, 501 or 505.
    public let status: Int
    /// A short, fixed explanation (never echoes input).
    public let reason: String

    init(status: Int, reason: String) {
        self.status = status
        self.reason = reason
    }

    public var description: String { "\(status) \(reason)" }

    /// 400 Bad Request: malformed syntax or ambiguous framing.
    static func badRequest(_ reason: String) -> HTTPParseError { HTTPParseError(status: 400, reason: reason) }

    /// 413 Content Too Large (RFC 9110 §15.5.14).
    static let contentTooLarge = HTTPParseError(status: 413, reason: "request body exceeds the limit")
    /// 414 URI Too Long (RFC 9110 §15.5.15); used for any over-long request line (RFC 9112 §3).
    static let uriTooLong = HTTPParseError(status: 414, reason: "request line exceeds the limit")
    /// 431 Request Header Fields Too Large (RFC 6585 §5): header section byte limit.
    static let headerSectionTooLarge = HTTPParseError(status: 431, reason: "header section exceeds the limit")
    /// 431 for the header field count limit.
    static let tooManyHeaderFields = HTTPParseError(status: 431, reason: "too many header fields")
    /// 431 for the trailer section limits.
    static let trailerSectionTooLarge = HTTPParseError(status: 431, reason: "trailer section exceeds the limit")
    /// 501 Not Implemented: a transfer coding other than chunked (RFC 9112 §6.1).
    static let unsupportedTransferCoding = HTTPParseError(status: 501, reason: "unsupported transfer coding")
    /// 505 HTTP Version Not Supported (RFC 9110 §15.6.6).
    static let versionNotSupported = HTTPParseError(status: 505, reason: "HTTP version not supported")
}
