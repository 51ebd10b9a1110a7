extension FinishReason {
    /// The session status a run that ended this way leaves behind.
    public var sessionStatus: SessionStatus {
        switch kind {
        case .endTurn, .refusal: .completed
        case .stopped, .maxSteps, .tokenBudget: .stopped
        case .timeout: .timeout
        default: .error
        }
    }
}
