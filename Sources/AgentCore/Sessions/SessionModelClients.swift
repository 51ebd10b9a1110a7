import Synchronization

/// The sessions that talk to their own model client (another API key, base URL or provider)
/// instead of the service's. Held in memory only: a key never reaches the store.
final class SessionModelClients: Sendable {
    private let clients = Mutex<[String: any ModelClient]>([:])

    /// The client `sessionID` uses, or nil for the service's own.
    func client(for sessionID: String) -> (any ModelClient)? {
        clients.withLock { $0[sessionID] }
    }

    /// Gives `sessionID` its own client; nil returns it to the service's.
    func set(_ client: (any ModelClient)?, for sessionID: String) {
        clients.withLock { $0[sessionID] = client }
    }
}

extension SessionService {
    /// Makes a session talk to `client` instead of the service's model client, from its next run
    /// on (a run in progress keeps the client it started with); nil returns it to the service's.
    ///
    /// The choice lives in memory only (it may carry an API key, which is never stored): after a
    /// restart the session uses the service's client until this is called again.
    ///
    /// ```swift
    /// let session = try await service.create(SessionRequest(name: "own key"))
    /// try await service.setModelClient(AnthropicClient(apiKey: key, baseURL: url), for: session.id)
    /// ```
    /// - Throws: `SessionError.notFound` when there is no such session.
    public func setModelClient(_ client: (any ModelClient)?, for id: String) async throws {
        _ = try await session(id)
        context.modelClients.set(client, for: id)
    }

    /// Whether the session talks to a model client of its own (see `setModelClient(_:for:)`).
    public nonisolated func hasOwnModelClient(_ id: String) -> Bool {
        context.modelClients.client(for: id) != nil
    }
}
