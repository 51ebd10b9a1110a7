import Foundation
import Synchronization
@testable import AgentStore

/// Holds the store's writer busy so that writes submitted meanwhile pile up and commit as one batch.
final class WriterGate: Sendable {
    private let state = Mutex((started: false, released: false))
    private let blocker = Mutex<Task<Void, any Error>?>(nil)

    /// Returns once a write that waits for `release()` is running on the writer.
    func hold(_ store: SQLiteSessionStore) async throws {
        let task = Task {
            try await store.writer.write { _ in
                self.state.withLock { $0.started = true }
                while !self.state.withLock({ $0.released }) { usleep(1_000) }
            }
        }
        blocker.withLock { $0 = task }
        while !state.withLock({ $0.started }) { try await Task.sleep(for: .milliseconds(2)) }
    }

    /// Lets the held write finish; the writes queued behind it then run as one batch.
    func release() async throws {
        state.withLock { $0.released = true }
        try await blocker.withLock { $0 }?.value
    }
}
