/// An incremental HTTP/1.1 request parser (RFC 9112) that never trusts or over-buffers input.
///
/// Feed it bytes as they arrive with ``append(_:)``, then call ``next()`` until it returns nil
/// (more bytes needed). Each request yields one ``HTTPParserEvent/head(_:)``, zero or more
/// ``HTTPParserEvent/body(_:)`` pieces and one ``HTTPParserEvent/end(trailers:)``; bytes after
/// that are the next, pipelined request. Body bytes are handed out as soon as they arrive, so
/// the parser only holds what the caller appended but has not pulled yet.
///
/// ```swift
/// var parser = HTTPRequestParser()
/// parser.append(bytesFromSocket)
/// while let event = try parser.next() {
///     switch event {
///     case .head(let head): if head.expectsContinue { /* send 100 Continue */ }
///     case .body(let bytes): consume(bytes)
///     case .end: respond()      // then `head.keepAlive` decides whether to read on
///     }
/// }
/// ```
///
/// Policy choices (all refused with a ``HTTPParseError``; the connection must then close):
/// - Line endings must be CRLF. A bare LF is **refused** everywhere (request line, fields,
///   chunk lines, trailers), as is a bare CR; RFC 9112 §2.2 allows either choice, and being
///   strict keeps us from reading a message differently from a proxy in front of us.
/// - obs-fold (a field line starting with whitespace) is refused (RFC 9112 §5.2).
/// - Up to four empty lines before a request line are skipped (RFC 9112 §2.2); more are refused.
/// - Transfer-Encoding must be exactly `chunked`; Content-Length with Transfer-Encoding, or
///   differing Content-Length values, are refused (RFC 9112 §6.3).
public struct HTTPRequestParser: Sendable {
    /// The limits in force; a change applies from the next check on. To change the body limit
    /// of just the request whose head was returned, use ``overrideBodyLimit(_:)``.
    public var limits: HTTPParserLimits

    private var buffer: [UInt8] = []
    /// First unconsumed byte of `buffer`.
    private var readIndex = 0
    /// Where the search for the next LF resumes, so a line fed byte by byte is scanned once.
    private var scanIndex = 0
    private var state: State = .requestLine

    // Per-message state, reset by `startMessage()`.
    var partial = PartialHead()
    private var emptyLinesSkipped = 0
    /// Set by `overrideBodyLimit(_:)` for the current message only.
    private var bodyLimitOverride: Int?
    private var bodyBytesSeen = 0
    private var trailers = HTTPHeaders()
    private var trailerBytes = 0

    private enum State {
        case requestLine
        case headerLines
        /// The head was returned; the body limit is checked on the next call.
        case bodyStart(HTTPBodyFraming)
        case fixedBody(remaining: Int)
        case chunkSizeLine
        case chunkData(remaining: Int)
        case chunkDataEnd
        case trailerLines
        case messageEnd
        case failed(HTTPParseError)
    }

    /// Creates a parser waiting for the first request line.
    public init(limits: HTTPParserLimits = HTTPParserLimits()) {
        self.limits = limits
    }

    // MARK: - Input

    /// Appends bytes received from the peer.
    public mutating func append(_ bytes: UnsafeRawBufferPointer) {
        compact()
        buffer.append(contentsOf: bytes)
    }

    /// Appends bytes received from the peer.
    public mutating func append(_ bytes: some Collection<UInt8>) {
        compact()
        buffer.append(contentsOf: bytes)
    }

    /// Bytes appended but not yet consumed by ``next()``.
    public var bufferedByteCount: Int { buffer.count - readIndex }

    /// Removes and returns every byte appended but not yet consumed: after a request that
    /// switched protocols (`101`), those bytes belong to the new protocol.
    mutating func takeUnconsumedBytes() -> [UInt8] {
        let rest = Array(buffer[readIndex...])
        buffer.removeAll(keepingCapacity: false)
        readIndex = 0
        scanIndex = 0
        return rest
    }

    /// True between messages with nothing buffered: a good moment for an idle (keep-alive)
    /// timeout rather than a header timeout.
    public var isIdle: Bool {
        if case .requestLine = state { return bufferedByteCount == 0 && emptyLinesSkipped == 0 }
        return false
    }

    /// Sets the body limit for the current request only, e.g. per route after seeing its head.
    ///
    /// Call it after ``next()`` returned `.head` and before the next call; a later request
    /// starts again from ``HTTPParserLimits/maxBodyBytes``.
    public mutating func overrideBodyLimit(_ bytes: Int) { bodyLimitOverride = bytes }

    private var bodyLimit: Int { bodyLimitOverride ?? limits.maxBodyBytes }

    // MARK: - Parsing

    /// Returns the next event, or nil when more bytes are needed.
    ///
    /// - Throws: ``HTTPParseError`` for malformed or over-limit input; every later call
    ///   throws the same error.
    public mutating func next() throws(HTTPParseError) -> HTTPParserEvent? {
        do {
            return try step()
        } catch {
            state = .failed(error)
            throw error
        }
    }

    private mutating func step() throws(HTTPParseError) -> HTTPParserEvent? {
        while true {
            switch state {
            case .failed(let error):
                throw error

            case .requestLine:
                guard let line = try readLine(limit: limits.maxRequestLineBytes, tooLong: .uriTooLong) else {
                    return nil
                }
                if line.isEmpty {
                    // RFC 9112 §2.2: a server SHOULD ignore at least one empty line before the request-line.
                    emptyLinesSkipped += 1
                    if emptyLinesSkipped > 4 { throw .badRequest("too many empty lines before request line") }
                    continue
                }
                try parseRequestLine(buffer[line])
                state = .headerLines

            case .headerLines:
                let budget = limits.maxHeaderBytes - partial.headerBytes - 2
                guard let line = try readLine(limit: max(budget, 0), tooLong: .headerSectionTooLarge) else {
                    return nil
                }
                if line.isEmpty {
                    let head = try finishHead()
                    state = .bodyStart(head.bodyFraming)
                    return .head(head)
                }
                if partial.headers.count >= limits.maxHeaderCount { throw .tooManyHeaderFields }
                try Self.parseFieldLine(buffer[line], into: &partial.headers)
                partial.headerBytes += line.count + 2

            case .bodyStart(let framing):
                switch framing {
                case .none:
                    state = .messageEnd
                case .length(let length):
                    if length > bodyLimit { throw .contentTooLarge }
                    state = length == 0 ? .messageEnd : .fixedBody(remaining: length)
                case .chunked:
                    state = .chunkSizeLine
                }

            case .fixedBody(let remaining):
                guard let bytes = takeBody(upTo: remaining) else { return nil }
                state = remaining == bytes.count ? .messageEnd : .fixedBody(remaining: remaining - bytes.count)
                return .body(bytes)

            case .chunkSizeLine:
                guard let line = try readLine(limit: limits.maxChunkSizeLineBytes,
                                              tooLong: .badRequest("chunk-size line too long")) else {
                    return nil
                }
                let size = try Self.parseChunkSizeLine(buffer[line])
                if size == 0 {
                    state = .trailerLines       // RFC 9112 §7.1: last-chunk, then the trailer section
                } else {
                    if size > bodyLimit - bodyBytesSeen { throw .contentTooLarge }
                    bodyBytesSeen += size
                    state = .chunkData(remaining: size)
                }

            case .chunkData(let remaining):
                guard let bytes = takeBody(upTo: remaining) else { return nil }
                state = remaining == bytes.count ? .chunkDataEnd : .chunkData(remaining: remaining - bytes.count)
                return .body(bytes)

            case .chunkDataEnd:
                // RFC 9112 §7.1: chunk-data is followed by exactly CRLF.
                let available = bufferedByteCount
                if available >= 1 && buffer[readIndex] != HTTPSyntax.cr { throw .badRequest("chunk data not followed by CRLF") }
                if available < 2 { return nil }
                if buffer[readIndex + 1] != HTTPSyntax.lf { throw .badRequest("chunk data not followed by CRLF") }
                readIndex += 2
                state = .chunkSizeLine

            case .trailerLines:
                // RFC 9112 §7.1.2: trailer fields use field-line syntax; bounded like headers.
                let budget = limits.maxTrailerBytes - trailerBytes - 2
                guard let line = try readLine(limit: max(budget, 0), tooLong: .trailerSectionTooLarge) else {
                    return nil
                }
                if line.isEmpty {
                    state = .messageEnd
                    continue
                }
                if trailers.count >= limits.maxHeaderCount { throw .trailerSectionTooLarge }
                try Self.parseFieldLine(buffer[line], into: &trailers)
                trailerBytes += line.count + 2

            case .messageEnd:
                let finished = trailers
                startMessage()
                return .end(trailers: finished)
            }
        }
    }

    /// Resets per-message state; bytes already buffered belong to the next request.
    private mutating func startMessage() {
        state = .requestLine
        partial = PartialHead()
        emptyLinesSkipped = 0
        bodyLimitOverride = nil
        bodyBytesSeen = 0
        trailers = HTTPHeaders()
        trailerBytes = 0
    }

    // MARK: - Buffer

    /// Returns up to `limit` buffered body bytes, or nil when none are buffered.
    private mutating func takeBody(upTo limit: Int) -> [UInt8]? {
        let count = min(limit, bufferedByteCount)
        guard count > 0 else { return nil }
        let bytes = Array(buffer[readIndex..<readIndex + count])
        readIndex += count
        return bytes
    }

    /// Returns the next line's content (without CRLF) and consumes it, or nil if no complete
    /// line is buffered yet.
    ///
    /// Length is checked before content, so the same input fails the same way however it was split.
    /// - Throws: `tooLong` once the line is longer than `limit`; 400 for a bare LF.
    private mutating func readLine(limit: Int, tooLong: HTTPParseError) throws(HTTPParseError) -> Range<Int>? {
        let start = max(scanIndex, readIndex)
        guard let lf = buffer[start...].firstIndex(of: HTTPSyntax.lf) else {
            scanIndex = buffer.count
            // `limit` content bytes plus a CR may be pending without the line being too long.
            if bufferedByteCount > limit + 1 { throw tooLong }
            return nil
        }
        if lf - readIndex > limit + 1 { throw tooLong }
        // RFC 9112 §2.2: the line terminator is CRLF; we refuse a bare LF (documented policy).
        guard lf > readIndex, buffer[lf - 1] == HTTPSyntax.cr else { throw .badRequest("bare LF line ending") }
        let line = readIndex..<(lf - 1)
        readIndex = lf + 1
        scanIndex = readIndex
        return line
    }

    /// Drops consumed bytes so the buffer does not grow across a long connection.
    private mutating func compact() {
        let dropped = BufferCompaction.compact(&buffer, consumed: readIndex)
        guard dropped > 0 else { return }
        scanIndex = max(scanIndex - dropped, 0)
        readIndex = 0
    }
}

/// The request line and fields received so far.
struct PartialHead {
    var method = ""
    var target = ""
    var version = HTTPVersion.http1_1
    var headers = HTTPHeaders()
    var headerBytes = 0
}
