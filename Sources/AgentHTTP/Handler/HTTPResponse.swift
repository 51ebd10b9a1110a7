/// A response: status, headers and a body that is complete, streamed, or a protocol switch.
///
/// The server adds `Content-Length` (complete bodies), `Transfer-Encoding: chunked` (streamed
/// bodies), `Date` and `Connection`; handlers set everything else.
public struct HTTPResponse: Sendable {
    public var status: Int
    public var headers: HTTPHeaders
    public var body: HTTPResponseBody
    /// The pattern of the route that answered (`/api/v1/sessions/{id}`), set by `Router`; metrics
    /// label requests with it. Not sent.
    public var routePattern: String?

    public init(status: Int, headers: HTTPHeaders = [:], body: HTTPResponseBody = .bytes([])) {
        self.status = status
        self.headers = headers
        self.body = body
    }
}

/// How a response body is produced.
public enum HTTPResponseBody: Sendable {
    /// The whole body, known now.
    case bytes([UInt8])
    /// A body written as it is produced (chunked transfer coding), e.g. Server-Sent Events. The
    /// closure writes until it is done; it ends early when `write` throws (the client went away or
    /// fell too far behind). The response ends when the closure returns.
    case stream(@Sendable (any HTTPBodyWriter) async -> Void)
    /// After a `101 Switching Protocols` response, the connection belongs to the closure (WebSocket).
    case upgrade(@Sendable (any UpgradedConnection) async -> Void)
}

/// Where a streamed body goes.
public protocol HTTPBodyWriter: Sendable {
    /// Sends `bytes` as one chunk. Suspends while too much is waiting to be sent; throws when the
    /// client has gone away or the server is shutting down.
    func write(_ bytes: [UInt8]) async throws
}

/// A connection handed over after `101 Switching Protocols`: raw bytes both ways.
public protocol UpgradedConnection: Sendable {
    /// The next bytes from the peer, or `nil` once it has closed the connection.
    func read() async -> [UInt8]?
    /// Sends `bytes`. Suspends while too much is waiting to be sent; throws when the peer is gone.
    func write(_ bytes: [UInt8]) async throws
    /// Closes the connection (after what was written has been sent).
    func close() async
}

/// Answers requests. The server asks `reply(to:)` once per complete request, on its event-loop
/// thread: a handler that can answer without waiting (a health probe, a cached value) answers
/// there and then, with no task and no thread hop; any other answer is finished on a Swift
/// concurrency task. A handler that only implements `handle` always answers on a task.
public protocol HTTPHandler: Sendable {
    /// The response to `request`.
    func handle(_ request: HTTPRequest) async -> HTTPResponse
    /// The response now, or the work that produces it. Runs on the event loop: it must not block.
    func reply(to request: HTTPRequest) -> HTTPReply
    /// The largest body this request may carry; `nil` keeps the server's default. Asked once the
    /// head has arrived, before any of the body is read (a larger body is answered with 413).
    func bodyLimit(for head: HTTPRequestHead) -> Int?
    /// Where this request's body goes while it arrives: memory (the default) or a spool file.
    /// Asked once the head has arrived, before any of the body is read. Middleware that wraps
    /// another handler forwards it, as it forwards ``bodyLimit(for:)``.
    func bodyDestination(for head: HTTPRequestHead) -> HTTPBodyDestination
}

extension HTTPHandler {
    public func reply(to request: HTTPRequest) -> HTTPReply { .pending { await handle(request) } }
    public func bodyLimit(for head: HTTPRequestHead) -> Int? { nil }
    public func bodyDestination(for head: HTTPRequestHead) -> HTTPBodyDestination { .memory }
}

/// A handler's answer: ready now, or to be produced by suspending work.
///
/// Middleware changes either kind the same way with `map`, so its logic runs once per request
/// whichever way the answer comes:
///
/// ```swift
/// func reply(to request: HTTPRequest) -> HTTPReply {
///     next.reply(to: request).map { response in var r = response; r.headers.append(name: "X-A", value: "1"); return r }
/// }
/// ```
public enum HTTPReply: Sendable {
    case ready(HTTPResponse)
    case pending(@Sendable () async -> HTTPResponse)

    /// The same answer with `transform` applied to the response once it exists.
    public func map(_ transform: @escaping @Sendable (HTTPResponse) -> HTTPResponse) -> HTTPReply {
        switch self {
        case .ready(let response): .ready(transform(response))
        case .pending(let work): .pending { transform(await work()) }
        }
    }

    /// The response, waiting for it when it is pending.
    public func response() async -> HTTPResponse {
        switch self {
        case .ready(let response): response
        case .pending(let work): await work()
        }
    }
}
