import Dispatch

/// A serial executor that runs its jobs on one private dispatch queue, never on the Swift cooperative pool.
///
/// `X11Display` uses it as its actor executor, so the blocking socket calls of `X11Connection` (bounded by the
/// connection's timeout) occupy that queue's thread instead of one of the pool's few threads (one per core).
/// This is the idea of GRDB's `DispatchQueueActor`: an actor whose `unownedExecutor` is a queue.
final class X11Executor: SerialExecutor {
    private let queue: DispatchQueue
    private static let marker = DispatchSpecificKey<ObjectIdentifier>()

    /// Creates an executor on a new serial queue labelled `label`.
    init(label: String) {
        queue = DispatchQueue(label: label, qos: .userInitiated)
        queue.setSpecific(key: Self.marker, value: ObjectIdentifier(self))
    }

    /// Whether the calling code runs on this executor's queue.
    var isCurrent: Bool { DispatchQueue.getSpecific(key: Self.marker) == ObjectIdentifier(self) }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let executor = asUnownedSerialExecutor()
        queue.async { job.runSynchronously(on: executor) }
    }

    func asUnownedSerialExecutor() -> UnownedSerialExecutor {
        UnownedSerialExecutor(ordinary: self)
    }

    func checkIsolated() {
        dispatchPrecondition(condition: .onQueue(queue))
    }

    /// Runs `body` on the queue and returns its result to the awaiting caller (used before the actor exists).
    func run<T>(_ body: @escaping @Sendable () throws(X11Error) -> sending T) async throws(X11Error) -> sending T {
        let result: Result<T, X11Error> = await withCheckedContinuation { continuation in
            queue.async {
                do throws(X11Error) {
                    continuation.resume(returning: .success(try body()))
                } catch {
                    continuation.resume(returning: .failure(error))
                }
            }
        }
        return try result.get()
    }
}
