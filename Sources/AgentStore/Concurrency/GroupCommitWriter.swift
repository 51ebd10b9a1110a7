import Dispatch
import Synchronization
import AgentCore

/// The single owner of the write connection, committing concurrent writes together.
///
/// Callers submit writes from any task; the writer's serial queue takes everything pending, runs it
/// in ONE `BEGIN IMMEDIATE` transaction with a `SAVEPOINT` per write, commits, and only then resumes
/// the callers. A write that throws is rolled back to its savepoint and fails alone; a failed COMMIT
/// fails every write of the batch. With `synchronous=FULL` each COMMIT costs one fsync, so batching
/// shares that cost among every write waiting for it.
final class GroupCommitWriter: Sendable {
    private struct State {
        var pending: [WriteJob] = []
        var isDrainScheduled = false
        var isClosed = false
        var transactions = 0
        var largestBatch = 0
    }

    /// Most writes in one transaction, so a burst cannot delay the first writer's acknowledgement for long.
    static let maximumBatchSize = 512

    private let queue = DispatchQueue(label: "agentd.store.writer", qos: .userInitiated)
    private let connection: QueueConfined<SQLiteConnection>
    private let state = Mutex(State())
    private let follower: (any TransactionFollower)?
    private let generationCounter = Atomic<UInt64>(0)

    /// Grows after every transaction (and every `withConnection` call), before any caller of it
    /// learns the outcome. A read that starts after reading generation `g` sees at least every
    /// write acknowledged before `g` was reached, so a result read under `g` stays current for as
    /// long as the generation is still `g` (`SessionPageCache` relies on this).
    var generation: UInt64 { generationCounter.load(ordering: .acquiring) }

    /// Takes ownership of `connection`; nothing else may use it afterwards. `follower` hears of every
    /// savepoint begun or rolled back and every transaction lost, on the writer queue.
    init(connection: sending SQLiteConnection, follower: (any TransactionFollower)? = nil) {
        self.connection = QueueConfined(connection)
        self.follower = follower
    }

    /// Runs `work` on the writer inside its own savepoint and returns its result once it is committed.
    ///
    /// - Throws: what `work` threw (nothing of it is stored), or the `SQLiteError` of a failed commit.
    func write<T: Sendable>(_ work: @escaping @Sendable (SQLiteConnection) throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            let job = WriteJob(work, continuation: continuation)
            let shouldSchedule = state.withLock { state -> Bool? in
                guard !state.isClosed else { return nil }
                state.pending.append(job)
                defer { state.isDrainScheduled = true }
                return !state.isDrainScheduled
            }
            switch shouldSchedule {
            case nil: continuation.resume(throwing: SessionError.storage("the session store is closed"))
            case true?: queue.async { self.drain() }
            case false?: break
            }
        }
    }

    /// Runs `body` on the writer queue with the connection, outside any batch (start-up and shutdown work).
    func withConnection<T>(_ body: (SQLiteConnection) throws -> T) rethrows -> T {
        defer { generationCounter.add(1, ordering: .releasing) }
        return try queue.sync { try body(connection.value) }
    }

    /// Transactions run so far and the most writes one of them held (for tests and benchmarks).
    var statistics: (transactions: Int, largestBatch: Int) {
        state.withLock { ($0.transactions, $0.largestBatch) }
    }

    /// Writes submitted and not yet taken by the writer.
    var pendingCount: Int { state.withLock { $0.pending.count } }

    /// Stops taking writes, waits for the pending ones to commit, and closes the connection.
    func close() {
        state.withLock { $0.isClosed = true }
        queue.sync {
            drain()
            connection.value.close()
        }
    }

    // MARK: - Batches (writer queue only)

    private func drain() {
        let jobs = state.withLock { state in
            defer {
                state.pending.removeAll(keepingCapacity: true)
                state.isDrainScheduled = false
            }
            return state.pending
        }
        var next = jobs[...]
        while !next.isEmpty { next = runBatch(next) }
    }

    /// Runs jobs from `jobs` in one transaction and acknowledges them; returns the jobs it did not reach
    /// (past `maximumBatchSize`, or when SQLite abandoned the transaction part-way).
    private func runBatch(_ jobs: ArraySlice<WriteJob>) -> ArraySlice<WriteJob> {
        let db = connection.value
        do {
            try db.execute(.beginImmediate)
        } catch {
            for job in jobs { job.fail(error) }
            return []
        }
        var outcomes: [WriteOutcome] = []
        outcomes.reserveCapacity(jobs.count)
        var rest = jobs
        var transactionError: (any Error)?
        while outcomes.count < Self.maximumBatchSize, let job = rest.popFirst() {
            do {
                try db.execute(.savepoint)
            } catch {
                job.fail(error)
                transactionError = error
                break
            }
            follower?.savepointBegan()
            let outcome = job.perform(db)
            outcomes.append(outcome)
            if let error = outcome.error {
                follower?.savepointRolledBack()
                // Some errors (I/O, full disk) make SQLite roll back the whole transaction by itself.
                if db.isAutocommit { transactionError = error; break }
                do {
                    try db.execute(.rollbackToSavepoint)
                    try db.execute(.release)
                } catch {
                    transactionError = error
                    break
                }
            } else {
                do { try db.execute(.release) } catch { transactionError = error; break }
            }
        }
        if transactionError == nil {
            do { try db.execute(.commit) } catch { transactionError = error }
        }
        if transactionError != nil {
            db.rollbackIfOpen()
            follower?.transactionLost()
        }
        state.withLock { state in
            state.transactions += 1
            state.largestBatch = max(state.largestBatch, outcomes.count)
        }
        generationCounter.add(1, ordering: .releasing)
        // Acknowledge after commit: no caller learns of success before its write is durable.
        for outcome in outcomes { outcome.acknowledge(transactionError) }
        return rest
    }
}
