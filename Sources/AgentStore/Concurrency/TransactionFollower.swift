/// Writer-confined state that mirrors what the open transaction wrote, told by `GroupCommitWriter`
/// when SQLite undoes part or all of it, so the state is never ahead of the database.
///
/// Every method runs on the writer queue.
protocol TransactionFollower: AnyObject, Sendable {
    /// A write's savepoint is about to start.
    func savepointBegan()
    /// The current write failed and its savepoint was rolled back (or SQLite dropped more than that).
    func savepointRolledBack()
    /// The batch's transaction did not commit; nothing it wrote is in the database.
    func transactionLost()
}
