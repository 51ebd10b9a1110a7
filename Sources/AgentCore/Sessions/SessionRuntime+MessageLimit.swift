extension SessionRuntime {
    /// Refuses a new user message once the session has accepted `limits.max_messages` of them.
    ///
    /// Counted are the user messages of the stored conversation that carry text (tool results are
    /// the tools' turns, not the user's) plus the messages waiting in the queue; clearing the
    /// history starts the count again.
    /// - Throws: `SessionError.invalidTransition` (409) at the limit.
    func checkMessageLimit() async throws {
        guard let limit = record.configuration.maxMessages else { return }
        let stored = try await context.store.messages(sessionID: id)
        let sent = stored.filter(\.isUserText).count + record.queue.count
        guard sent < limit else {
            throw SessionError.invalidTransition(
                id: id, from: record.status, action: "accept another message: max_messages (\(limit)) reached")
        }
    }
}

extension Message {
    /// A user turn with text that is not a tool result: a message someone sent.
    var isUserText: Bool {
        guard role == .user else { return false }
        let hasText = content.contains { if case .text = $0 { true } else { false } }
        let hasResult = content.contains { if case .toolResult = $0 { true } else { false } }
        return hasText && !hasResult
    }
}
