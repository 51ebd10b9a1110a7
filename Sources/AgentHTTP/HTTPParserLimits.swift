/// Size limits the parser enforces while bytes arrive, before anything is buffered beyond them.
///
/// Defaults follow the project's security notes: 8 KiB request line, 16 KiB / 100 header fields,
/// 1 MiB body.
///
/// ```swift
/// var limits = HTTPParserLimits()
/// limits.maxBodyBytes = 100 << 20   // uploads
/// var parser = HTTPRequestParser(limits: limits)
/// ```
public struct HTTPParserLimits: Sendable, Hashable {
    /// Longest request line, excluding its CRLF. Longer lines are refused with 414.
    public var maxRequestLineBytes: Int
    /// Largest header section: the field lines including their CRLFs. Larger ones get 431.
    public var maxHeaderBytes: Int
    /// Most header field lines in one request (also the most trailer fields). More get 431.
    public var maxHeaderCount: Int
    /// Largest body, whether framed by Content-Length or chunked. Larger ones get 413.
    /// ``HTTPRequestParser/overrideBodyLimit(_:)`` changes it for one request.
    public var maxBodyBytes: Int
    /// Longest chunk-size line (size plus ignored extensions, excluding CRLF). Longer ones get 400.
    public var maxChunkSizeLineBytes: Int
    /// Largest trailer section of a chunked body, field lines including CRLFs. Larger ones get 431.
    public var maxTrailerBytes: Int

    /// Creates limits; every argument has the documented default.
    public init(maxRequestLineBytes: Int = 8 * 1024, maxHeaderBytes: Int = 16 * 1024, maxHeaderCount: Int = 100,
                maxBodyBytes: Int = 1 << 20, maxChunkSizeLineBytes: Int = 1024, maxTrailerBytes: Int = 4 * 1024) {
        self.maxRequestLineBytes = maxRequestLineBytes
        self.maxHeaderBytes = maxHeaderBytes
        self.maxHeaderCount = maxHeaderCount
        self.maxBodyBytes = maxBodyBytes
        self.maxChunkSizeLineBytes = maxChunkSizeLineBytes
        self.maxTrailerBytes = maxTrailerBytes
    }
}
