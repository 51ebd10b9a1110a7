import CEpoll
import Glibc
import Synchronization

/// One accepted socket and its HTTP/1.1 state, confined to its event loop's thread.
///
/// Requests are handled one at a time (pipelined requests wait in the parser's buffer, so
/// responses keep their order): reading stops while the handler runs and while the response is
/// being sent, and resumes with whatever was already buffered. A body is collected in memory,
/// or written to a ``BodySpool`` file as it arrives when the handler's
/// ``HTTPHandler/bodyDestination(for:)`` asks for one.
///
/// ```
/// readingHead ─head─▶ readingBody ─end─▶ handling ─response─▶ responded ─flushed─▶ readingHead
///                                              ├─stream──▶ streaming ─closure returns─▶ responded
///                                              └─upgrade─▶ upgraded ─close─▶ closed
/// any error or close decision ─▶ lingering (half-closed, draining input) ─▶ closed
/// ```
final class Connection {
    enum State {
        case readingHead
        case readingBody(HTTPRequestHead)
        case handling(HTTPRequestHead)
        case streaming(ConnectionChannel, close: Bool)
        case upgraded(ConnectionChannel)
        /// The response is queued; once it is sent, read the next request or close.
        case responded(close: Bool)
        /// Our side is shut down for writing; input is read and dropped until EOF or the deadline.
        case lingering
        case closed
    }

    /// What the current deadline means when it passes.
    enum Deadline {
        case none
        /// A request head (or the first one) is due: answer 408 and close.
        case header
        /// The body is due: answer 408 and close.
        case body
        /// Keep-alive wait for the next request: close quietly.
        case idle
        /// Lingering close: close.
        case linger
    }

    let id: UInt64
    let fd: Int32
    let remoteAddress: String
    unowned let loop: EventLoop
    var state: State = .readingHead
    var parser: HTTPRequestParser
    private var body: [UInt8] = []
    /// The file the current request's body goes to, when its handler asked for one.
    private var spool: BodySpool?
    private var pendingContinue = false
    /// The peer shut down its sending side (EOF or `EPOLLRDHUP`).
    var inputClosed = false
    /// Reading paused because an upgraded handler is not consuming its input.
    var readingPaused = false

    var deadline: UInt64
    var deadlineKind = Deadline.header

    // Output, see Connection+Output.swift.
    var output: [UInt8] = []
    var outputOffset = 0
    /// Queued bytes ahead of a channel's first byte (its response head), not counted by the channel.
    var outputBaseline = 0
    var lastWriteProgress: UInt64 = 0
    /// The epoll events currently registered.
    var interest: UInt32 = EPOLLIN.rawValue | EPOLLRDHUP.rawValue

    init(id: UInt64, fd: Int32, remoteAddress: String, loop: EventLoop) {
        self.id = id
        self.fd = fd
        self.remoteAddress = remoteAddress
        self.loop = loop
        parser = HTTPRequestParser(limits: loop.context.configuration.parserLimits)
        deadline = Socket.now() + loop.context.headerTimeout
    }

    /// Between requests with nothing buffered or queued: safe to close at shutdown.
    var isIdle: Bool {
        if case .readingHead = state { return parser.isIdle && !hasPendingOutput }
        return false
    }

    var isClosed: Bool {
        if case .closed = state { return true }
        return false
    }

    // MARK: - Events

    /// Reacts to the events `epoll_wait` reported for this socket.
    func handle(events: UInt32) {
        if events & (EPOLLERR.rawValue | EPOLLHUP.rawValue) != 0 {
            close()
            return
        }
        if events & EPOLLOUT.rawValue != 0 { flush() }
        if events & EPOLLIN.rawValue != 0, !isClosed { readable() }
        if events & EPOLLRDHUP.rawValue != 0, !inputClosed, !isClosed { peerClosedInput() }
        updateInterest()
    }

    private func readable() {
        let buffer = loop.readBuffer
        let count = recv(fd, buffer.baseAddress, buffer.count, 0)
        if count < 0 {
            if errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR { close() }
            return
        }
        if count == 0 {
            endOfInput()
            return
        }
        let bytes = UnsafeRawBufferPointer(rebasing: buffer[0..<count])
        switch state {
        case .readingHead, .readingBody:
            parser.append(bytes)
            processInput()
        case .upgraded(let channel):
            if channel.deliver(Array(bytes)) { readingPaused = true }
        case .lingering:
            break       // dropped
        case .handling, .streaming, .responded, .closed:
            // Not reading in these states; level-triggered epoll will report the bytes later.
            parser.append(bytes)
        }
    }

    /// EOF from the peer.
    private func endOfInput() {
        inputClosed = true
        switch state {
        case .readingHead, .readingBody, .lingering:
            close()     // an unfinished request (or none) can no longer complete
        case .upgraded(let channel):
            channel.closeInput()
        case .streaming(let channel, _):
            channel.fail()
        case .handling, .responded, .closed:
            break
        }
    }

    /// `EPOLLRDHUP`: the peer shut down its side. Reading states find the EOF by reading; a
    /// streamed response treats it as the client going away.
    private func peerClosedInput() {
        switch state {
        case .readingHead, .readingBody, .lingering:
            return      // EPOLLIN is set too: the read sees buffered bytes, then EOF
        default:
            endOfInput()
        }
    }

    // MARK: - Requests

    /// Pulls parser events until a request is complete, more bytes are needed, or input is bad.
    func processInput() {
        while true {
            switch state {
            case .readingHead, .readingBody: break
            default: return
            }
            let event: HTTPParserEvent?
            do {
                event = try parser.next()
            } catch {
                respondToParseError(error)
                return
            }
            guard let event else {
                if case .readingHead = state, deadlineKind == .idle, !parser.isIdle {
                    setDeadline(.header, after: loop.context.headerTimeout)
                }
                if pendingContinue {
                    // RFC 9110 §10.1.1: the body is within limits, so invite the client to send it.
                    pendingContinue = false
                    enqueue(ResponseEncoder.continueResponse)
                }
                return
            }
            switch event {
            case .head(let head):
                let handler = loop.context.handler
                if let limit = handler.bodyLimit(for: head) { parser.overrideBodyLimit(limit) }
                body = []
                if Self.hasBody(head.bodyFraming), case .file(let directory) = handler.bodyDestination(for: head) {
                    do {
                        spool = try BodySpool(directory: directory)
                    } catch {
                        respondToSpoolError(error)
                        return
                    }
                }
                pendingContinue = head.expectsContinue && Self.hasBody(head.bodyFraming)
                state = .readingBody(head)
                setDeadline(.body, after: loop.context.bodyTimeout)
            case .body(let bytes):
                pendingContinue = false     // the client sent the body without waiting
                if let spool {
                    // Written as it arrives: the body is never whole in memory.
                    do {
                        try spool.write(bytes)
                    } catch {
                        respondToSpoolError(error)
                        return
                    }
                } else {
                    body += bytes
                }
            case .end:
                guard case .readingBody(let head) = state else { return }
                pendingContinue = false
                dispatch(head)
            }
        }
    }

    private static func hasBody(_ framing: HTTPBodyFraming) -> Bool {
        switch framing {
        case .none: false
        case .length(let length): length > 0
        case .chunked: true
        }
    }

    /// Asks the handler for a complete request's answer: a ready one is sent at once from this
    /// thread; pending work runs on a task and its response comes back via the loop.
    private func dispatch(_ head: HTTPRequestHead) {
        var bodyFile: HTTPBodyFile?
        if let spool {
            self.spool = nil
            do {
                bodyFile = try spool.finish()
            } catch {
                respondToSpoolError(error)
                return
            }
        }
        let request = HTTPRequest(head: head, body: body, bodyFile: bodyFile, remoteAddress: remoteAddress)
        body = []
        state = .handling(head)
        setDeadline(.none, after: 0)
        switch loop.context.handler.reply(to: request) {
        case .ready(let response):
            bodyFile?.release(answeredBy: response)
            respond(response)
        case .pending(let work):
            let loop = self.loop
            let connection = LoopBound(value: self)
            Task {
                let response = await work()
                bodyFile?.release(answeredBy: response)
                loop.execute { connection.value.respond(response) }
            }
        }
    }

    /// Answers a spool file that could not be created or written (507 when the disk is full,
    /// else 500) with a small JSON body, removes the partial file, then closes: the rest of the
    /// body is not read.
    private func respondToSpoolError(_ error: BodySpoolError) {
        discardBody()
        pendingContinue = false
        enqueue(ResponseEncoder.errorResponse(status: error.status, detail: error.detail, date: loop.currentDate()))
        state = .responded(close: true)
        setDeadline(.none, after: 0)
        flush()
    }

    /// Answers a parse error with its status and a small JSON body, then closes.
    private func respondToParseError(_ error: HTTPParseError) {
        discardBody()
        pendingContinue = false
        enqueue(ResponseEncoder.errorResponse(status: error.status, detail: error.reason, date: loop.currentDate()))
        state = .responded(close: true)
        setDeadline(.none, after: 0)
        flush()
    }

    /// Drops a request body that will not be handled, removing its spool file (413, 408, a
    /// client gone mid-body).
    private func discardBody() {
        body = []
        spool?.discard()
        spool = nil
    }

    // MARK: - Deadlines

    func setDeadline(_ kind: Deadline, after nanoseconds: UInt64) {
        deadlineKind = kind
        deadline = kind == .none ? 0 : Socket.now() + nanoseconds
    }

    /// Closes the connection when its current deadline or the write-stall limit has passed.
    func checkDeadlines(now: UInt64) {
        if hasPendingOutput, now > lastWriteProgress, now - lastWriteProgress > loop.context.writeStallTimeout {
            close()
            return
        }
        guard deadlineKind != .none, now >= deadline else { return }
        switch deadlineKind {
        case .header, .body:
            // RFC 9110 §15.5.9: 408 tells the client the server gave up waiting.
            discardBody()
            pendingContinue = false
            enqueue(ResponseEncoder.errorResponse(status: 408, detail: "request not received in time",
                                                  date: loop.currentDate()))
            state = .responded(close: true)
            setDeadline(.none, after: 0)
            flush()
            updateInterest()
        case .idle, .linger:
            close()
        case .none:
            break
        }
    }

    // MARK: - Closing

    /// Closes the socket now; a streaming or upgraded handler sees its writes fail.
    func close() {
        switch state {
        case .closed: return
        case .streaming(let channel, _), .upgraded(let channel): channel.fail()
        default: break
        }
        if case .lingering = state { loop.context.lingeringCount.subtract(1, ordering: .relaxed) }
        discardBody()
        state = .closed
        output = []
        outputOffset = 0
        loop.remove(self)
        Glibc.close(fd)     // also removes it from the epoll set
    }

    /// Half-closes after the last response: shuts down our side and reads until the peer's EOF,
    /// so unread input does not turn the close into a reset that could destroy the response.
    func startClosing() {
        if inputClosed {
            close()
            return
        }
        shutdown(fd, Int32(SHUT_WR))
        state = .lingering
        loop.context.lingeringCount.add(1, ordering: .relaxed)
        setDeadline(.linger, after: loop.context.lingerTimeout)
        updateInterest()
    }
}
