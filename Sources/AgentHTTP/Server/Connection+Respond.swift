// Turning a handler's `HTTPResponse` into bytes: complete, streamed and upgraded bodies.

extension Connection {
    /// Sends the handler's response for the request in flight (called on the loop thread).
    func respond(_ response: HTTPResponse) {
        guard case .handling(let head) = state else { return }    // closed meanwhile
        let isHEAD = head.method == "HEAD"
        let noBody = isHEAD || ResponseEncoder.statusForbidsBody(response.status)
        var close = !head.keepAlive || loop.draining || inputClosed
            || response.headers.values(for: "connection").contains { $0.lowercased().contains("close") }
        let date = loop.currentDate()

        switch response.body {
        case .bytes(let bytes):
            // RFC 9110 §8.6: no Content-Length in 1xx and 204 responses; 304 sends none here.
            let framing: ResponseEncoder.Framing = ResponseEncoder.statusForbidsBody(response.status)
                ? .none : .length(bytes.count)
            enqueue(ResponseEncoder.head(status: response.status, headers: response.headers, framing: framing,
                                         connection: connectionHeader(head, close: close), date: date))
            if !noBody { enqueue(bytes) }
            state = .responded(close: close)

        case .stream(let produce):
            // RFC 9112 §7.1: HTTP/1.0 clients do not understand chunked; delimit by closing instead.
            let chunked = head.version != .http1_0
            if !chunked { close = true }
            enqueue(ResponseEncoder.head(status: response.status, headers: response.headers,
                                         framing: chunked ? .chunked : .none,
                                         connection: connectionHeader(head, close: close), date: date))
            if noBody {
                state = .responded(close: close)    // HEAD: the head only; the body is not produced
                break
            }
            startStream(produce, chunked: chunked, close: close)

        case .upgrade(let takeOver):
            enqueue(ResponseEncoder.head(status: response.status, headers: response.headers, framing: .none,
                                         connection: nil, date: date))
            startUpgrade(takeOver)
        }
        flush()
    }

    /// `Connection: close` when closing; `keep-alive` for an HTTP/1.0 client that asked for it.
    private func connectionHeader(_ head: HTTPRequestHead, close: Bool) -> String? {
        if close { return "close" }
        return head.version == .http1_0 ? "keep-alive" : nil
    }

    private func startStream(_ produce: @escaping @Sendable (any HTTPBodyWriter) async -> Void, chunked: Bool,
                             close: Bool) {
        let channel = ConnectionChannel(connection: self, loop: loop, cap: loop.context.configuration.sendBufferCap,
                                        chunked: chunked)
        state = .streaming(channel, close: close)
        outputBaseline = output.count - outputOffset
        if inputClosed { channel.fail() }
        let loop = self.loop
        let connection = LoopBound(value: self)
        Task {
            await produce(channel)
            loop.execute { connection.value.finishStream(channel) }
        }
    }

    /// The stream closure returned: end the chunked body and move on.
    private func finishStream(_ channel: ConnectionChannel) {
        guard case .streaming(let current, let closeAfter) = state, current === channel else { return }
        if channel.isFailed {
            close()
            return
        }
        // RFC 9112 §7.1: last-chunk; a close-delimited (HTTP/1.0) body ends with the connection.
        if channel.chunked { enqueue(ResponseEncoder.lastChunk) }
        state = .responded(close: closeAfter)
        flush()
    }

    private func startUpgrade(_ takeOver: @escaping @Sendable (any UpgradedConnection) async -> Void) {
        let channel = ConnectionChannel(connection: self, loop: loop, cap: loop.context.configuration.sendBufferCap,
                                        chunked: false)
        state = .upgraded(channel)
        setDeadline(.none, after: 0)
        outputBaseline = output.count - outputOffset
        // Bytes that followed the request head already belong to the new protocol.
        let early = parser.takeUnconsumedBytes()
        if !early.isEmpty, channel.deliver(early) { readingPaused = true }
        if inputClosed { channel.closeInput() }
        let loop = self.loop
        let connection = LoopBound(value: self)
        Task {
            await takeOver(channel)
            loop.execute { connection.value.closeUpgraded() }
        }
    }
}
