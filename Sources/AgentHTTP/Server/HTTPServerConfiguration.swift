import Glibc

/// Where an ``HTTPServer`` listens, how many event loops it runs, and the limits and timeouts
/// that protect it from slow or greedy clients.
///
/// ```swift
/// var configuration = HTTPServerConfiguration(host: "127.0.0.1", port: 0)
/// configuration.timeouts.headerRead = .seconds(5)
/// let server = HTTPServer(configuration: configuration, handler: MyHandler())
/// let port = try server.start()
/// ```
public struct HTTPServerConfiguration: Sendable {
    /// The address to bind: a numeric IPv4/IPv6 address or a host name (`0.0.0.0`, `::1`, `localhost`).
    public var host: String
    /// The TCP port; 0 picks an ephemeral port, which ``HTTPServer/start()`` returns.
    public var port: Int
    /// Event loop threads, each running its own `epoll_wait` over its own connections.
    public var eventLoopCount: Int
    /// Request line, header, body and trailer limits for every connection.
    public var parserLimits: HTTPParserLimits
    /// Deadlines that close slow or idle connections.
    public var timeouts: Timeouts
    /// Open connections beyond this are closed as soon as they are accepted.
    public var maxConnections: Int
    /// Bytes a streamed or upgraded response may have waiting to be sent before
    /// `write` suspends; also how much unread upgraded input is buffered before reading pauses.
    public var sendBufferCap: Int
    /// The `listen(2)` backlog.
    public var backlog: Int

    /// Creates a configuration; every argument has a documented default.
    public init(host: String = "127.0.0.1", port: Int = 8080, eventLoopCount: Int = min(2, HTTPServerConfiguration.processorCount),
                parserLimits: HTTPParserLimits = HTTPParserLimits(), timeouts: Timeouts = Timeouts(),
                maxConnections: Int = 10_000, sendBufferCap: Int = 256 * 1024, backlog: Int = 1024) {
        self.host = host
        self.port = port
        self.eventLoopCount = eventLoopCount
        self.parserLimits = parserLimits
        self.timeouts = timeouts
        self.maxConnections = maxConnections
        self.sendBufferCap = sendBufferCap
        self.backlog = backlog
    }

    /// Connection deadlines. Each is checked by the event loop's periodic sweep, so a deadline
    /// fires up to one ``sweepInterval`` late.
    public struct Timeouts: Sendable, Hashable {
        /// From the first byte of a request (or from accepting the connection) to the end of its
        /// head; exceeded → `408` and close (slowloris headers).
        public var headerRead: Duration
        /// From the end of the head to the end of the body, in total; exceeded → `408` and close
        /// (slow bodies).
        public var bodyRead: Duration
        /// How long a keep-alive connection may wait for its next request; then it is closed.
        public var keepAliveIdle: Duration
        /// How long queued output may wait without the socket taking a single byte; then the
        /// connection is closed (slow readers).
        public var writeStall: Duration
        /// How often each event loop checks deadlines.
        public var sweepInterval: Duration

        /// Creates timeouts; every argument has a documented default.
        public init(headerRead: Duration = .seconds(10), bodyRead: Duration = .seconds(30),
                    keepAliveIdle: Duration = .seconds(60), writeStall: Duration = .seconds(30),
                    sweepInterval: Duration = .milliseconds(250)) {
            self.headerRead = headerRead
            self.bodyRead = bodyRead
            self.keepAliveIdle = keepAliveIdle
            self.writeStall = writeStall
            self.sweepInterval = sweepInterval
        }
    }

    /// The number of online processors (at least 1).
    public static var processorCount: Int { max(1, sysconf(Int32(_SC_NPROCESSORS_ONLN))) }
}
