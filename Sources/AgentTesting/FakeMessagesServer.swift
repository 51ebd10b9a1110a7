/// A local stand-in for the Anthropic Messages API, speaking its exact wire format.
///
/// It listens on 127.0.0.1 with an ephemeral port (see `baseURL`), validates requests as the real
/// API does (path, `x-api-key` or Bearer, `anthropic-version`, body shape, tool_use/tool_result
/// pairing) and answers each valid request with the next scripted `FakeReply`, or with the
/// responder's reply when the queue is empty (by default the text "ok"). `.message` replies become
/// JSON or an SSE stream according to the request's `"stream"` flag. Every request is recorded.
///
/// HTTP/1.1 with keep-alive, one thread per connection (blocking I/O, never the Swift cooperative
/// pool). Stopping (or dropping the last reference) closes every connection.
///
/// ```swift
/// let server = try FakeMessagesServer()
/// defer { server.stop() }
/// server.enqueue(.toolUse(name: "bash", input: ["command": "ls"]))
/// server.enqueue(.text("Done."))
/// // point the client at server.baseURL …
/// #expect(server.requests.count == 2)
/// ```
public final class FakeMessagesServer: Sendable {
    private let core: FakeServerCore
    private let http: MiniHTTPServer

    /// The TCP port it listens on.
    public let port: Int

    /// `http://127.0.0.1:PORT`, for `ANTHROPIC_BASE_URL`-style configuration.
    public var baseURL: String { "http://127.0.0.1:\(port)" }

    /// Starts listening.
    /// - Parameters:
    ///   - apiKey: when set, the only accepted `x-api-key` (or Bearer token); otherwise any non-empty key.
    ///   - chunkSize: when set, SSE bodies are written in pieces of this many bytes, each its own
    ///     write, splitting events at awkward points.
    ///   - eventInterval: seconds to pause between SSE writes (each event, or each `chunkSize` piece);
    ///     0 writes a whole stream at once.
    public init(apiKey: String? = nil, chunkSize: Int? = nil, eventInterval: Double = 0) throws {
        let core = FakeServerCore()
        core.withConfig {
            $0.expectedAPIKey = apiKey
            $0.chunkSize = chunkSize
            $0.eventInterval = eventInterval
        }
        let observer = MiniHTTPServer.Observer(
            accepted: { core.connectionAccepted() }, closed: { core.connectionClosed() })
        http = try MiniHTTPServer(observer: observer) { request, connection in
            core.handle(request, on: connection)
        }
        self.core = core
        port = Int(http.port)
    }

    deinit {
        http.stop()
    }

    /// Closes the listener and every connection (stalled streams included) and waits for the
    /// server's threads to exit. Safe to call more than once.
    public func stop() {
        http.stop()
    }

    // MARK: Scripting

    /// Appends a reply to the FIFO used by the next valid requests.
    public func enqueue(_ reply: FakeReply) {
        core.enqueue([reply])
    }

    /// Appends several replies, in order.
    public func enqueue(contentsOf replies: [FakeReply]) {
        core.enqueue(replies)
    }

    /// Sets the function that answers valid requests while the queue is empty.
    public func setResponder(_ responder: @escaping @Sendable (FakeRequest) -> FakeReply) {
        core.setResponder(responder)
    }

    /// The only accepted API key, or nil to accept any non-empty key.
    public var expectedAPIKey: String? {
        get { core.withConfig { $0.expectedAPIKey } }
        set { core.withConfig { $0.expectedAPIKey = newValue } }
    }

    /// When set, SSE bodies are written in pieces of this many bytes (each its own chunk and write).
    public var chunkSize: Int? {
        get { core.withConfig { $0.chunkSize } }
        set { core.withConfig { $0.chunkSize = newValue } }
    }

    /// Seconds to pause between SSE writes (each event, or each `chunkSize` piece); 0 writes a whole
    /// stream at once.
    public var eventInterval: Double {
        get { core.withConfig { $0.eventInterval } }
        set { core.withConfig { $0.eventInterval = newValue } }
    }

    /// Whether requests are kept in `requests` (turn off for long benchmarks).
    public var recordsRequests: Bool {
        get { core.withConfig { $0.recordsRequests } }
        set { core.withConfig { $0.recordsRequests = newValue } }
    }

    /// Whether requests are parsed and checked as the real API does (on by default). Off, the server
    /// answers at once without reading the body beyond its `"stream":true` flag: for benchmarks of
    /// the client, where parsing a long conversation would measure the fake instead.
    public var validatesRequests: Bool {
        get { core.withConfig { $0.validatesRequests } }
        set { core.withConfig { $0.validatesRequests = newValue } }
    }

    // MARK: Observation

    /// Every request received so far (valid or not), in arrival order.
    public var requests: [FakeRequest] { core.requests }

    /// Forgets the recorded requests (counters keep counting).
    public func clearRequests() {
        core.clearRequests()
    }

    /// Connection and request counters.
    public var stats: FakeServerStats { core.stats }

    /// The validation errors answered so far (`"400 invalid_request_error: …"`), in arrival order: a
    /// client that builds a request the real API would refuse shows up here.
    public var rejections: [String] { core.rejections }

    /// TCP connections accepted so far.
    public var acceptedConnections: Int { stats.acceptedConnections }

    /// Connections closed so far, by either side.
    public var closedConnections: Int { stats.closedConnections }

    /// Requests received so far.
    public var requestCount: Int { stats.requestCount }

    /// Waits until `condition` holds for the counters, without polling.
    /// - Returns: false when `timeout` passed first.
    public func waitUntil(
        timeout: Duration = .seconds(5), _ condition: @escaping @Sendable (FakeServerStats) -> Bool
    ) async -> Bool {
        let core = self.core
        let id = core.newWaiterID()
        let result = await withTaskGroup(of: Bool.self) { group in
            group.addTask { await core.wait(id: id, condition) }
            group.addTask {
                do {
                    try await Task.sleep(for: timeout)
                    core.expire(id)
                } catch {}
                return false
            }
            let first = await group.next() ?? false
            group.cancelAll()
            core.expire(id)  // releases the waiter if the timer was cancelled first
            return first
        }
        core.forget(id)
        return result
    }
}
