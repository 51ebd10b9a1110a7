/// A server-side WebSocket (RFC 6455) over a connection handed over after `101 Switching Protocols`.
///
/// ``run()`` reads frames until the connection ends: it delivers messages on ``messages``,
/// answers Pings with Pongs (§5.5.2), echoes the peer's Close and closes the connection
/// (§5.5.1, §7.1.1), fails the connection with 1002/1007/1009 when the peer breaks the protocol
/// (§7.1.7), and sends keep-alive Pings when configured. ``serve(_:configuration:_:)`` runs it
/// beside your code and closes with 1000 when your code returns:
///
/// ```swift
/// handshake.response(to: request.head) { upgraded, _ in
///     await WebSocketConnection.serve(upgraded) { socket in
///         for await message in socket.messages {
///             try? await socket.send(message)                         // echo
///         }
///     }
/// }
/// ```
///
/// Requires of the ``UpgradedConnection``: `close()` makes a pending `read()` return nil.
public actor WebSocketConnection {
    /// Messages from the peer, in order. Finishes when the connection closes.
    public nonisolated let messages: AsyncStream<WebSocketMessage>
    /// Why the connection closed, once it has: the peer's code when it closed first (1005 when
    /// its Close had none), ours when we closed (or failed it), 1006 when the connection was lost.
    public private(set) var closeCode: WebSocketCloseCode?
    /// The reason that came with ``closeCode``.
    public private(set) var closeReason = ""

    private let upgraded: any UpgradedConnection
    private let configuration: WebSocketConfiguration
    private let continuation: AsyncStream<WebSocketMessage>.Continuation
    private var parser: WebSocketFrameParser
    private var state = State.open
    private var isRunning = false
    private var closeWaiters: [CheckedContinuation<Void, Never>] = []
    private var closeTimer: Task<Void, Never>?
    /// A keep-alive Ping is out and no Pong has come since.
    private var awaitingPong = false

    private enum State {
        case open
        /// A Close was sent or received; no more data frames go out (§5.5.1).
        case closing
        case closed
    }

    public init(_ upgraded: any UpgradedConnection, configuration: WebSocketConfiguration = WebSocketConfiguration()) {
        self.upgraded = upgraded
        self.configuration = configuration
        self.parser = WebSocketFrameParser(limits: configuration.limits)
        (messages, continuation) = AsyncStream.makeStream(
            of: WebSocketMessage.self, bufferingPolicy: .bufferingOldest(max(configuration.maxQueuedMessages, 1)))
    }

    /// Creates a connection, runs it while `body` uses it, then closes it with 1000 (if still
    /// open) and returns once the connection has ended.
    public static func serve(_ upgraded: any UpgradedConnection,
                             configuration: WebSocketConfiguration = WebSocketConfiguration(),
                             _ body: (WebSocketConnection) async -> Void) async {
        let connection = WebSocketConnection(upgraded, configuration: configuration)
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await connection.run() }
            await body(connection)
            await connection.close()
        }
    }

    // MARK: - Reading

    /// Reads and handles frames until the connection has closed; with a ``WebSocketConfiguration/pingInterval``
    /// it also sends keep-alive Pings. Call it once; later calls return at once.
    public func run() async {
        guard !isRunning else { return }
        isRunning = true
        await withTaskGroup(of: Void.self) { group in
            if let interval = configuration.pingInterval {
                group.addTask { await self.keepAlive(every: interval) }
            }
            await readLoop()
            group.cancelAll()
        }
    }

    private func readLoop() async {
        while state != .closed {
            guard let bytes = await upgraded.read() else {
                await finish(.abnormalClosure, "connection lost")   // §7.1.5: no Close frame → 1006
                return
            }
            parser.append(bytes)
            do {
                while state != .closed, let event = try parser.next() { await handle(event) }
            } catch {
                await fail(error.closeCode, error.reason)
            }
        }
    }

    private func handle(_ event: WebSocketParserEvent) async {
        switch event {
        case .message(let message):
            // After a Close has been sent or received, further data is discarded (§1.4).
            guard state == .open else { return }
            if case .dropped = continuation.yield(message) {
                await fail(.policyViolation, "too many unread messages")
            }
        case .ping(let payload):
            // §5.5.2: answer a Ping with a Pong carrying its payload, unless a Close was already sent.
            guard state == .open else { return }
            try? await write(.pong(payload))
        case .pong:
            awaitingPong = false   // §5.5.3: any Pong shows the peer is alive.
        case .close(let code, let reason):
            if state == .open {
                // §5.5.1: answer a Close with a Close (echoing its code), then close the
                // connection; the server closes TCP first (§7.1.1).
                state = .closing
                record(code ?? .noStatusReceived, reason)
                try? await write(.close(code: code))
            }
            await finish(code ?? .noStatusReceived, reason)
        }
    }

    // MARK: - Sending

    /// Sends a message as one frame.
    /// - Throws: ``WebSocketClosedError`` once closing or closed; the connection's error if the write fails.
    public func send(_ message: WebSocketMessage) async throws {
        switch message {
        case .text(let text): try await send(text: text)
        case .binary(let bytes): try await send(binary: bytes)
        }
    }

    /// Sends a text message as one frame.
    public func send(text: String) async throws {
        try await sendData(.text(text))
    }

    /// Sends a binary message as one frame.
    public func send(binary: [UInt8]) async throws {
        try await sendData(.binary(binary))
    }

    /// Sends a Ping (at most 125 bytes of payload are kept, §5.5).
    public func ping(_ payload: [UInt8] = []) async throws {
        try await sendData(.ping(payload))
    }

    private func sendData(_ frame: WebSocketFrame) async throws {
        guard state == .open else { throw WebSocketClosedError(closeCode: closeCode) }
        try await write(frame)
    }

    private func write(_ frame: WebSocketFrame) async throws {
        do {
            try await upgraded.write(frame.encoded())   // §5.1: server frames are not masked.
        } catch {
            await finish(.abnormalClosure, "write failed")
            throw error
        }
    }

    // MARK: - Closing

    /// Starts the closing handshake (§7.1.2): sends a Close with `code` and `reason`, waits up to
    /// ``WebSocketConfiguration/closeTimeout`` for the peer's Close, then closes the connection.
    /// Returns once closed. 1005, 1006 and 1015 are never sent (§7.4.1); a Close without a body goes instead.
    public func close(code: WebSocketCloseCode = .normalClosure, reason: String = "") async {
        switch state {
        case .closed:
            return
        case .closing:
            await waitUntilClosed()
        case .open:
            state = .closing
            record(code, reason)
            do {
                try await write(.close(code: code.isValidOnTheWire ? code : nil, reason: reason))
            } catch {
                return
            }
            let timeout = configuration.closeTimeout
            closeTimer = Task {
                try? await Task.sleep(for: timeout)
                await self.closeTimedOut()
            }
            await waitUntilClosed()
        }
    }

    /// §7.1.7 Fail the WebSocket Connection: send a Close with the error's code, then close.
    private func fail(_ code: WebSocketCloseCode, _ reason: String) async {
        if state == .open {
            state = .closing
            record(code, reason)
            try? await write(.close(code: code, reason: reason))
        }
        await finish(code, reason)
    }

    private func closeTimedOut() async {
        guard state == .closing else { return }
        await finish(.abnormalClosure, "close handshake timed out")
    }

    /// Closes the connection (once) and wakes everyone waiting for that.
    private func finish(_ code: WebSocketCloseCode, _ reason: String) async {
        guard state != .closed else { return }
        state = .closed
        record(code, reason)
        continuation.finish()
        closeTimer?.cancel()
        closeTimer = nil
        await upgraded.close()
        let waiters = closeWaiters
        closeWaiters = []
        for waiter in waiters { waiter.resume() }
    }

    /// Keeps the first code and reason: the one that started the closing.
    private func record(_ code: WebSocketCloseCode, _ reason: String) {
        guard closeCode == nil else { return }
        closeCode = code
        closeReason = reason
    }

    private func waitUntilClosed() async {
        guard state != .closed else { return }
        await withCheckedContinuation { closeWaiters.append($0) }
    }

    // MARK: - Keep-alive

    private func keepAlive(every interval: Duration) async {
        while true {
            do { try await Task.sleep(for: interval) } catch { return }
            guard await keepAliveTick() else { return }
        }
    }

    /// Sends the next keep-alive Ping; fails the connection with 1011 if the last went unanswered.
    private func keepAliveTick() async -> Bool {
        guard state == .open else { return false }
        if awaitingPong {
            await fail(.internalError, "keep-alive ping timeout")
            return false
        }
        awaitingPong = true
        try? await write(.ping())
        return true
    }
}
