/// Routes an agent's approval questions to its session.
struct SessionApprovalHook: ApprovalHook {
    let runtime: SessionRuntime
    func review(_ call: ToolCall) async throws -> ApprovalDecision { try await runtime.review(call) }
}

extension SessionRuntime {
    /// Decides whether `call` runs: at once when no rule (or budget threshold) asks for a person,
    /// else after storing the pending approval and waiting for `approve` or `deny`.
    func review(_ call: ToolCall) async throws -> ApprovalDecision {
        await waitUntilStored(call.id)
        if let decision = decided.removeValue(forKey: call.id) { return decision }
        let config = record.configuration
        if let cap = config.budget.hardCapReached(record.usage, cost: record.costUSD) {
            // The agent may be ahead of the stored usage; the cap holds before any further call.
            await agent?.stop(FinishReason(.tokenBudget, cap))
            throw CancellationError()
        }
        var reason = config.approvalPolicy.reason(for: call)
        if reason == nil, !record.softBudgetAcknowledged,
           config.budget.isPastSoftThreshold(record.usage, cost: record.costUSD)
        {
            reason = "budget: the session has used \(record.usage.totalTokens) tokens ($\(SessionCost.format(record.costUSD))), past its soft threshold"
        }
        guard let reason else { return .allow }
        record.pendingApproval = PendingApproval(call: call, reason: reason, screenshot: latestScreenshot,
                                                 requestedAt: context.now)
        let change = try move(to: .awaitingApproval, reason: reason, action: "ask for approval")
        try await commit([change, event("approval_requested", record.pendingApproval?.json ?? [:])])
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { approvalWaiter = $0 }
        } onCancel: {
            Task { await self.cancelApprovalWait() }
        }
    }

    private func cancelApprovalWait() {
        approvalWaiter?.resume(throwing: CancellationError())
        approvalWaiter = nil
    }

    /// Waits until the assistant turn holding `callID` and its usage are stored, so the pending
    /// approval is never stored before the call it is about.
    private func waitUntilStored(_ callID: String) async {
        if readyCalls.contains(callID) { return }
        await withCheckedContinuation { readyWaiters.append((callID, $0)) }
    }

    func markReady(_ ids: [String]) {
        readyCalls.formUnion(ids)
        let (ready, waiting) = readyWaiters.reduce(into: ([CheckedContinuation<Void, Never>](), [(id: String, waiter: CheckedContinuation<Void, Never>)]())) {
            if readyCalls.contains($1.id) { $0.0.append($1.waiter) } else { $0.1.append($1) }
        }
        readyWaiters = waiting
        for waiter in ready { waiter.resume() }
    }

    /// Answers the pending approval.
    /// - Parameters:
    ///   - approved: run the call, or answer the model with `message` instead.
    ///   - toolUseID: when given, must match the pending call (else `SessionError.unknownApproval`).
    func decide(approved: Bool, toolUseID: String?, message: String?) async throws -> SessionRecord {
        guard record.status == .awaitingApproval, let pending = record.pendingApproval else {
            throw SessionError.noPendingApproval(id: id)
        }
        if let toolUseID, toolUseID != pending.call.id {
            throw SessionError.unknownApproval(id: id, approvalID: toolUseID)
        }
        let text = message.flatMap { $0.isEmpty ? nil : $0 }
        let decision: ApprovalDecision = approved
            ? .allow : .deny(message: "The user denied this action" + (text.map { ": \($0)" } ?? "."))
        if approved, pending.reason.hasPrefix("budget:") { record.softBudgetAcknowledged = true }
        record.pendingApproval = nil
        let change = try move(to: .running, reason: approved ? "approved" : "denied", action: "resume after approval")
        var data: JSONValue = ["tool_use_id": .string(pending.call.id), "approved": .bool(approved)]
        if let text { data["message"] = .string(text) }
        try await commit([event("approval_resolved", data), change])
        if let waiter = approvalWaiter {
            approvalWaiter = nil
            waiter.resume(returning: decision)
        } else {
            decided[pending.call.id] = decision
            try await continueRestored(instruction: nil)
        }
        return committed
    }
}
