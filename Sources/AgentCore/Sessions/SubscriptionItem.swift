/// What an ``EventSubscription`` yields: a session event, or the reason the subscription ended.
///
/// `.closed` is always the last item; after it the sequence ends. A subscription that is cancelled
/// (its task cancelled, ``EventSubscription/cancel()`` called, or its iterator dropped) ends without one.
public enum SubscriptionItem: Sendable, Hashable {
    /// A stored event (in `seq` order, no gap, no duplicate) or a live-only token delta.
    case event(SessionEvent)
    /// The subscription ended. `reason` is written for people; `kind` lets an adapter pick a close code.
    case closed(reason: String, kind: SubscriptionCloseKind)
}

/// Why a subscription ended, for adapters that map it to a protocol code (a WebSocket close code,
/// an SSE comment before the stream ends).
public enum SubscriptionCloseKind: String, Sendable, Hashable {
    /// The subscriber did not read fast enough and its buffer overflowed; the reason names the
    /// `after` to resume with. (WebSocket: 1013 Try Again Later fits.)
    case fellBehind = "fell_behind"
    /// Reading stored events failed. (WebSocket: 1011 Internal Error.)
    case historyFailed = "history_failed"
    /// The session was deleted. (WebSocket: 1000 Normal Closure.)
    case sessionDeleted = "session_deleted"
    /// The hub was closed for another reason, e.g. the service is stopping. (WebSocket: 1001 Going Away.)
    case hubClosed = "hub_closed"
}
