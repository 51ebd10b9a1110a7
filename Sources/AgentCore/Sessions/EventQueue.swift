/// A first-in, first-out buffer of events with amortised O(1) removal at the front.
struct EventQueue: Sendable {
    private var storage: [SessionEvent] = []
    private var head = 0

    var count: Int { storage.count - head }
    var isEmpty: Bool { head == storage.count }
    var first: SessionEvent? { isEmpty ? nil : storage[head] }
    var last: SessionEvent? { isEmpty ? nil : storage.last }

    mutating func append(_ event: SessionEvent) {
        storage.append(event)
    }

    mutating func popFirst() -> SessionEvent? {
        guard !isEmpty else { return nil }
        let event = storage[head]
        head += 1
        if head == storage.count {
            storage.removeAll(keepingCapacity: true)
            head = 0
        } else if head >= 64, head * 2 >= storage.count {
            // Reclaim the consumed front once it is at least half the storage.
            storage.removeFirst(head)
            head = 0
        }
        return event
    }

    mutating func removeAll() {
        storage = []
        head = 0
    }
}
