import AgentCore

/// Writes one `FakeReply` onto a connection, as JSON or as an SSE stream.
///
/// Without `chunkSize` or `eventInterval` a whole stream goes out in one `send` (each event still
/// its own HTTP chunk), which keeps the per-request cost low for benchmarks. With `chunkSize` the
/// SSE body is cut every `chunkSize` bytes regardless of event boundaries, each piece its own chunk
/// and its own `send`; with `eventInterval` the writer pauses between writes (one write per event,
/// or per `chunkSize` piece).
struct ReplyWriter {
    let connection: HTTPServerConnection
    let streaming: Bool
    let model: String
    let chunkSize: Int?
    let eventInterval: Double
    let requestID = FakeWire.requestID()

    /// Writes the reply; returns whether the connection may serve another request.
    func write(_ reply: FakeReply) -> Bool {
        switch reply {
        case .message(let content, let stopReason, let usage, let replyModel):
            let model = replyModel ?? self.model
            let id = FakeWire.messageID()
            guard streaming else {
                let body = FakeWire.message(
                    id: id, model: model, content: content, stopReason: stopReason, usage: usage,
                    outputTokens: usage.outputTokens)
                return send(status: 200, headers: jsonHeaders(), body: Array(body.utf8))
            }
            let events = SSERenderer.events(id: id, model: model, content: content, stopReason: stopReason, usage: usage)
            let stream = SSEStream(self)
            return stream.send(events) && stream.finish()

        case .error(let status, let type, let message, let retryAfter, let retryAfterMs, let shouldRetry):
            var headers = [HTTPField("content-type", "application/json"), HTTPField("request-id", requestID)]
            if let retryAfter { headers.append(HTTPField("retry-after", retryAfter)) }
            if let retryAfterMs { headers.append(HTTPField("retry-after-ms", retryAfterMs)) }
            if let shouldRetry { headers.append(HTTPField("x-should-retry", shouldRetry)) }
            if status == 429 { headers += FakeWire.rateLimitHeaders() }
            return send(status: status, headers: headers, body: FakeWire.errorBody(type: type, message: message, requestID: requestID))

        case .resetConnection:
            connection.reset()
            return false

        case .midStreamError(let afterEvents, let type, let message, let content, let stopReason):
            guard streaming else {
                let body = FakeWire.errorBody(type: type, message: message, requestID: requestID)
                return send(status: FakeWire.status(forErrorType: type), headers: jsonHeaders(), body: body)
            }
            let events = render(content, stopReason)
            let stream = SSEStream(self)
            let count = min(max(afterEvents, 0), events.count - 1)
            return stream.send(events[..<count]) && stream.send([SSERenderer.error(type: type, message: message, requestID: requestID)])
                && stream.finish()

        case .truncatedStream(let afterEvents, let content, let stopReason):
            guard streaming else {
                let body = Array(
                    FakeWire.message(
                        id: FakeWire.messageID(), model: model, content: content, stopReason: stopReason,
                        usage: FakeReply.defaultUsage, outputTokens: FakeReply.defaultUsage.outputTokens
                    ).utf8)
                let full = FakeWire.response(status: 200, headers: jsonHeaders(), body: body)
                connection.write(Array(full[..<(full.count - body.count / 2)]))
                connection.markClosed()
                return false
            }
            let events = render(content, stopReason)
            let stream = SSEStream(self)
            _ = stream.send(events[..<min(max(afterEvents, 0), events.count - 1)]) && stream.flush()
            connection.markClosed()  // no terminating chunk: the client sees a cut-off body
            return false

        case .stall(let afterEvents):
            if streaming {
                let events = render([.text("This reply never finishes.")], .endTurn)
                let stream = SSEStream(self)
                guard stream.send(events[..<min(max(afterEvents, 0), events.count)]) && stream.flush() else { return false }
            }
            connection.waitForPeerClose()
            connection.markClosed()
            return false

        case .rawSSE(let text):
            let stream = SSEStream(self)
            return stream.sendRaw(Array(text.utf8)) && stream.finish()

        case .raw(let status, let headers, let body):
            let close = headers.contains { $0.name.lowercased() == "connection" && $0.value.lowercased() == "close" }
            return send(status: status, headers: headers, body: body) && !close
        }
    }

    private func render(_ content: [ContentBlock], _ stopReason: StopReason) -> [SSEEvent] {
        SSERenderer.events(
            id: FakeWire.messageID(), model: model, content: content, stopReason: stopReason, usage: FakeReply.defaultUsage)
    }

    private func jsonHeaders() -> [HTTPField] {
        [
            HTTPField("content-type", "application/json"), HTTPField("request-id", requestID),
            HTTPField("anthropic-organization-id", "00000000-0000-4000-8000-000000000000"),
        ] + FakeWire.rateLimitHeaders()
    }

    private func send(status: Int, headers: [HTTPField], body: [UInt8]) -> Bool {
        connection.write(FakeWire.response(status: status, headers: headers, body: body))
    }

    /// A chunked `text/event-stream` response being written.
    final class SSEStream {
        private let writer: ReplyWriter
        private var out: [UInt8]
        private var pending: [UInt8] = []
        private var writes = 0

        init(_ writer: ReplyWriter) {
            self.writer = writer
            out = FakeWire.head(
                status: 200,
                headers: [
                    HTTPField("content-type", "text/event-stream; charset=utf-8"), HTTPField("cache-control", "no-cache"),
                    HTTPField("request-id", writer.requestID),
                    HTTPField("anthropic-organization-id", "00000000-0000-4000-8000-000000000000"),
                    HTTPField("transfer-encoding", "chunked"),
                ])
        }

        /// Queues (or writes) events; false when the client went away.
        func send(_ events: some Collection<SSEEvent>) -> Bool {
            for event in events {
                guard sendRaw(event.bytes) else { return false }
                if writer.chunkSize == nil && writer.eventInterval > 0 {
                    guard write() else { return false }  // one write per event
                }
            }
            return true
        }

        /// Queues body bytes; with `chunkSize`, writes every complete piece.
        func sendRaw(_ bytes: [UInt8]) -> Bool {
            guard let size = writer.chunkSize, size > 0 else {
                if !bytes.isEmpty { out += FakeWire.chunk(bytes) }
                return true
            }
            pending += bytes
            var offset = 0
            defer { pending.removeFirst(offset) }
            while pending.count - offset >= size {
                out += FakeWire.chunk(pending[offset..<offset + size])
                offset += size
                guard write() else { return false }
            }
            return true
        }

        /// Writes everything queued, including a partial `chunkSize` piece.
        func flush() -> Bool {
            if !pending.isEmpty {
                out += FakeWire.chunk(pending)
                pending = []
            }
            return write()
        }

        /// One write; after the first, waits `eventInterval` (ending early if the client leaves).
        private func write() -> Bool {
            guard !out.isEmpty else { return true }
            if writes > 0 && writer.eventInterval > 0 {
                if writer.connection.waitForPeerClose(timeout: writer.eventInterval) { return false }
            }
            writes += 1
            defer { out = [] }
            return writer.connection.write(out)
        }

        /// Flushes and writes the terminating chunk.
        func finish() -> Bool {
            if !pending.isEmpty {
                out += FakeWire.chunk(pending)
                pending = []
            }
            out += FakeWire.lastChunk
            return flush()
        }
    }
}
