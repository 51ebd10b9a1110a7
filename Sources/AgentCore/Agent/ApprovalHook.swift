/// What to do with a tool call.
public enum ApprovalDecision: Sendable, Hashable {
    /// Run it.
    case allow
    /// Do not run it; the model receives `message` as an error result and the run goes on.
    case deny(message: String)
}

/// Consulted before every tool call. An implementation may answer at once (a policy) or wait for a
/// person (an approvals API); waiting is just a suspension, and stopping the run cancels it.
public protocol ApprovalHook: Sendable {
    /// Decides whether `call` runs.
    /// - Throws: `CancellationError` when the run is stopped while waiting.
    func review(_ call: ToolCall) async throws -> ApprovalDecision
}

/// An approval hook from a closure.
public struct ClosureApprovalHook: ApprovalHook {
    let body: @Sendable (ToolCall) async throws -> ApprovalDecision
    public init(_ body: @escaping @Sendable (ToolCall) async throws -> ApprovalDecision) { self.body = body }
    public func review(_ call: ToolCall) async throws -> ApprovalDecision { try await body(call) }
}
