/// Keeps a session's commits in the order they were built, across the actor's suspension points,
/// so events reach the store and the subscribers with ascending `seq`.
struct CommitOrder {
    private var busy = false
    private var waiters: [CheckedContinuation<Void, Never>] = []

    /// Whether the caller must wait; if so it is queued by `enqueue`.
    mutating func acquire() -> Bool {
        if busy { return false }
        busy = true
        return true
    }

    mutating func enqueue(_ waiter: CheckedContinuation<Void, Never>) { waiters.append(waiter) }

    /// Hands the turn to the next waiter, or frees it.
    mutating func release() {
        if waiters.isEmpty {
            busy = false
        } else {
            waiters.removeFirst().resume()
        }
    }
}
