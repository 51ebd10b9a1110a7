/// One subscriber's view of a session's events: an `AsyncSequence` of ``SubscriptionItem``.
///
/// Iterate it once. It ends after `.closed`, or returns nil when cancelled: by cancelling the
/// iterating task, calling ``cancel()``, or dropping both the subscription and its iterator.
/// Cancelling removes the subscriber from its hub.
public struct EventSubscription: AsyncSequence, Sendable {
    public typealias Element = SubscriptionItem
    public typealias Failure = Never

    private let hub: EventHub
    private let subscriber: EventSubscriber
    private let lifetime: CancelOnDeinit

    init(hub: EventHub, subscriber: EventSubscriber) {
        self.hub = hub
        self.subscriber = subscriber
        self.lifetime = CancelOnDeinit(hub: hub, subscriber: subscriber)
    }

    /// Ends the subscription: the iterator returns nil and the hub forgets the subscriber.
    public func cancel() {
        hub.cancel(subscriber)
    }

    public func makeAsyncIterator() -> Iterator {
        Iterator(hub: hub, subscriber: subscriber, subscription: lifetime)
    }

    /// Delivers the subscription's items; reads history while catching up.
    public struct Iterator: AsyncIteratorProtocol {
        public typealias Element = SubscriptionItem
        public typealias Failure = Never

        private let hub: EventHub
        private let subscriber: EventSubscriber
        /// Keeps the subscription alive while iterating even if the sequence value is gone.
        private let subscription: CancelOnDeinit
        /// Cancels when the iterator is dropped.
        private let lifetime: CancelOnDeinit

        init(hub: EventHub, subscriber: EventSubscriber, subscription: CancelOnDeinit) {
            self.hub = hub
            self.subscriber = subscriber
            self.subscription = subscription
            self.lifetime = CancelOnDeinit(hub: hub, subscriber: subscriber)
        }

        public mutating func next() async -> SubscriptionItem? {
            await next(isolation: nil)
        }

        public mutating func next(isolation actor: isolated (any Actor)?) async -> SubscriptionItem? {
            while true {
                if Task.isCancelled {
                    hub.cancel(subscriber)
                    return nil
                }
                switch subscriber.nextStep() {
                case .deliver(let item):
                    if case .closed = item { hub.remove(subscriber) }
                    return item
                case .finish:
                    hub.remove(subscriber)
                    return nil
                case .readHistory(let after):
                    do {
                        let page = try await subscriber.history(after, subscriber.pageSize)
                        subscriber.receive(page: page)
                    } catch {
                        if Task.isCancelled { continue }
                        subscriber.historyFailed(after: after, error: error)
                    }
                case .wait:
                    let (hub, subscriber) = (hub, subscriber)
                    await withTaskCancellationHandler {
                        await subscriber.waitForWork()
                    } onCancel: {
                        hub.cancel(subscriber)
                    }
                }
            }
        }
    }
}

/// Cancels a subscription when the last value holding it is gone.
final class CancelOnDeinit: Sendable {
    private let hub: EventHub
    private let subscriber: EventSubscriber

    init(hub: EventHub, subscriber: EventSubscriber) {
        self.hub = hub
        self.subscriber = subscriber
    }

    deinit {
        hub.cancel(subscriber)
    }
}
