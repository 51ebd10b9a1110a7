/// A write waiting for the writer: runs on the writer queue inside its own savepoint.
///
/// `perform` runs the write and returns what happened; the writer then calls `acknowledge` once the
/// enclosing transaction is committed (with `nil`) or lost (with the commit's error), never before.
struct WriteJob: Sendable {
    let perform: @Sendable (SQLiteConnection) -> WriteOutcome
    /// Fails the write without running it (the batch's transaction could not start).
    let fail: @Sendable (any Error) -> Void
}

/// The result of running one write, waiting for the batch's commit.
struct WriteOutcome: Sendable {
    /// What the write threw; its savepoint is rolled back and it fails alone.
    let error: (any Error)?
    /// Resumes the caller: with the write's own error, the commit's error, or its result.
    let acknowledge: @Sendable (_ commitError: (any Error)?) -> Void
}

extension WriteJob {
    /// A job that runs `work` and resumes `continuation` after the commit.
    init<T: Sendable>(_ work: @escaping @Sendable (SQLiteConnection) throws -> T,
                      continuation: CheckedContinuation<T, any Error>) {
        perform = { connection in
            do {
                let value = try work(connection)
                return WriteOutcome(error: nil) { commitError in
                    if let commitError { continuation.resume(throwing: commitError) } else { continuation.resume(returning: value) }
                }
            } catch {
                return WriteOutcome(error: error) { _ in continuation.resume(throwing: error) }
            }
        }
        fail = { error in continuation.resume(throwing: error) }
    }
}
