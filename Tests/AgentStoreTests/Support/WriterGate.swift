import AgentTesting
import Dispatch
import Synchronization
@testable import AgentStore

/// Holds the store's writer busy so that writes submitted meanwhile pile up and commit as one batch.
final class WriterGate: Sendable {
    private let started = Gate()
    private let released = DispatchSemaphore(value: 0)
    private let blocker = Mutex<Task<Void, any Error>?>(nil)

    /// Returns once a write that waits for `release()` is running on the writer.
    func hold(_ store: SQLiteSessionStore) async throws {
        let task = Task {
            try await store.writer.write { [started, released] _ in
                started.open()
                released.wait()  // blocks the writer thread itself, which is the point
            }
        }
        blocker.withLock { $0 = task }
        await started.wait()
    }

    /// Lets the held write finish; the writes queued behind it then run as one batch.
    func release() async throws {
        released.signal()
        try await blocker.withLock { $0 }?.value
    }
}
