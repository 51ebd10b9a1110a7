import Glibc

/// An incremental `multipart/form-data` parser (RFC 7578 on RFC 2046 §5.1.1): bytes in, part
/// events out, with memory bounded by what was appended and not yet pulled plus one part's headers.
///
/// Feed it with ``append(_:)``, say when the input ended with
/// ``finishInput()``, and pull ``next()`` until it returns nil (more bytes needed) or `.end`:
///
/// ```swift
/// var parser = MultipartParser(boundary: try MultipartBoundary(contentType: type))
/// parser.append(chunk)
/// while let event = try parser.next() {
///     switch event {
///     case .partStart(let head): open(head.name)
///     case .content(let bytes): write(bytes)      // a slice of the parser's buffer: use it now
///     case .partEnd: close()
///     case .end: return
///     }
/// }
/// ```
///
/// Content is handed out as soon as it cannot be the start of a delimiter, so a delimiter split
/// across appends is recognised, and only the bytes that might begin one are held back.
///
/// Reading choices:
/// - A delimiter is CRLF `--boundary` followed by `--` (the close delimiter), transport padding
///   (spaces and tabs) and CRLF, or CRLF. CRLF `--boundary` followed by anything else is content,
///   as Go's `mime/multipart` reads it, so a file that happens to hold such bytes survives.
/// - The first delimiter may start the body without a CRLF before it (RFC 2046 §5.1.1
///   dash-boundary); a preamble before it and an epilogue after the close delimiter are ignored.
/// - Part header lines must end in CRLF; obs-fold is refused. Header values are read as UTF-8,
///   or as ISO-8859-1 when they are not valid UTF-8.
struct MultipartParser {
    /// One step of parsed input.
    enum Event: Equatable {
        /// A part begins; its content follows.
        case partStart(MultipartPartHead)
        /// The next piece of the current part's content; never empty. A slice of the parser's
        /// buffer: consume it before the next call (holding it makes the next append copy).
        case content(ArraySlice<UInt8>)
        /// The current part's content is complete.
        case partEnd
        /// The close delimiter: the body is complete. Anything after it is epilogue.
        case end
    }

    let limits: MultipartLimits
    /// CRLF "--" boundary: what ends every part's content (RFC 2046 §5.1.1 delimiter).
    private let delimiter: [UInt8]
    private var buffer: [UInt8]
    /// First byte of `buffer` not yet consumed.
    private var readIndex = 0
    private(set) var inputEnded = false
    private var state = State.preamble
    /// Parts started so far; the current part's 1-based number.
    private var partCount = 0
    /// A delimiter opened a part that is not counted yet.
    private var partPending = false
    private var headerBytes = 0
    private var headerFields: [(name: String, value: String)] = []

    private enum State {
        case preamble
        /// After a delimiter's boundary: transport padding, then CRLF.
        case padding(count: Int)
        case headers
        case body
        /// The close delimiter was consumed; `.end` is next.
        case closed
        case done
        case failed(MultipartError)
    }

    private enum Delimiter {
        /// `--`: the close delimiter.
        case close
        /// CRLF: the next part's headers follow.
        case next
        /// Transport padding, then CRLF.
        case padded

        /// Bytes after the boundary that the scan already recognised.
        var suffixLength: Int { self == .padded ? 0 : 2 }
    }

    private enum Scan {
        /// `readIndex..<end` is content; nothing after `end` could be decided yet.
        case content(end: Int)
        /// A delimiter starts at `at` (content before it).
        case delimiter(at: Int, Delimiter)
    }

    /// The longest transport padding accepted after a boundary.
    private static let maxPadding = 1024

    init(boundary: MultipartBoundary, limits: MultipartLimits = MultipartLimits()) {
        self.limits = limits
        delimiter = Array("\r\n--\(boundary.value)".utf8)
        // RFC 2046 §5.1.1: the body may open with dash-boundary (no CRLF before it); a virtual
        // CRLF makes that first delimiter look like every other one.
        buffer = [HTTPSyntax.cr, HTTPSyntax.lf]
    }

    // MARK: - Input

    /// Appends the next bytes of the body.
    mutating func append(_ bytes: UnsafeRawBufferPointer) {
        compact()
        buffer.append(contentsOf: bytes)
    }

    /// Appends the next bytes of the body.
    mutating func append(_ bytes: some Collection<UInt8>) {
        compact()
        buffer.append(contentsOf: bytes)
    }

    /// No more bytes will come: a body that has not reached its close delimiter is truncated.
    mutating func finishInput() { inputEnded = true }

    /// Bytes appended and not yet consumed (held back as a possible delimiter, or unread).
    var bufferedByteCount: Int { buffer.count - readIndex }

    // MARK: - Parsing

    /// The next event, or nil when more bytes are needed.
    /// - Throws: ``MultipartError``; every later call throws the same error.
    mutating func next() throws(MultipartError) -> Event? {
        do {
            return try step()
        } catch {
            state = .failed(error)
            throw error
        }
    }

    private mutating func step() throws(MultipartError) -> Event? {
        while true {
            switch state {
            case .failed(let error):
                throw error
            case .done:
                return nil
            case .closed:
                state = .done
                return .end

            case .preamble, .body:
                let inBody = if case .body = state { true } else { false }
                let contentEnd: Int
                var found: Delimiter?
                switch scan() {
                case .content(let end):
                    contentEnd = end
                case .delimiter(let at, let kind):
                    contentEnd = at
                    found = kind
                }
                if contentEnd > readIndex {
                    let start = readIndex
                    readIndex = contentEnd
                    if inBody { return .content(buffer[start..<contentEnd]) }
                    continue        // the preamble is ignored
                }
                guard let found else {
                    guard inputEnded else { return nil }
                    throw inBody
                        ? .truncated("part \(partCount) ends without a closing delimiter (--boundary--)")
                        : .truncated("no boundary delimiter was found")
                }
                readIndex += delimiter.count + found.suffixLength
                switch found {
                case .close:
                    state = .closed
                case .next:
                    state = .headers
                    partPending = true
                case .padded:
                    state = .padding(count: 0)
                    partPending = true
                }
                if inBody { return .partEnd }

            case .padding(var count):
                try startPartIfPending()
                // RFC 2046 §5.1.1: delimiter transport-padding CRLF, transport-padding := *LWSP-char
                while readIndex < buffer.count, HTTPSyntax.isWhitespace(buffer[readIndex]) {
                    readIndex += 1
                    count += 1
                }
                if count > Self.maxPadding {
                    throw .malformedHeaders(part: partCount, "the boundary line has too much trailing whitespace")
                }
                guard buffer.count - readIndex >= 2 else {
                    guard !inputEnded else { throw .truncated("the body ends inside a boundary line") }
                    state = .padding(count: count)
                    return nil
                }
                guard buffer[readIndex] == HTTPSyntax.cr, buffer[readIndex + 1] == HTTPSyntax.lf else {
                    throw .malformedHeaders(part: partCount, "the boundary line has unexpected text after the boundary")
                }
                readIndex += 2
                state = .headers

            case .headers:
                try startPartIfPending()
                guard let line = try readHeaderLine() else { return nil }
                if line.isEmpty {
                    // RFC 2046 §5.1.1: body-part := MIME-part-headers [CRLF *OCTET]; the empty line ends the headers.
                    let head = try MultipartPartHead(fields: headerFields, part: partCount)
                    headerFields = []
                    state = .body
                    return .partStart(head)
                }
                try parseHeaderLine(line)
            }
        }
    }

    /// Counts a part whose delimiter was just consumed against the limit and resets the header
    /// state (after the previous part's `.partEnd` went out).
    private mutating func startPartIfPending() throws(MultipartError) {
        guard partPending else { return }
        partPending = false
        partCount += 1
        if partCount > limits.maxParts { throw .tooManyParts(limit: limits.maxParts) }
        headerBytes = 0
        headerFields = []
    }

    /// Finds where content ends: the next delimiter, or the last byte that cannot begin one.
    private func scan() -> Scan {
        let count = buffer.count
        let length = delimiter.count
        return buffer.withUnsafeBufferPointer { bytes -> Scan in
            delimiter.withUnsafeBufferPointer { pattern -> Scan in
                guard let base = bytes.baseAddress, let patternBase = pattern.baseAddress else { return .content(end: count) }
                var from = readIndex
                while from < count {
                    // Every delimiter starts with CR: memchr skips content at memory speed.
                    guard let found = memchr(base + from, Int32(HTTPSyntax.cr), count - from) else {
                        return .content(end: count)
                    }
                    let at = base.distance(to: found.assumingMemoryBound(to: UInt8.self))
                    let available = count - at
                    if memcmp(base + at, patternBase, min(available, length)) == 0 {
                        if available >= length + 2 {
                            let first = bytes[at + length], second = bytes[at + length + 1]
                            if first == UInt8(ascii: "-") && second == UInt8(ascii: "-") { return .delimiter(at: at, .close) }
                            if first == HTTPSyntax.cr && second == HTTPSyntax.lf { return .delimiter(at: at, .next) }
                            if HTTPSyntax.isWhitespace(first) { return .delimiter(at: at, .padded) }
                            // CRLF--boundary followed by anything else: content (an almost-delimiter).
                        } else if !inputEnded {
                            return .content(end: at)    // maybe a delimiter split across appends: wait
                        }
                    }
                    from = at + 1
                }
                return .content(end: count)
            }
        }
    }

    /// The next header line without its CRLF, consumed; nil when it is not complete yet.
    private mutating func readHeaderLine() throws(MultipartError) -> ArraySlice<UInt8>? {
        let budget = limits.maxPartHeaderBytes - headerBytes
        guard let lf = buffer[readIndex...].firstIndex(of: HTTPSyntax.lf) else {
            // The line so far (less a possible CR) already exceeds what is left of the budget.
            if bufferedByteCount > budget { throw .partHeadersTooLarge(part: partCount, limit: limits.maxPartHeaderBytes) }
            if inputEnded { throw .truncated("the body ends inside the headers of part \(partCount)") }
            return nil
        }
        let lineLength = lf + 1 - readIndex
        if lineLength > budget { throw .partHeadersTooLarge(part: partCount, limit: limits.maxPartHeaderBytes) }
        guard lf > readIndex, buffer[lf - 1] == HTTPSyntax.cr else {
            throw .malformedHeaders(part: partCount, "a header line does not end with CRLF")
        }
        headerBytes += lineLength
        let line = buffer[readIndex..<(lf - 1)]
        readIndex = lf + 1
        return line
    }

    /// `name: value` (RFC 2046 §5.1.1 via RFC 822 field syntax), name lowercased, value trimmed.
    private mutating func parseHeaderLine(_ line: ArraySlice<UInt8>) throws(MultipartError) {
        if let first = line.first, HTTPSyntax.isWhitespace(first) {
            throw .malformedHeaders(part: partCount, "a header line starts with whitespace (folding is not accepted)")
        }
        guard let colon = line.firstIndex(of: HTTPSyntax.colon), colon > line.startIndex,
              line[..<colon].allSatisfy(HTTPSyntax.isTokenChar) else {
            throw .malformedHeaders(part: partCount, "a header line is not 'Name: value'")
        }
        let name = String(decoding: line[..<colon], as: UTF8.self).lowercased()
        let valueBytes = HTTPSyntax.trimmed(line[(colon + 1)...])
        // RFC 7578 §5.1.3: field values may be UTF-8; older senders use ISO-8859-1.
        let value = String(validating: valueBytes, as: UTF8.self)
            ?? String(String.UnicodeScalarView(valueBytes.map { Unicode.Scalar($0) }))
        headerFields.append((name, value))
    }

    /// Drops consumed bytes before appending more.
    private mutating func compact() {
        if BufferCompaction.compact(&buffer, consumed: readIndex) > 0 { readIndex = 0 }
    }
}
