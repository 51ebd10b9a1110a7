import Synchronization

/// Counts the WebSocket connections open right now, across every route.
///
/// ``WebSocketTallyMiddleware`` wraps the handler that answers upgrades: each `101` response's
/// connection is counted from the moment it is handed over until its closure returns, whichever
/// route served it. `/health` reports the count (seed 004's `websocket_connections`).
///
/// ```swift
/// let tally = WebSocketTally()
/// let handler = WebSocketTallyMiddleware(wrapping: router, tally: tally)
/// tally.open   // connections open now
/// ```
public final class WebSocketTally: Sendable {
    private let count = Mutex(0)

    public init() {}

    /// Connections open now.
    public var open: Int { count.withLock { $0 } }

    func opened() { count.withLock { $0 += 1 } }
    func closed() { count.withLock { $0 -= 1 } }
}

/// Wraps every upgrade response of the handler it wraps so ``WebSocketTally`` counts the connection.
public struct WebSocketTallyMiddleware: HTTPHandler {
    private let next: any HTTPHandler
    private let tally: WebSocketTally

    public init(wrapping next: any HTTPHandler, tally: WebSocketTally) {
        self.next = next
        self.tally = tally
    }

    public func handle(_ request: HTTPRequest) async -> HTTPResponse { await reply(to: request).response() }

    public func reply(to request: HTTPRequest) -> HTTPReply {
        let tally = self.tally
        return next.reply(to: request).map { response in
            guard case .upgrade(let body) = response.body else { return response }
            var response = response
            response.body = .upgrade { connection in
                tally.opened()
                await body(connection)
                tally.closed()
            }
            return response
        }
    }

    public func bodyLimit(for head: HTTPRequestHead) -> Int? { next.bodyLimit(for: head) }
    public func bodyDestination(for head: HTTPRequestHead) -> HTTPBodyDestination { next.bodyDestination(for: head) }
}
