import AgentCore
import Synchronization

/// Counters a test can wait on (see `FakeMessagesServer.waitUntil`).
public struct FakeServerStats: Sendable, Hashable {
    /// TCP connections accepted so far.
    public var acceptedConnections: Int
    /// Connections closed so far, by either side.
    public var closedConnections: Int
    /// Requests received so far (valid or not).
    public var requestCount: Int
    /// Scripted replies not yet used.
    public var pendingReplies: Int
    /// Requests answered with a validation error (bad route, credentials, body or tool_use/tool_result
    /// pairing: what the real API would refuse) instead of a reply.
    public var rejectedRequests: Int

    /// Connections currently open.
    public var openConnections: Int { acceptedConnections - closedConnections }
}

/// The fake server's state and request handling, shared by the connection threads.
///
/// Kept apart from `FakeMessagesServer` so that connection threads never hold the public object:
/// dropping it stops the server.
final class FakeServerCore: Sendable {
    typealias Responder = @Sendable (FakeRequest) -> FakeReply

    struct Config: Sendable {
        var expectedAPIKey: String?
        var chunkSize: Int?
        var eventInterval: Double = 0
        var recordsRequests = true
        var validatesRequests = true
    }

    private struct Waiter {
        let condition: @Sendable (FakeServerStats) -> Bool
        let continuation: CheckedContinuation<Bool, Never>
    }

    private struct State {
        var config = Config()
        var queue: [FakeReply] = []
        var queueStart = 0
        var responder: Responder = { _ in .ok }
        var requests: [FakeRequest] = []
        var accepted = 0
        var closed = 0
        var requestCount = 0
        var rejections: [String] = []
        var waiters: [Int: Waiter] = [:]
        var expiredWaiters: Set<Int> = []
        var nextWaiterID = 0

        var stats: FakeServerStats {
            FakeServerStats(
                acceptedConnections: accepted, closedConnections: closed, requestCount: requestCount,
                pendingReplies: queue.count - queueStart,
                rejectedRequests: rejections.count)
        }
    }

    private let state = Mutex(State())

    // MARK: Configuration and scripting

    func withConfig<T>(_ body: (inout Config) -> T) -> T {
        state.withLock { body(&$0.config) }
    }

    func enqueue(_ replies: [FakeReply]) {
        state.withLock { $0.queue += replies }
        notify()
    }

    func setResponder(_ responder: @escaping Responder) {
        state.withLock { $0.responder = responder }
    }

    var requests: [FakeRequest] { state.withLock { $0.requests } }

    var stats: FakeServerStats { state.withLock { $0.stats } }

    var rejections: [String] { state.withLock { $0.rejections } }

    func clearRequests() {
        state.withLock { $0.requests = [] }
    }

    // MARK: Connection events

    func connectionAccepted() {
        state.withLock { $0.accepted += 1 }
        notify()
    }

    func connectionClosed() {
        state.withLock { $0.closed += 1 }
        notify()
    }

    // MARK: Requests

    /// Records, validates and answers one request; returns whether the connection stays open.
    func handle(_ raw: ServerRequest, on connection: HTTPServerConnection) -> Bool {
        let config = withConfig { $0 }
        var json: JSONValue?
        var parseError: String?
        if !raw.body.isEmpty, config.validatesRequests {
            do { json = try JSONValue(parsing: raw.body) } catch { parseError = "\(error)" }
        }
        let request = FakeRequest(method: raw.method, path: raw.target, headers: raw.headers, body: raw.body, json: json)
        state.withLock { s in
            s.requestCount += 1
            if s.config.recordsRequests { s.requests.append(request) }
        }
        notify()

        let validator = RequestValidator(expectedAPIKey: config.expectedAPIKey)
        if config.validatesRequests, let failure = validator.validate(
            method: raw.method, path: raw.target, header: raw.header, body: raw.body, json: json, parseError: parseError)
        {
            state.withLock { $0.rejections.append("\(failure.status) \(failure.type): \(failure.message)") }
            notify()
            let requestID = FakeWire.requestID()
            let body = FakeWire.errorBody(type: failure.type, message: failure.message, requestID: requestID)
            let headers = [HTTPField("content-type", "application/json"), HTTPField("request-id", requestID)]
            return connection.write(FakeWire.response(status: failure.status, headers: headers, body: body))
        }

        let (scripted, responder) = state.withLock { s -> (FakeReply?, Responder) in
            guard s.queueStart < s.queue.count else { return (nil, s.responder) }
            let reply = s.queue[s.queueStart]
            s.queueStart += 1
            if s.queueStart == s.queue.count {
                s.queue = []
                s.queueStart = 0
            }
            return (reply, s.responder)
        }
        if scripted != nil { notify() }
        let reply = scripted ?? responder(request)
        let writer = ReplyWriter(
            connection: connection,
            streaming: config.validatesRequests ? request.isStreaming : Self.asksForStream(raw.body),
            model: request.model ?? "claude-sonnet-4-5-20250929",
            chunkSize: config.chunkSize, eventInterval: config.eventInterval)
        return writer.write(reply)
    }

    /// Whether an unparsed body says `"stream":true` (compact JSON, as our client writes it). The
    /// search runs from the end: with sorted keys `stream` comes after the long `messages`.
    static func asksForStream(_ body: [UInt8]) -> Bool {
        let needle = Array(#""stream":true"#.utf8)
        guard body.count >= needle.count else { return false }
        for start in stride(from: body.count - needle.count, through: 0, by: -1) where body[start] == needle[0] {
            if body[start..<(start + needle.count)].elementsEqual(needle) { return true }
        }
        return false
    }

    // MARK: Waiting

    func newWaiterID() -> Int {
        state.withLock { s in
            defer { s.nextWaiterID += 1 }
            return s.nextWaiterID
        }
    }

    /// Suspends until `condition` holds (true) or `expire(id)` is called (false).
    func wait(id: Int, _ condition: @escaping @Sendable (FakeServerStats) -> Bool) async -> Bool {
        await withCheckedContinuation { continuation in
            let immediate = state.withLock { s -> Bool? in
                if s.expiredWaiters.remove(id) != nil { return false }
                if condition(s.stats) { return true }
                s.waiters[id] = Waiter(condition: condition, continuation: continuation)
                return nil
            }
            if let immediate { continuation.resume(returning: immediate) }
        }
    }

    func expire(_ id: Int) {
        let waiter = state.withLock { s -> Waiter? in
            if let waiter = s.waiters.removeValue(forKey: id) { return waiter }
            s.expiredWaiters.insert(id)
            return nil
        }
        waiter?.continuation.resume(returning: false)
    }

    func forget(_ id: Int) {
        state.withLock { _ = $0.expiredWaiters.remove(id) }
    }

    private func notify() {
        let ready = state.withLock { s -> [Waiter] in
            guard !s.waiters.isEmpty else { return [] }
            let stats = s.stats
            let ids = s.waiters.filter { $0.value.condition(stats) }.map(\.key)
            return ids.compactMap { s.waiters.removeValue(forKey: $0) }
        }
        for waiter in ready { waiter.continuation.resume(returning: true) }
    }
}
