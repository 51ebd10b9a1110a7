import CEpoll
import Glibc

// Queued output, flushing with backpressure, and the epoll interest that follows the state.

extension Connection {
    var hasPendingOutput: Bool { outputOffset < output.count }

    /// Queues bytes behind whatever is already queued (without sending yet).
    func enqueue(_ bytes: [UInt8]) {
        guard !isClosed, !bytes.isEmpty else { return }
        if !hasPendingOutput { lastWriteProgress = Socket.now() }
        output += bytes
    }

    /// Sends queued output until the socket would block; then waits for `EPOLLOUT`.
    func flush() {
        var sent = 0
        while hasPendingOutput {
            let count = output.withUnsafeBytes { raw in
                send(fd, raw.baseAddress! + outputOffset, raw.count - outputOffset, Int32(MSG_NOSIGNAL))
            }
            if count > 0 {
                outputOffset += count
                sent += count
                continue
            }
            if count < 0 && errno == EINTR { continue }
            if count < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) { break }
            close()     // EPIPE, ECONNRESET, …: the peer is gone
            return
        }
        if sent > 0 {
            lastWriteProgress = Socket.now()
            reportSent(sent)
        }
        if !hasPendingOutput {
            output.removeAll(keepingCapacity: output.capacity <= 64 * 1024)
            outputOffset = 0
            outputDrained()
        } else if outputOffset >= 64 * 1024 && outputOffset * 2 >= output.count {
            output.removeSubrange(0..<outputOffset)
            outputOffset = 0
        }
        updateInterest()
    }

    /// Credits a streaming or upgraded channel with the bytes of its own that the socket took.
    private func reportSent(_ count: Int) {
        let fromBaseline = min(outputBaseline, count)
        outputBaseline -= fromBaseline
        switch state {
        case .streaming(let channel, _), .upgraded(let channel): channel.didSend(count - fromBaseline)
        default: break
        }
    }

    /// Everything queued has been sent: move on to the next request or close.
    private func outputDrained() {
        guard case .responded(let close) = state else { return }
        if close || loop.draining {
            startClosing()
            return
        }
        state = .readingHead
        if parser.isIdle {
            setDeadline(.idle, after: loop.context.idleTimeout)
        } else {
            setDeadline(.header, after: loop.context.headerTimeout)
        }
        processInput()      // a pipelined request may already be buffered
    }

    /// Registers the events the current state needs, if they changed.
    func updateInterest() {
        guard !isClosed else { return }
        var wanted: UInt32 = 0
        switch state {
        case .readingHead, .readingBody, .lingering:
            wanted |= EPOLLIN.rawValue
        case .upgraded:
            if !readingPaused && !inputClosed { wanted |= EPOLLIN.rawValue }
        case .handling, .streaming, .responded, .closed:
            break
        }
        // Level-triggered RDHUP would fire on every wait once seen, so drop it after the first.
        if !inputClosed { wanted |= EPOLLRDHUP.rawValue }
        if hasPendingOutput { wanted |= EPOLLOUT.rawValue }
        guard wanted != interest else { return }
        interest = wanted
        loop.modify(fd, id: id, events: wanted)
    }

    // MARK: - Entry points for handler tasks (via EventLoop.execute)

    /// Queues bytes a streaming or upgraded handler wrote and tries to send them.
    func enqueueChannelOutput(_ bytes: [UInt8]) {
        switch state {
        case .streaming, .upgraded: break
        default: return
        }
        enqueue(bytes)
        flush()
    }

    /// An upgraded handler consumed its buffered input: read again.
    func resumeReading() {
        readingPaused = false
        updateInterest()
    }

    /// An upgraded handler closed the connection (or returned): close once its output is sent.
    func closeUpgraded() {
        guard case .upgraded(let channel) = state else { return }
        channel.fail()
        state = .responded(close: true)
        if hasPendingOutput {
            updateInterest()
        } else {
            startClosing()
        }
    }
}
