import Synchronization

/// One subscriber of an ``EventHub``: its ``SubscriberState`` behind a mutex, and how to read history.
///
/// The hub holds it while it is subscribed; its ``EventSubscription`` and iterator hold it until
/// they are gone. Lock order is hub, then subscriber; a consumer only ever takes the subscriber's lock.
final class EventSubscriber: Sendable {
    typealias History = @Sendable (_ after: Int, _ limit: Int) async throws -> [SessionEvent]

    let id: Int
    let history: History
    let pageSize: Int
    private let state: Mutex<SubscriberState>

    init(id: Int, state: SubscriberState, pageSize: Int, history: @escaping History) {
        self.id = id
        self.history = history
        self.pageSize = pageSize
        self.state = Mutex(state)
    }

    /// Takes published events; returns the consumer to resume, if one was waiting and has work now.
    /// The second value says whether the subscriber ended (the hub then drops it).
    func accept(_ events: [SessionEvent]) -> (waiter: CheckedContinuation<Void, Never>?, ended: Bool) {
        state.withLock { s in
            let wake = s.accept(events)
            let waiter = wake ? s.waiter.take() : nil
            return (waiter, s.isEnded)
        }
    }

    /// Ends the subscription and wakes its consumer, if it is waiting.
    func end(_ ending: SubscriberState.Ending) {
        let waiter = state.withLock { s in s.end(ending) ? s.waiter.take() : nil }
        waiter?.resume()
    }

    func nextStep() -> SubscriberState.Step {
        state.withLock { $0.nextStep() }
    }

    func receive(page: [SessionEvent]) {
        state.withLock { $0.receive(page: page) }
    }

    func historyFailed(after: Int, error: any Error) {
        state.withLock { $0.historyFailed(after: after, error: error) }
    }

    /// Suspends until a publish or the end gives the consumer something to take.
    func waitForWork(isolation: isolated (any Actor)? = #isolation) async {
        await withCheckedContinuation(isolation: isolation) { (continuation: CheckedContinuation<Void, Never>) in
            let now = state.withLock { s -> CheckedContinuation<Void, Never>? in
                if s.hasWork { return continuation }
                // One consumer per subscription: a second concurrent `next()` releases the first.
                let previous = s.waiter.take()
                s.waiter = continuation
                return previous
            }
            now?.resume()
        }
    }
}
