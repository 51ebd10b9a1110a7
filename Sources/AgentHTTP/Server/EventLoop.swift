import CEpoll
import Glibc
import Synchronization

/// One event loop: a thread blocked in `epoll_wait` that owns a set of connections.
///
/// Sockets are non-blocking and registered **level-triggered**: each readiness event gets one
/// `recv` (or a `send` loop until `EAGAIN`), and anything left is reported again by the next
/// `epoll_wait`, so no event can be lost by stopping early. Interest masks follow each
/// connection's state (no `EPOLLIN` while a request is being handled; `EPOLLOUT` only while
/// output is queued).
///
/// Every loop registers the one shared listening socket with `EPOLLEXCLUSIVE`, so a new
/// connection wakes one idle loop. Other threads talk to a loop only through ``execute(_:)``: a
/// mutex-guarded queue plus an `eventfd` wake-up. Deadlines are checked by a sweep over all
/// connections every ``ServerContext/sweepInterval`` (250 ms by default), which is also the
/// `epoll_wait` timeout.
///
/// Everything except the queue is confined to the loop thread, hence `@unchecked Sendable`.
final class EventLoop: @unchecked Sendable {
    let context: ServerContext
    private let epollFD: Int32
    private let wakeFD: Int32
    private let queue = Mutex(Queue())
    private let finished = Mutex(Finished())

    private struct Queue {
        var work: [@Sendable () -> Void] = []
        var wakePending = false
        var stopped = false
    }

    private struct Finished {
        var done = false
        var waiters: [CheckedContinuation<Void, Never>] = []
    }

    private static let listenerID: UInt64 = 0
    private static let wakeID: UInt64 = 1
    private static let maxEvents: Int32 = 256

    // MARK: Loop-thread state

    private var connections: [UInt64: Connection] = [:]
    private var nextID: UInt64 = 2
    /// One receive buffer shared by every connection of this loop.
    let readBuffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 * 1024, alignment: 16)
    private var dateCache = HTTPDateCache()
    private var accepting = false
    private var acceptResumesAt: UInt64?
    private var stopRequested = false
    /// Set once shutdown begins: responses close their connections, idle ones are closed.
    private(set) var draining = false

    /// Creates the epoll instance and the wake-up `eventfd`, and registers the listener.
    init(context: ServerContext) throws(HTTPServerError) {
        self.context = context
        epollFD = epoll_create1(Int32(EPOLL_CLOEXEC))
        guard epollFD >= 0 else { throw HTTPServerError("epoll_create1 failed: \(Socket.errorText(errno))", errno: errno) }
        wakeFD = eventfd(0, Int32(EFD_NONBLOCK) | Int32(EFD_CLOEXEC))
        guard wakeFD >= 0 else {
            let code = errno
            Glibc.close(epollFD)
            throw HTTPServerError("eventfd failed: \(Socket.errorText(code))", errno: code)
        }
        _ = register(wakeFD, id: Self.wakeID, events: EPOLLIN.rawValue)
        startAccepting()
    }

    deinit {
        readBuffer.deallocate()
    }

    // MARK: Cross-thread entry points

    /// Runs `work` on the loop thread, soon. Work submitted after the loop stopped is dropped.
    func execute(_ work: @escaping @Sendable () -> Void) {
        // The wake-up is written under the lock that `finish()` closes the eventfd under: written after
        // the lock, it could land on a descriptor number the process has since reused (another server's
        // connection, for instance) once the loop has stopped.
        queue.withLock { q in
            guard !q.stopped else { return }
            q.work.append(work)
            guard !q.wakePending else { return }
            q.wakePending = true
            var one: UInt64 = 1
            _ = Glibc.write(wakeFD, &one, 8)
        }
    }

    /// Runs `work` on the loop thread and waits for it.
    func submit(_ work: @escaping @Sendable (EventLoop) -> Void) async {
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            execute { [self] in
                work(self)
                done.resume()
            }
        }
    }

    /// Starts the loop thread.
    func start() {
        LoopThread.spawn { [self] in run() }
    }

    /// Releases the descriptors of a loop that was never started.
    func discard() {
        queue.withLock { q in
            q.stopped = true
            Glibc.close(wakeFD)
        }
        Glibc.close(epollFD)
    }

    /// Asks the loop to exit after its current iteration; ``waitUntilFinished()`` waits for that.
    func stop() {
        execute { [self] in stopRequested = true }
    }

    /// Suspends until the loop thread has exited and closed its descriptors.
    func waitUntilFinished() async {
        await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
            let now = finished.withLock { f -> Bool in
                if f.done { return true }
                f.waiters.append(c)
                return false
            }
            if now { c.resume() }
        }
    }

    // MARK: Shutdown steps (loop thread)

    /// Stops taking new connections on this loop.
    func stopAccepting() {
        if accepting { _ = epoll_ctl(epollFD, EPOLL_CTL_DEL, context.listener, nil) }
        accepting = false
        acceptResumesAt = nil
        draining = true
    }

    /// Closes every connection that is between requests; the others close after their response.
    func closeIdleConnections() {
        for connection in Array(connections.values) where connection.isIdle { connection.close() }
    }

    /// Closes every connection now; streaming and upgraded handlers see their writes fail.
    func closeAllConnections() {
        for connection in Array(connections.values) { connection.close() }
    }

    // MARK: Services for connections (loop thread)

    /// The `Date` header value for now.
    func currentDate() -> String { dateCache.current() }

    /// Changes the events `fd` is watched for.
    func modify(_ fd: Int32, id: UInt64, events: UInt32) {
        var event = epoll_event()
        event.events = events
        event.data.u64 = id
        _ = epoll_ctl(epollFD, EPOLL_CTL_MOD, fd, &event)
    }

    /// Forgets a connection that closed.
    func remove(_ connection: Connection) {
        connections[connection.id] = nil
        context.connectionCount.subtract(1, ordering: .relaxed)
    }

    // MARK: - The loop

    private func run() {
        let events = UnsafeMutablePointer<epoll_event>.allocate(capacity: Int(Self.maxEvents))
        defer { events.deallocate() }
        var nextSweep = Socket.now() + context.sweepInterval
        while !stopRequested {
            let now = Socket.now()
            let timeout = nextSweep > now ? Int32(min((nextSweep - now) / 1_000_000 + 1, 60_000)) : 0
            let count = epoll_wait(epollFD, events, Self.maxEvents, timeout)
            if count < 0 && errno != EINTR { break }
            for index in 0..<Int(max(count, 0)) {
                let event = events[index]
                switch event.data.u64 {
                // Not after stopAccepting() earlier in this batch: shutdown may have closed the listener
                // since, and its descriptor number may belong to another socket by now.
                case Self.listenerID: if accepting { acceptConnections() }
                case Self.wakeID: runQueuedWork()
                case let id: connections[id]?.handle(events: event.events)
                }
            }
            let after = Socket.now()
            if after >= nextSweep {
                sweep(now: after)
                nextSweep = after + context.sweepInterval
            }
        }
        finish()
    }

    private func runQueuedWork() {
        var counter: UInt64 = 0
        _ = Glibc.read(wakeFD, &counter, 8)
        let work = queue.withLock { q -> [@Sendable () -> Void] in
            q.wakePending = false
            defer { q.work = [] }
            return q.work
        }
        for item in work { item() }
    }

    private func sweep(now: UInt64) {
        if let resume = acceptResumesAt, now >= resume { startAccepting() }
        for connection in Array(connections.values) { connection.checkDeadlines(now: now) }
    }

    private func finish() {
        closeAllConnections()
        queue.withLock { q in
            q.stopped = true
            q.work = []
            Glibc.close(wakeFD)
        }
        Glibc.close(epollFD)
        let waiters = finished.withLock { f -> [CheckedContinuation<Void, Never>] in
            f.done = true
            defer { f.waiters = [] }
            return f.waiters
        }
        for waiter in waiters { waiter.resume() }
    }

    // MARK: Accepting

    private func startAccepting() {
        acceptResumesAt = nil
        guard !accepting, !draining else { return }
        accepting = register(context.listener, id: Self.listenerID, events: EPOLLIN.rawValue | EPOLLEXCLUSIVE.rawValue)
    }

    private func acceptConnections() {
        let limit = context.configuration.maxConnections
        for _ in 0..<64 {
            guard let (fd, peer) = Socket.accept(context.listener) else {
                switch errno {
                case EINTR, ECONNABORTED, EPROTO: continue
                case EMFILE, ENFILE, ENOBUFS, ENOMEM:
                    // Out of descriptors: level-triggered readiness would spin, so pause accepting briefly.
                    _ = epoll_ctl(epollFD, EPOLL_CTL_DEL, context.listener, nil)
                    accepting = false
                    acceptResumesAt = Socket.now() + 100_000_000
                    return
                default: return
                }
            }
            if context.connectionCount.add(1, ordering: .relaxed).newValue > limit {
                context.connectionCount.subtract(1, ordering: .relaxed)
                Glibc.close(fd)
                continue
            }
            let id = nextID
            nextID += 1
            let connection = Connection(id: id, fd: fd, remoteAddress: peer, loop: self)
            connections[id] = connection
            guard register(fd, id: id, events: connection.interest) else {
                connection.close()
                continue
            }
        }
    }

    private func register(_ fd: Int32, id: UInt64, events: UInt32) -> Bool {
        var event = epoll_event()
        event.events = events
        event.data.u64 = id
        return epoll_ctl(epollFD, EPOLL_CTL_ADD, fd, &event) == 0
    }
}
