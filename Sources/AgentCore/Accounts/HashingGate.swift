import Dispatch
import Synchronization

/// Runs password hashing (deliberately slow: ~0.2–0.5 s of CPU each) off Swift's cooperative
/// threads, at most `concurrency` at a time, with at most `maxWaiting` more queued. Beyond that a
/// login is refused at once (429) instead of piling up work an attacker asked for.
final class HashingGate: Sendable {
    private let queue = DispatchQueue(label: "agentd.password-hashing", attributes: .concurrent)
    private let slots: DispatchSemaphore
    private let admitted = Atomic<Int>(0)
    let capacity: Int

    init(concurrency: Int, maxWaiting: Int) {
        slots = DispatchSemaphore(value: max(1, concurrency))
        capacity = max(1, concurrency) + max(0, maxWaiting)
    }

    /// Runs `work` on the hashing queue; `nil` when the gate is full.
    func run<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T? {
        let (before, _) = admitted.add(1, ordering: .relaxed)
        guard before < capacity else {
            admitted.subtract(1, ordering: .relaxed)
            return nil
        }
        return await withCheckedContinuation { continuation in
            queue.async { [self] in
                slots.wait()
                let value = work()
                slots.signal()
                admitted.subtract(1, ordering: .relaxed)
                continuation.resume(returning: value)
            }
        }
    }
}
