internal import CCurl
import Synchronization

/// One request in flight: the libcurl callbacks' context and the loop that drives the transfer.
///
/// Runs on a `CurlWorkerPool` thread. The callbacks get this object through an `Unmanaged` pointer
/// (they are `@convention(c)` and capture nothing). `cancel()` may come from any thread.
final class CurlTransfer: @unchecked Sendable {
    typealias Continuation = AsyncThrowingStream<HTTPClientResponsePart, any Error>.Continuation

    let request: HTTPClientRequest
    private let continuation: Continuation
    private let cancelled = Atomic<Bool>(false)
    /// The handle while the transfer runs, so `cancel()` can wake its poll. Guarded so that a
    /// late cancel never touches a handle that went back to the pool.
    private let active = Mutex<CurlEasyHandle?>(nil)

    // Response head being parsed; touched only by the worker thread inside curl callbacks.
    private var status = 0
    private var headers: [HTTPField] = []
    private var headSent = false
    /// When a byte last moved either way (worker thread only).
    private var lastActivity = ContinuousClock.now
    private var bytesMoved: Int64 = 0
    /// The easy handle of the running transfer (worker thread only), for `CURLINFO_RESPONSE_CODE`.
    private var easy: UnsafeMutableRawPointer?

    init(request: HTTPClientRequest, continuation: Continuation) {
        self.request = request
        self.continuation = continuation
    }

    var isCancelled: Bool { cancelled.load(ordering: .relaxed) }

    /// Aborts the transfer: the flag is checked by the callbacks and by the poll loop, which is woken now.
    func cancel() {
        cancelled.store(true, ordering: .relaxed)
        active.withLock { handle in
            if let handle { curl_multi_wakeup(handle.multi) }
        }
    }

    /// Ends the stream with an error without running the transfer.
    func fail(_ error: HTTPTransportError) {
        continuation.finish(throwing: error)
    }

    /// How a transfer ended, decided while the handle is still ours.
    enum Outcome {
        case completed
        case cancelled
        case failed(HTTPTransportError)
    }

    /// Performs the transfer on `handle`. The caller returns the handle to the pool and then calls
    /// `complete(_:)`, so a consumer that starts its next request on seeing the end of this one finds
    /// the warm handle (and its keep-alive connection) back in the pool.
    func run(on handle: CurlEasyHandle) -> Outcome {
        // The body must stay at a fixed address for the whole transfer (POSTFIELDS is not copied).
        let body = request.body.isEmpty ? [UInt8(0)] : request.body
        let result: LoopResult = body.withUnsafeBytes { raw in
            var headerList = buildHeaderList()
            defer { curl_slist_free_all(headerList) }
            guard configure(handle, body: raw.baseAddress!, headerList: &headerList) else {
                return .finished(CURLE_FAILED_INIT)
            }
            return perform(handle)
        }
        switch result {
        case _ where isCancelled, .cancelled:
            return .cancelled
        case .idle:
            let seconds = request.idleTimeout
            return .failed(HTTPTransportError(kind: .timeout, message: "No data received for \(seconds) seconds"))
        case .finished(let code) where code == CURLE_OK:
            sendHeadIfNeeded()
            return .completed
        case .finished(let code):
            var message = handle.errorText
            if message.isEmpty { message = String(cString: curl_easy_strerror(code)) }
            return .failed(HTTPTransportError(kind: Self.kind(of: code), message: message))
        }
    }

    /// Ends the stream.
    func complete(_ outcome: Outcome) {
        switch outcome {
        case .completed, .cancelled: continuation.finish()
        case .failed(let error): continuation.finish(throwing: error)
        }
    }

    // MARK: Setup

    private func buildHeaderList() -> UnsafeMutablePointer<curl_slist>? {
        var list: UnsafeMutablePointer<curl_slist>?
        var hasExpect = false
        for field in request.headers {
            if field.name.lowercased() == "expect" { hasExpect = true }
            // "Name;" is curl's spelling of a header with an empty value ("Name:" would remove it).
            let line = field.value.isEmpty ? "\(field.name);" : "\(field.name): \(field.value)"
            list = curl_slist_append(list, line)  // copies the string
        }
        if !hasExpect && !request.body.isEmpty {
            list = curl_slist_append(list, "Expect:")  // no 100-continue round trip
        }
        return list
    }

    private func configure(
        _ handle: CurlEasyHandle, body: UnsafeRawPointer, headerList: inout UnsafeMutablePointer<curl_slist>?
    ) -> Bool {
        let h = handle.easy
        easy = h
        let context = Unmanaged.passUnretained(self).toOpaque()
        var ok = ccurl_setopt_string(h, CURLOPT_URL, request.url) == CURLE_OK
        ccurl_setopt_long(h, CURLOPT_NOSIGNAL, 1)
        ccurl_setopt_long(h, CURLOPT_TCP_NODELAY, 1)
        ccurl_setopt_long(h, CURLOPT_TCP_KEEPALIVE, 1)
        ccurl_setopt_long(h, CURLOPT_SUPPRESS_CONNECT_HEADERS, 1)
        ccurl_setopt_cloexec_sockets(h)
        ccurl_setopt_long(h, CURLOPT_CONNECTTIMEOUT_MS, Self.milliseconds(request.connectTimeout))
        ccurl_setopt_long(h, CURLOPT_LOW_SPEED_LIMIT, 1)
        ccurl_setopt_long(h, CURLOPT_LOW_SPEED_TIME, Self.wholeSeconds(request.idleTimeout))
        ccurl_setopt_pointer(h, CURLOPT_ERRORBUFFER, handle.errorBuffer)
        handle.errorBuffer[0] = 0

        ccurl_setopt_write_function(h) { data, size, count, context in
            Unmanaged<CurlTransfer>.fromOpaque(context!).takeUnretainedValue().received(body: data, size * count)
        }
        ccurl_setopt_pointer(h, CURLOPT_WRITEDATA, context)
        ccurl_setopt_header_function(h) { data, size, count, context in
            Unmanaged<CurlTransfer>.fromOpaque(context!).takeUnretainedValue().received(headerLine: data, size * count)
        }
        ccurl_setopt_pointer(h, CURLOPT_HEADERDATA, context)
        ccurl_setopt_progress_function(h) { context, _, received, _, sent in
            Unmanaged<CurlTransfer>.fromOpaque(context!).takeUnretainedValue().progress(Int64(received) + Int64(sent))
        }
        ccurl_setopt_pointer(h, CURLOPT_XFERINFODATA, context)
        ccurl_setopt_long(h, CURLOPT_NOPROGRESS, 0)

        let method = request.method.uppercased()
        switch method {
        case "GET" where request.body.isEmpty:
            ccurl_setopt_long(h, CURLOPT_HTTPGET, 1)
        case "HEAD":
            ccurl_setopt_long(h, CURLOPT_NOBODY, 1)
        default:
            if method != "POST" { ok = ok && ccurl_setopt_string(h, CURLOPT_CUSTOMREQUEST, method) == CURLE_OK }
            if method == "POST" || !request.body.isEmpty {
                ccurl_setopt_off_t(h, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(request.body.count))
                ccurl_setopt_const_pointer(h, CURLOPT_POSTFIELDS, body)
            }
        }
        if let headerList { ccurl_setopt_pointer(h, CURLOPT_HTTPHEADER, headerList) }
        return ok
    }

    static func milliseconds(_ seconds: Double) -> Int {
        guard seconds.isFinite, seconds > 0 else { return 0 }
        return Int(min(seconds * 1000, Double(Int32.max)).rounded(.up))
    }

    static func wholeSeconds(_ seconds: Double) -> Int {
        guard seconds.isFinite else { return Int(Int32.max) }
        return max(1, Int(min(seconds, Double(Int32.max)).rounded(.up)))
    }

    // MARK: Transfer loop

    enum LoopResult {
        case finished(CURLcode)
        case cancelled
        /// No byte moved for `idleTimeout` seconds.
        case idle
    }

    /// Drives the transfer with `curl_multi_perform` / `curl_multi_poll` until it ends, is
    /// cancelled (the poll is woken by `cancel()`), or stays idle for `idleTimeout`.
    private func perform(_ handle: CurlEasyHandle) -> LoopResult {
        let multi = handle.multi
        guard curl_multi_add_handle(multi, handle.easy) == CURLM_OK else { return .finished(CURLE_FAILED_INIT) }
        active.withLock { $0 = handle }
        defer {
            active.withLock { $0 = nil }
            curl_multi_remove_handle(multi, handle.easy)  // closes the connection if the transfer was cut
        }
        let idleLimit = Self.duration(request.idleTimeout)
        lastActivity = .now
        var running: Int32 = 1
        while !isCancelled {
            let code = curl_multi_perform(multi, &running)
            if code != CURLM_OK { return .finished(CURLE_FAILED_INIT) }
            if running == 0 { break }
            let idleLeft = idleLimit - lastActivity.duration(to: .now)
            if idleLeft <= .zero { return .idle }
            // Returns early when curl's own timers (connect, low-speed) are due, or on curl_multi_wakeup.
            curl_multi_poll(multi, nil, 0, Int32(min(1000, Self.milliseconds(idleLeft))), nil)
        }
        if isCancelled { return .cancelled }
        var remaining: Int32 = 0
        while let message = curl_multi_info_read(multi, &remaining) {
            if message.pointee.msg == CURLMSG_DONE { return .finished(message.pointee.data.result) }
        }
        return .finished(CURLE_FAILED_INIT)
    }

    private static func duration(_ seconds: Double) -> Duration {
        guard seconds.isFinite, seconds > 0 else { return seconds > 0 ? .seconds(Int64.max / 4) : .zero }
        return .milliseconds(Int64(min(seconds, 1e12) * 1000))
    }

    private static func milliseconds(_ duration: Duration) -> Int {
        let (seconds, attoseconds) = duration.components
        return Int(min(seconds, Int64(Int32.max / 1000))) * 1000 + Int(attoseconds / 1_000_000_000_000_000) + 1
    }

    static func kind(of code: CURLcode) -> HTTPTransportError.Kind {
        switch code {
        case CURLE_OPERATION_TIMEDOUT:
            return .timeout
        case CURLE_COULDNT_CONNECT, CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY, CURLE_SSL_CONNECT_ERROR,
            CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CACERT_BADFILE, CURLE_SSL_CERTPROBLEM:
            return .connect
        case CURLE_RECV_ERROR, CURLE_PARTIAL_FILE, CURLE_GOT_NOTHING, CURLE_SEND_ERROR, CURLE_HTTP2,
            CURLE_HTTP2_STREAM:
            return .connectionLost
        default:
            return .other
        }
    }

    // MARK: Callbacks (worker thread)

    /// The progress callback: notes activity; non-zero aborts the transfer.
    private func progress(_ total: Int64) -> Int32 {
        if total != bytesMoved {
            bytesMoved = total
            lastActivity = .now
        }
        return isCancelled ? 1 : 0
    }

    private func received(body data: UnsafeMutablePointer<CChar>?, _ count: Int) -> Int {
        if isCancelled { return 0 }  // any count other than the one given aborts with CURLE_WRITE_ERROR
        sendHeadIfNeeded()
        lastActivity = .now
        guard let data, count > 0 else { return count }
        let chunk = [UInt8](UnsafeRawBufferPointer(start: data, count: count))
        if case .terminated = continuation.yield(.body(chunk)) {
            cancelled.store(true, ordering: .relaxed)
            return 0
        }
        return count
    }

    private func received(headerLine data: UnsafeMutablePointer<CChar>?, _ count: Int) -> Int {
        if isCancelled { return 0 }
        lastActivity = .now
        guard let data, !headSent else { return count }  // trailers after the head are ignored
        let line = UnsafeRawBufferPointer(start: data, count: count)
        let trimmed = Self.trim(line[...])
        if trimmed.isEmpty {
            // End of a header block: a 1xx block just ends (the final one follows); the final one is the head.
            if status >= 200 { sendHeadIfNeeded() }
        } else if trimmed.starts(with: Self.httpPrefix) {
            // A new block: an interim 1xx or the final response ("HTTP/1.1 200 OK", "HTTP/2 200").
            let afterVersion = trimmed.drop { $0 != UInt8(ascii: " ") }.drop { $0 == UInt8(ascii: " ") }
            let digits = afterVersion.prefix { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
            status = Int(String(decoding: digits, as: UTF8.self)) ?? 0
            headers = []
        } else if let colon = trimmed.firstIndex(of: UInt8(ascii: ":")) {
            let name = String(decoding: trimmed[..<colon], as: UTF8.self)
            let value = String(decoding: Self.trim(trimmed[(colon + 1)...]), as: UTF8.self)
            headers.append(HTTPField(name, value))
        }
        return count
    }

    private static let httpPrefix = Array("HTTP/".utf8)

    private static func trim(_ bytes: Slice<UnsafeRawBufferPointer>) -> Slice<UnsafeRawBufferPointer> {
        func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0D || b == 0x0A }
        var start = bytes.startIndex, end = bytes.endIndex
        while start < end, isSpace(bytes[start]) { start += 1 }
        while end > start, isSpace(bytes[end - 1]) { end -= 1 }
        return bytes[start..<end]
    }

    private func sendHeadIfNeeded() {
        guard !headSent else { return }
        headSent = true
        if status == 0, let easy {
            var code = 0
            ccurl_getinfo_long(easy, CURLINFO_RESPONSE_CODE, &code)
            status = code
        }
        continuation.yield(.head(HTTPClientResponseHead(status: status, headers: headers)))
    }
}
