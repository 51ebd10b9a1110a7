extension SessionService {
    /// Stops the run now with `reason` as the session's status reason; returns once its end is stored.
    ///
    /// ```swift
    /// let record = try await service.stop(id, reason: "the operator ended the task")
    /// ```
    /// - Throws: `SessionError.invalidTransition` when the session has already ended.
    public func stop(_ id: String, reason: String) async throws -> SessionRecord {
        let runtime = try await runtime(id)
        try await runtime.stop(reason: reason)
        return runtime.committed
    }

    /// Declines the pending tool call and ends the run: the decision is stored (an
    /// `approval_resolved` event with `approved: false`), then the session stops with `reason`
    /// (seed 002's safety check answered with `confirm: false`). Unlike `deny`, the model is not
    /// asked to go on, so nothing runs after the refusal.
    ///
    /// - Throws: `SessionError.noPendingApproval` when nothing waits for a decision.
    public func declineAndStop(_ id: String, reason: String) async throws -> SessionRecord {
        let runtime = try await runtime(id)
        try await runtime.declineAndStop(reason: reason)
        return runtime.committed
    }

    /// Frees a session's environment (desktop, browser, shell) and keeps the session and its
    /// history; a run in progress is stopped first (seed 002's "clean up session resources").
    /// The next message prepares a new environment.
    public func releaseEnvironment(_ id: String, reason: String = "its resources were cleaned up") async throws
        -> SessionRecord
    {
        let runtime = try await runtime(id)
        if runtime.committed.status.hasActiveRun { try await runtime.stop(reason: reason) }
        await runtime.releaseEnvironment()
        return runtime.committed
    }
}

extension SessionRuntime {
    /// Stores the refusal of the pending call, then stops the run with `reason`.
    func declineAndStop(reason: String) async throws {
        guard record.status == .awaitingApproval, let pending = record.pendingApproval else {
            throw SessionError.noPendingApproval(id: id)
        }
        record.pendingApproval = nil
        try await commit([event("approval_resolved", [
            "tool_use_id": .string(pending.call.id), "approved": false, "message": .string(reason),
        ])])
        try await stop(reason: reason)
    }
}
