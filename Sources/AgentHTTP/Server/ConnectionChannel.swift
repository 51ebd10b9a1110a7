import Synchronization

/// The bridge between a handler task and a connection owned by an event loop, for streamed
/// bodies and upgraded connections.
///
/// Writes are queued to the loop with ``EventLoop/execute(_:)``; the channel counts bytes
/// queued but not yet taken by the socket, and a write suspends while that count exceeds the
/// cap, until the loop reports progress (`EPOLLOUT`) with ``didSend(_:)``. Inbound bytes of an
/// upgraded connection are buffered here for ``read()``; past the cap the loop stops reading.
final class ConnectionChannel: HTTPBodyWriter, UpgradedConnection, Sendable {
    private struct State {
        var pending = 0
        var failed = false
        var writeWaiter: CheckedContinuation<Void, any Error>?
        var inbound: [UInt8] = []
        var inputClosed = false
        var readWaiter: CheckedContinuation<[UInt8]?, Never>?
        var readingPaused = false
    }

    private let state = Mutex(State())
    private let cap: Int
    /// Whether each write is framed as a chunk (a streamed HTTP/1.1 body).
    let chunked: Bool
    private let loop: EventLoop
    private let connection: LoopBound<Connection>

    /// - Parameter chunked: frame each write as one chunk (streamed HTTP/1.1 bodies).
    init(connection: Connection, loop: EventLoop, cap: Int, chunked: Bool) {
        self.connection = LoopBound(value: connection)
        self.loop = loop
        self.cap = cap
        self.chunked = chunked
    }

    // MARK: HTTPBodyWriter, UpgradedConnection

    func write(_ bytes: [UInt8]) async throws {
        guard !bytes.isEmpty else { return }
        let framed = chunked ? ResponseEncoder.chunk(bytes) : bytes
        let count = framed.count
        try state.withLock { s throws(HTTPConnectionClosedError) in
            if s.failed { throw HTTPConnectionClosedError() }
            s.pending += count
        }
        let connection = self.connection
        loop.execute { connection.value.enqueueChannelOutput(framed) }
        if state.withLock({ !$0.failed && $0.pending <= cap }) { return }
        try await withCheckedThrowingContinuation { (c: CheckedContinuation<Void, any Error>) in
            let result = state.withLock { s -> Result<Void, any Error>? in
                if s.failed { return .failure(HTTPConnectionClosedError()) }
                if s.pending <= cap { return .success(()) }
                s.writeWaiter = c
                return nil
            }
            if let result { c.resume(with: result) }
        }
    }

    func read() async -> [UInt8]? {
        await withCheckedContinuation { (c: CheckedContinuation<[UInt8]?, Never>) in
            let (ready, bytes, resumeReading) = state.withLock { s -> (Bool, [UInt8]?, Bool) in
                if !s.inbound.isEmpty {
                    let bytes = s.inbound
                    s.inbound = []
                    defer { s.readingPaused = false }
                    return (true, bytes, s.readingPaused)
                }
                if s.inputClosed { return (true, nil, false) }
                s.readWaiter = c
                return (false, nil, false)
            }
            if resumeReading {
                let connection = self.connection
                loop.execute { connection.value.resumeReading() }
            }
            if ready { c.resume(returning: bytes) }
        }
    }

    func close() async {
        let connection = self.connection
        loop.execute { connection.value.closeUpgraded() }
    }

    // MARK: Loop side

    /// Whether writes fail (the connection is gone).
    var isFailed: Bool { state.withLock { $0.failed } }

    /// The socket took `count` of the channel's bytes; wakes a writer once there is room.
    func didSend(_ count: Int) {
        guard count > 0 else { return }
        let waiter = state.withLock { s -> CheckedContinuation<Void, any Error>? in
            s.pending = max(0, s.pending - count)
            guard s.pending <= cap else { return nil }
            defer { s.writeWaiter = nil }
            return s.writeWaiter
        }
        waiter?.resume()
    }

    /// Hands bytes read from the socket to ``read()``.
    ///
    /// - Returns: true when the loop should stop reading until the buffer is consumed.
    func deliver(_ bytes: [UInt8]) -> Bool {
        let (waiter, pause) = state.withLock { s -> (CheckedContinuation<[UInt8]?, Never>?, Bool) in
            if let waiter = s.readWaiter {
                s.readWaiter = nil
                return (waiter, false)
            }
            s.inbound += bytes
            s.readingPaused = s.inbound.count >= cap
            return (nil, s.readingPaused)
        }
        waiter?.resume(returning: bytes)
        return pause
    }

    /// The peer sent EOF: ``read()`` returns what is buffered, then nil.
    func closeInput() {
        let waiter = state.withLock { s -> CheckedContinuation<[UInt8]?, Never>? in
            s.inputClosed = true
            defer { s.readWaiter = nil }
            return s.readWaiter
        }
        waiter?.resume(returning: nil)
    }

    /// The connection is gone: pending and future writes throw, reads return nil.
    func fail() {
        let (writer, reader) = state.withLock { s in
            s.failed = true
            s.inputClosed = true
            defer {
                s.writeWaiter = nil
                s.readWaiter = nil
            }
            return (s.writeWaiter, s.readWaiter)
        }
        writer?.resume(throwing: HTTPConnectionClosedError())
        reader?.resume(returning: nil)
    }
}
