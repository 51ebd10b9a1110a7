import Dispatch
import Synchronization
import AgentCore

/// A read-only connection on its own serial queue.
///
/// In WAL mode readers run beside the writer (https://www.sqlite.org/wal.html#concurrency), so reads
/// never wait for a batch to commit, and the blocking SQLite calls stay off Swift's cooperative threads.
final class SerialReader: Sendable {
    private let queue = DispatchQueue(label: "agentd.store.reader", qos: .userInitiated)
    private let connection: QueueConfined<SQLiteConnection>
    private let isClosed = Mutex(false)

    init(connection: sending SQLiteConnection) {
        self.connection = QueueConfined(connection)
    }

    /// Runs `work` in one read transaction (one consistent snapshot) and returns its result.
    func read<T: Sendable>(_ work: @escaping @Sendable (SQLiteConnection) throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            queue.async {
                guard !self.isClosed.withLock({ $0 }) else {
                    continuation.resume(throwing: SessionError.storage("the session store is closed"))
                    return
                }
                let db = self.connection.value
                continuation.resume(with: Result { try db.readTransaction { try work(db) } })
            }
        }
    }

    /// Waits for running reads and closes the connection.
    func close() {
        queue.sync {
            isClosed.withLock { $0 = true }
            connection.value.close()
        }
    }
}
