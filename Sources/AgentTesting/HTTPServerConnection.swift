import AgentCore
import Glibc

/// A parsed HTTP/1.1 request as the mini server reads it.
struct ServerRequest: Sendable {
    var method: String
    /// The request target: path plus query.
    var target: String
    var version: String
    var headers: [HTTPField]
    var body: [UInt8]
    /// False for `Connection: close` or HTTP/1.0 without keep-alive.
    var keepAlive: Bool

    func header(_ name: String) -> String? {
        let lower = name.lowercased()
        return headers.first { $0.name.lowercased() == lower }?.value
    }
}

/// One accepted socket, used only by its connection thread: buffered request reading and raw writes.
final class HTTPServerConnection {
    enum ReadResult {
        case request(ServerRequest)
        /// The peer closed (or the server is stopping).
        case closed
        /// The request cannot be served; answer with this error and close.
        case rejected(status: Int, type: String, message: String)
    }

    let fd: Int32
    private let limits: MiniHTTPServer.Limits
    /// Received bytes live in `buffer[start..<end]`.
    private var buffer = [UInt8](repeating: 0, count: 64 * 1024)
    private var start = 0
    private var end = 0
    private(set) var isClosed = false

    init(fd: Int32, limits: MiniHTTPServer.Limits) {
        self.fd = fd
        self.limits = limits
    }

    // MARK: Reading

    /// Reads the next request (head and whole body).
    func readRequest() -> ReadResult {
        var headEnd: Int?
        while true {
            if let end = findHeadEnd() {
                headEnd = end
                break
            }
            if end - start > limits.maxHeaderBytes {
                return .rejected(status: 431, type: "invalid_request_error", message: "Request headers are too large.")
            }
            if !fill() { return .closed }
        }
        guard let headEnd else { return .closed }
        guard let parsed = Self.parseHead(buffer[start..<headEnd]) else {
            start = headEnd + 4
            return .rejected(status: 400, type: "invalid_request_error", message: "Malformed request line.")
        }
        start = headEnd + 4
        var request = parsed
        let connection = request.header("connection")?.lowercased() ?? ""
        request.keepAlive = request.version == "HTTP/1.0" ? connection.contains("keep-alive") : !connection.contains("close")

        let chunked = request.header("transfer-encoding")?.lowercased().contains("chunked") ?? false
        let length = chunked ? nil : request.header("content-length").map { Int($0.trimmingSpaces) }
        if case .some(.none) = length {
            return .rejected(status: 400, type: "invalid_request_error", message: "Invalid Content-Length.")
        }
        if let length = length ?? nil, length > limits.maxBodyBytes {
            return .rejected(status: 413, type: "request_too_large", message: Self.tooLargeMessage)
        }
        if request.header("expect")?.lowercased() == "100-continue" {
            guard write(Array("HTTP/1.1 100 Continue\r\n\r\n".utf8)) else { return .closed }
        }
        if chunked {
            switch readChunkedBody() {
            case .some(.some(let body)): request.body = body
            case .some(.none): return .rejected(status: 413, type: "request_too_large", message: Self.tooLargeMessage)
            case .none: return .closed
            }
        } else if let length = length ?? nil, length > 0 {
            guard let body = readBytes(length) else { return .closed }
            request.body = body
        }
        return .request(request)
    }

    /// Parses the request line and header fields (without the final blank line).
    private static func parseHead(_ head: ArraySlice<UInt8>) -> ServerRequest? {
        var lines = head.split(separator: 13, omittingEmptySubsequences: false).makeIterator()  // at CR
        guard let first = lines.next() else { return nil }
        let parts = first.split(separator: 0x20)
        guard parts.count == 3 else { return nil }
        var request = ServerRequest(
            method: String(decoding: parts[0], as: UTF8.self), target: String(decoding: parts[1], as: UTF8.self),
            version: String(decoding: parts[2], as: UTF8.self), headers: [], body: [], keepAlive: true)
        while var line = lines.next() {
            if line.first == 10 { line = line.dropFirst() }  // the LF after the CR we split at
            guard let colon = line.firstIndex(of: UInt8(ascii: ":")) else { continue }
            let name = String(decoding: line[..<colon], as: UTF8.self)
            let value = String(decoding: trim(line[(colon + 1)...]), as: UTF8.self)
            request.headers.append(HTTPField(name, value))
        }
        return request
    }

    private static func trim(_ bytes: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        var slice = bytes
        while let b = slice.first, b == 0x20 || b == 0x09 { slice = slice.dropFirst() }
        while let b = slice.last, b == 0x20 || b == 0x09 { slice = slice.dropLast() }
        return slice
    }

    static let tooLargeMessage = "Request exceeds the maximum allowed number of bytes."

    private func findHeadEnd() -> Int? {
        var i = start
        let last = end - 3
        while i < last {
            if buffer[i] == 13, buffer[i + 1] == 10, buffer[i + 2] == 13, buffer[i + 3] == 10 { return i }
            i += 1
        }
        return nil
    }

    /// Reads more bytes into the buffer (moving or growing it when full); false on EOF or error.
    private func fill() -> Bool {
        if start == end {
            start = 0
            end = 0
        }
        if end == buffer.count {
            if start > 0 {
                buffer.withUnsafeMutableBytes { raw in
                    let base = raw.baseAddress!
                    base.copyMemory(from: base + start, byteCount: end - start)
                }
                end -= start
                start = 0
            } else {
                buffer.append(contentsOf: repeatElement(0, count: buffer.count))
            }
        }
        let n = buffer.withUnsafeMutableBytes { raw -> Int in
            while true {
                let r = recv(fd, raw.baseAddress! + end, raw.count - end, 0)
                if r < 0 && errno == EINTR { continue }
                return r
            }
        }
        guard n > 0 else { return false }
        end += n
        return true
    }

    private func readBytes(_ count: Int) -> [UInt8]? {
        while end - start < count {
            if !fill() { return nil }
        }
        let bytes = Array(buffer[start..<start + count])
        start += count
        return bytes
    }

    private func readLine() -> String? {
        while true {
            if let i = buffer[start..<end].firstIndex(of: 10) {
                let line = String(decoding: buffer[start..<i], as: UTF8.self)
                start = i + 1
                return line.hasSuffix("\r") ? String(line.dropLast()) : line
            }
            if end - start > limits.maxHeaderBytes || !fill() { return nil }
        }
    }

    /// The decoded chunked body; `.some(nil)` when it exceeds the limit, nil when the peer went away.
    private func readChunkedBody() -> [UInt8]?? {
        var body: [UInt8] = []
        while true {
            guard let line = readLine() else { return nil }
            let sizeText = line.split(separator: ";", maxSplits: 1).first.map(String.init) ?? ""
            guard let size = Int(sizeText.trimmingSpaces, radix: 16), size >= 0 else { return nil }
            if size == 0 {
                while let trailer = readLine(), !trailer.isEmpty {}
                return .some(body)
            }
            if body.count + size > limits.maxBodyBytes { return .some(nil) }
            guard let data = readBytes(size), readLine() != nil else { return nil }
            body.append(contentsOf: data)
        }
    }

    // MARK: Writing

    /// Writes all bytes (MSG_NOSIGNAL); false when the peer is gone.
    @discardableResult
    func write(_ bytes: [UInt8]) -> Bool {
        guard !isClosed else { return false }
        return bytes.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let n = send(fd, raw.baseAddress! + offset, raw.count - offset, Int32(MSG_NOSIGNAL))
                if n < 0 {
                    if errno == EINTR { continue }
                    return false
                }
                offset += n
            }
            return true
        }
    }

    /// Writes a JSON error envelope with `connection: close`.
    func writeError(status: Int, type: String, message: String) {
        let body = FakeWire.errorBody(type: type, message: message, requestID: FakeWire.requestID())
        write(FakeWire.response(status: status, headers: [HTTPField("content-type", "application/json"), HTTPField("connection", "close")], body: body))
    }

    /// Waits until the peer closes (or the server stops), discarding anything it sends; or until
    /// `timeout` seconds pass. Returns true when the connection is gone.
    @discardableResult
    func waitForPeerClose(timeout: Double? = nil) -> Bool {
        let deadline = timeout.map { ContinuousClock.now + .milliseconds(Int($0 * 1000)) }
        var scratch = [UInt8](repeating: 0, count: 4096)
        while true {
            var ms: Int32 = -1
            if let deadline {
                let left = ContinuousClock.now.duration(to: deadline)
                if left <= .zero { return false }
                let (seconds, attoseconds) = left.components
                ms = Int32(min(Int64(Int32.max), seconds * 1000 + attoseconds / 1_000_000_000_000_000 + 1))
            }
            var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let r = poll(&pfd, 1, ms)
            if r < 0 {
                if errno == EINTR { continue }
                return true
            }
            if r == 0 { continue }
            let n = scratch.withUnsafeMutableBytes { recv(fd, $0.baseAddress!, $0.count, 0) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { return true }
        }
    }

    /// Makes the coming close send RST instead of FIN (SO_LINGER 0) and ends the connection.
    func reset() {
        var option = linger(l_onoff: 1, l_linger: 0)
        setsockopt(fd, SOL_SOCKET, SO_LINGER, &option, socklen_t(MemoryLayout<linger>.size))
        isClosed = true
    }

    /// Ends the connection after the current response (the socket closes when the thread finishes).
    func markClosed() {
        isClosed = true
    }

    /// Half-closes and drains what the peer is still sending (briefly), so an early error response
    /// is read rather than lost to a reset.
    func lingerClose() {
        shutdown(fd, Int32(SHUT_WR))
        var drained = 0
        var scratch = [UInt8](repeating: 0, count: 64 * 1024)
        while drained < 2 * limits.maxBodyBytes {
            var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            if poll(&pfd, 1, 2000) <= 0 { break }
            let n = scratch.withUnsafeMutableBytes { recv(fd, $0.baseAddress!, $0.count, 0) }
            if n <= 0 { break }
            drained += n
        }
        isClosed = true
    }

    /// Closes the socket (called once, by the server, after the connection left the live set).
    func close() {
        isClosed = true
        Glibc.close(fd)
    }
}

extension String {
    var trimmingSpaces: String {
        var view = Substring(self)
        while let c = view.first, c == " " || c == "\t" { view = view.dropFirst() }
        while let c = view.last, c == " " || c == "\t" { view = view.dropLast() }
        return String(view)
    }
}
