/// One subscriber's position in a session's event log and the events waiting for it: the pure
/// state machine behind ``EventSubscriber``.
///
/// A subscriber starts *catching up*: its consumer pages through stored history (``Step/readHistory(after:)``)
/// while live publishes are kept in a window of the newest `limit` stored events. When history reaches
/// the window (or the last published `seq`), the window becomes the live queue and the subscriber is
/// *live*. Stored events are accepted only with `seq > cursor`, so nothing is delivered twice and
/// nothing out of order; live deltas are accepted only while live and right after the event they follow.
struct SubscriberState: Sendable {
    /// How a subscriber ended.
    enum Ending: Sendable, Hashable {
        case closed(reason: String, kind: SubscriptionCloseKind)
        case cancelled
    }

    /// What the consumer does next.
    enum Step: Sendable, Hashable {
        /// Hand this item to the consumer.
        case deliver(SubscriptionItem)
        /// The subscription is over; the sequence returns nil.
        case finish
        /// Read stored events with `seq > after`, then call ``SubscriberState/receive(page:)``.
        case readHistory(after: Int)
        /// Nothing to deliver yet; wait for a publish or the end.
        case wait
    }

    private enum Phase: Sendable { case catchingUp, live, ended }

    /// The most stored events a subscriber may have waiting.
    let limit: Int
    private var phase = Phase.catchingUp
    /// The newest stored `seq` accepted for delivery (handed out while catching up, queued while live).
    private var cursor: Int
    /// The newest stored `seq` handed to the consumer: what a client resumes after.
    private(set) var delivered: Int
    /// The newest stored `seq` the hub has published.
    private var lastPublished: Int
    /// Stored events read from history and not yet handed out.
    private var page: ArraySlice<SessionEvent> = []
    /// While catching up, the newest published stored events; while live, everything to deliver.
    private var queue = EventQueue()
    private var storedQueued = 0
    private var ending: Ending?
    private var endingDelivered = false
    /// The consumer suspended in ``Step/wait``, if any.
    var waiter: CheckedContinuation<Void, Never>?

    /// A subscriber that has seen every stored event up to `after`, of a hub that has published up to `lastPublished`.
    init(after: Int, lastPublished: Int, limit: Int) {
        self.limit = limit
        self.cursor = max(after, 0)
        self.delivered = cursor
        self.lastPublished = lastPublished
        goLiveIfCaughtUp()
    }

    /// Whether the subscription has ended (the consumer may not have seen the end yet).
    var isEnded: Bool { phase == .ended }

    /// Whether a consumer about to wait has something to take instead.
    var hasWork: Bool { phase == .ended || (phase == .live && !queue.isEmpty) }

    // MARK: - Publishing

    /// Takes published events (stored ones ascending and contiguous, or live deltas).
    /// - Returns: whether a waiting consumer should be woken.
    mutating func accept(_ events: [SessionEvent]) -> Bool {
        var changed = false
        for event in events {
            guard phase != .ended else { return changed }
            if event.isLive {
                // Only right after the stored event it follows, and never at the expense of stored events.
                guard phase == .live, event.seq == cursor, queue.count < limit else { continue }
                queue.append(event)
                changed = true
                continue
            }
            lastPublished = max(lastPublished, event.seq)
            guard event.seq > cursor else { continue }
            switch phase {
            case .catchingUp:
                // A window of the newest events; history supplies anything that slides out.
                queue.append(event)
                storedQueued += 1
                if storedQueued > limit {
                    _ = queue.popFirst()
                    storedQueued -= 1
                }
            case .live:
                if event.seq != cursor + 1 {
                    end(.closed(reason: "the subscriber missed events \(cursor + 1)...\(event.seq - 1); "
                                    + "resume with after=\(delivered)", kind: .fellBehind))
                } else if storedQueued >= limit {
                    end(.closed(reason: "the subscriber fell behind by more than \(limit) events; "
                                    + "resume with after=\(delivered)", kind: .fellBehind))
                } else {
                    queue.append(event)
                    storedQueued += 1
                    cursor = event.seq
                }
                changed = true
            case .ended:
                break
            }
        }
        return changed
    }

    /// Ends the subscription unless it already ended; drops whatever was waiting.
    /// - Returns: whether a waiting consumer should be woken.
    @discardableResult
    mutating func end(_ ending: Ending) -> Bool {
        guard phase != .ended else { return false }
        phase = .ended
        self.ending = ending
        queue.removeAll()
        storedQueued = 0
        page = []
        return true
    }

    // MARK: - Consuming

    /// What the consumer does next; handing out an item advances the subscriber.
    mutating func nextStep() -> Step {
        if phase == .ended {
            guard !endingDelivered else { return .finish }
            endingDelivered = true
            if case .closed(let reason, let kind) = ending { return .deliver(.closed(reason: reason, kind: kind)) }
            return .finish
        }
        if phase == .catchingUp {
            if let event = page.popFirst() {
                cursor = event.seq
                delivered = event.seq
                // Going live at once lets a delta that follows this event through.
                if page.isEmpty { goLiveIfCaughtUp() }
                return .deliver(.event(event))
            }
            guard goLiveIfCaughtUp() else { return .readHistory(after: cursor) }
        }
        guard let event = queue.popFirst() else { return .wait }
        if !event.isLive {
            storedQueued -= 1
            delivered = event.seq
        }
        return .deliver(.event(event))
    }

    /// Takes a page of stored history read after `cursor`.
    ///
    /// Events the store no longer has (cleared history) are skipped rather than waited for: an empty
    /// page means nothing older than the live window exists, so the subscriber goes live.
    mutating func receive(page events: [SessionEvent]) {
        guard phase == .catchingUp else { return }
        var newest = cursor
        var kept: [SessionEvent] = []
        kept.reserveCapacity(events.count)
        for event in events where !event.isLive && event.seq > newest {
            kept.append(event)
            newest = event.seq
        }
        if kept.isEmpty {
            goLive()
        } else {
            page = kept[...]
        }
    }

    /// Ends the subscription because reading history after `after` failed.
    mutating func historyFailed(after: Int, error: any Error) {
        end(.closed(reason: "reading the session's stored events after seq \(after) failed: \(error)",
                    kind: .historyFailed))
    }

    /// Goes live when the window (or the last published `seq`) follows `cursor` with no gap.
    @discardableResult
    private mutating func goLiveIfCaughtUp() -> Bool {
        while let first = queue.first, first.seq <= cursor {
            _ = queue.popFirst()
            storedQueued -= 1
        }
        let caughtUp = if let first = queue.first { first.seq == cursor + 1 } else { cursor >= lastPublished }
        if caughtUp { goLive() }
        return caughtUp
    }

    private mutating func goLive() {
        phase = .live
        cursor = max(cursor, queue.last?.seq ?? lastPublished)
    }
}
