import AgentCore

/// The model client agentd uses when no API key is set: every call fails at once with a
/// `ModelError` saying what to do, so a session ends in status `error` with that reason instead
/// of the daemon refusing to start.
struct MissingKeyModelClient: ModelClient {
    /// The reason sessions see.
    static let message = "ANTHROPIC_API_KEY is not set; set it or start agentd with --script FILE"

    func send(_ request: MessageRequest) -> AsyncThrowingStream<ModelStreamEvent, any Error> {
        AsyncThrowingStream { $0.finish(throwing: ModelError(kind: .missingAPIKey, message: Self.message)) }
    }
}
