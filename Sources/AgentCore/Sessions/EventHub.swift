import Synchronization

/// Fans one session's events out to any number of subscribers.
///
/// The session service publishes each batch of events after the store commits it (and live token
/// deltas as they stream). A subscriber resumes after the last `seq` it saw: it is registered first,
/// so nothing published meanwhile is missed, then reads stored history page by page until it meets
/// the live events, and from then on receives publishes directly. It sees every stored event after
/// its `after` exactly once and in `seq` order, then `.closed` if the hub ends it.
///
/// ```swift
/// let hub = EventHub(sessionID: id, lastSeq: record.lastSeq)
/// let events = hub.subscribe(after: lastEventID) { after, limit in
///     try await store.events(sessionID: id, after: after, limit: limit)
/// }
/// for await item in events {
///     switch item {
///     case .event(let event): try await send(event.json)
///     case .closed(let reason, let kind): try await close(kind, reason)
///     }
/// }
/// ```
///
/// `publish` never waits for a subscriber: each has a buffer of `bufferLimit` stored events, and one
/// that overflows it is ended with a `.fellBehind` reason naming the `after` to resume with. Live
/// deltas are best-effort: a subscriber gets them only while caught up (never replayed from history),
/// and one with `bufferLimit` items already waiting skips them rather than being dropped for them.
public final class EventHub: Sendable {
    /// The session whose events this hub carries.
    public let sessionID: String
    /// The most stored events a subscriber may have waiting before it is dropped.
    public let bufferLimit: Int
    /// How many stored events a catching-up subscriber reads from history at a time.
    public let historyPageSize: Int
    private let state: Mutex<State>

    private struct State {
        var lastSeq: Int
        var subscribers: [Int: EventSubscriber] = [:]
        var nextID = 0
        var closed: SubscriberState.Ending?
    }

    /// A hub for a session whose newest stored event is `lastSeq` (0 when it has none).
    ///
    /// - Parameters:
    ///   - bufferLimit: the most stored events a subscriber may have waiting (at least 1).
    ///   - historyPageSize: how many stored events to read from history at a time (at least 1).
    public init(sessionID: String, lastSeq: Int, bufferLimit: Int = 1024, historyPageSize: Int = 500) {
        self.sessionID = sessionID
        self.bufferLimit = max(bufferLimit, 1)
        self.historyPageSize = max(historyPageSize, 1)
        self.state = Mutex(State(lastSeq: lastSeq))
    }

    /// The newest stored `seq` published (or given to `init`).
    public var lastSeq: Int { state.withLock { $0.lastSeq } }

    /// How many subscriptions are active.
    public var subscriberCount: Int { state.withLock { $0.subscribers.count } }

    // MARK: - Publishing

    /// Hands events to every subscriber without waiting for any of them.
    ///
    /// Call it after the store has committed the events: stored events in ascending, contiguous `seq`
    /// order, or live deltas (`isLive`) carrying the `seq` of the stored event before them. Publishing
    /// after ``close(reason:kind:)`` does nothing.
    public func publish(_ events: [SessionEvent]) {
        guard !events.isEmpty else { return }
        var waiters: [CheckedContinuation<Void, Never>] = []
        state.withLock { s in
            guard s.closed == nil else { return }
            for event in events where !event.isLive { s.lastSeq = max(s.lastSeq, event.seq) }
            var ended: [Int] = []
            for (id, subscriber) in s.subscribers {
                let (waiter, isEnded) = subscriber.accept(events)
                if let waiter { waiters.append(waiter) }
                if isEnded { ended.append(id) }
            }
            for id in ended { s.subscribers[id] = nil }
        }
        // Resumed outside the lock: a resumed consumer takes its own lock at once.
        for waiter in waiters { waiter.resume() }
    }

    // MARK: - Subscribing

    /// Subscribes to the session's events after `after`.
    ///
    /// - Parameters:
    ///   - after: the last `seq` the client saw (0 for everything). Stored events with a greater `seq`
    ///     are delivered once each, in order; one ahead of the hub only skips what it names.
    ///   - history: reads up to `limit` stored events with `seq > after`, oldest first (the store's
    ///     `events(sessionID:after:limit:)`). A thrown error ends the subscription with `.historyFailed`.
    /// - Returns: the subscription; iterate it once. Dropping it, and its iterator, cancels it.
    public func subscribe(
        after: Int, history: @escaping @Sendable (_ after: Int, _ limit: Int) async throws -> [SessionEvent]
    ) -> EventSubscription {
        let subscriber = state.withLock { s in
            let id = s.nextID
            s.nextID += 1
            let subscriber = EventSubscriber(
                id: id, state: SubscriberState(after: after, lastPublished: s.lastSeq, limit: bufferLimit),
                pageSize: historyPageSize, history: history)
            if let closed = s.closed {
                subscriber.end(closed)
            } else {
                s.subscribers[id] = subscriber
            }
            return subscriber
        }
        return EventSubscription(hub: self, subscriber: subscriber)
    }

    /// Ends every subscription: each receives `.closed(reason:kind:)` as its next item, and later
    /// subscriptions receive it at once. Events a subscriber had not yet received are dropped.
    public func close(reason: String, kind: SubscriptionCloseKind = .hubClosed) {
        let ending = SubscriberState.Ending.closed(reason: reason, kind: kind)
        let subscribers = state.withLock { s -> [EventSubscriber] in
            guard s.closed == nil else { return [] }
            s.closed = ending
            defer { s.subscribers = [:] }
            return Array(s.subscribers.values)
        }
        for subscriber in subscribers { subscriber.end(ending) }
    }

    // MARK: - Internal

    /// Stops delivering to a subscriber and forgets it.
    func cancel(_ subscriber: EventSubscriber) {
        remove(subscriber)
        subscriber.end(.cancelled)
    }

    /// Forgets a subscriber that has ended.
    func remove(_ subscriber: EventSubscriber) {
        _ = state.withLock { $0.subscribers.removeValue(forKey: subscriber.id) }
    }
}
