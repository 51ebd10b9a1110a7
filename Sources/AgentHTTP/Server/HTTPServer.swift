import Glibc
import Synchronization

/// agentd's HTTP/1.1 server: epoll event loops on their own threads, handlers on Swift tasks.
///
/// Each event loop thread owns its connections and parses their requests; a complete request
/// goes to ``HTTPHandler/handle(_:)`` on a new task, and the response comes back to the loop
/// through a queue and an `eventfd` wake-up, so no cooperative thread ever blocks on a socket.
/// Requests on one connection are handled one at a time, so pipelined responses keep their order.
///
/// ```swift
/// let server = HTTPServer(configuration: HTTPServerConfiguration(port: 0), handler: MyHandler())
/// let port = try server.start()
/// // …
/// await server.shutdown(gracePeriod: .seconds(10))
/// ```
///
/// Slow clients are bounded by ``HTTPServerConfiguration/Timeouts``; streamed and upgraded
/// responses by ``HTTPServerConfiguration/sendBufferCap``.
public final class HTTPServer: Sendable {
    private enum State {
        case created
        case running(loops: [EventLoop], context: ServerContext)
        case stopped
    }

    private let configuration: HTTPServerConfiguration
    private let handler: any HTTPHandler
    private let state = Mutex(State.created)

    /// Creates a server; nothing is bound until ``start()``.
    public init(configuration: HTTPServerConfiguration, handler: any HTTPHandler) {
        self.configuration = configuration
        self.handler = handler
    }

    /// Binds `host:port`, starts the event loops and returns the bound port.
    ///
    /// - Returns: the port, which is the ephemeral one chosen by the system when the configured port is 0.
    /// - Throws: ``HTTPServerError`` when the address cannot be bound (for instance
    ///   `127.0.0.1:8080 is already in use`) or the server was started before.
    @discardableResult
    public func start() throws(HTTPServerError) -> Int {
        // A peer that closes while we write must not kill the process (we also send with MSG_NOSIGNAL).
        signal(SIGPIPE, SIG_IGN)
        return try state.withLock { state throws(HTTPServerError) -> Int in
            guard case .created = state else { throw HTTPServerError("the server was already started") }
            let (listener, port) = try Socket.listen(host: configuration.host, port: configuration.port,
                                                     backlog: configuration.backlog)
            let context = ServerContext(configuration: configuration, handler: handler, listener: listener)
            var loops: [EventLoop] = []
            do throws(HTTPServerError) {
                for _ in 0..<max(1, configuration.eventLoopCount) {
                    loops.append(try EventLoop(context: context))
                }
            } catch {
                loops.forEach { $0.discard() }
                Glibc.close(listener)
                throw error
            }
            for loop in loops { loop.start() }
            state = .running(loops: loops, context: context)
            return port
        }
    }

    /// Stops the server gracefully.
    ///
    /// New connections are refused at once and connections between requests are closed. Requests
    /// in flight may finish (their responses carry `Connection: close`) for up to `gracePeriod`;
    /// then every remaining connection is closed, which makes streaming and upgraded handlers'
    /// writes throw. Returns once the event loop threads have exited.
    public func shutdown(gracePeriod: Duration) async {
        let running = state.withLock { state -> (loops: [EventLoop], context: ServerContext)? in
            defer { state = .stopped }
            guard case .running(let loops, let context) = state else { return nil }
            return (loops, context)
        }
        guard let (loops, context) = running else { return }
        for loop in loops {
            await loop.submit { loop in
                loop.stopAccepting()
                loop.closeIdleConnections()
            }
        }
        Glibc.close(context.listener)
        let clock = ContinuousClock()
        let deadline = clock.now + gracePeriod
        func busy() -> Bool {
            context.connectionCount.load(ordering: .relaxed) > context.lingeringCount.load(ordering: .relaxed)
        }
        while busy() && clock.now < deadline {
            try? await Task.sleep(for: .milliseconds(5))
        }
        for loop in loops {
            await loop.submit { $0.closeAllConnections() }
            loop.stop()
        }
        for loop in loops { await loop.waitUntilFinished() }
    }
}
