/// The session service as one principal sees it: the same operations, limited to the sessions
/// the principal owns (an admin, and the local user of `--auth none`, see every session).
///
/// Another user's session answers exactly as a session that does not exist (`notFound`), so ids
/// leak nothing; lists carry only one's own sessions; what one creates is one's own.
///
/// ```swift
/// let sessions = service.owned(by: principal)
/// let mine = try await sessions.list(SessionQuery())
/// try await sessions.send(id, message)      // notFound when `id` is someone else's
/// ```
public struct OwnedSessions: Sendable {
    public let service: SessionService
    public let principal: Principal

    public init(service: SessionService, principal: Principal) {
        self.service = service
        self.principal = principal
    }

    // MARK: - Sessions

    /// Creates a session owned by the principal. An admin may name another owner; anyone else
    /// may only name themselves.
    public func create(_ request: SessionRequest) async throws -> SessionRecord {
        var request = request
        request.owner = try owner(named: request.owner.isEmpty ? nil : request.owner) ?? principal.owner
        return try await service.create(request)
    }

    /// The principal's sessions matching `query`; an owner filter naming someone else finds nothing.
    public func list(_ query: SessionQuery) async throws -> SessionPage {
        guard let own = principal.ownerFilter else { return try await service.list(query) }
        if let asked = query.owner, asked != own { return SessionPage(sessions: [], total: 0) }
        var query = query
        query.owner = own
        return try await service.list(query)
    }

    /// One session.
    public func session(_ id: String) async throws -> SessionRecord {
        let record = try await service.session(id)
        guard principal.canSee(owner: record.owner) else { throw SessionError.notFound(id: id) }
        return record
    }

    /// Changes a session's name, tags, priority, metadata or (for an admin) owner.
    public func update(_ id: String, _ changes: SessionUpdate) async throws -> SessionRecord {
        try await check(id)
        var changes = changes
        changes.owner = try owner(named: changes.owner)
        return try await service.update(id, changes)
    }

    /// Deletes a session with all its data.
    public func delete(_ id: String) async throws {
        try await check(id)
        try await service.delete(id)
    }

    /// Deletes the principal's ended sessions created more than `days` days ago.
    public func cleanUp(olderThanDays days: Double) async throws -> [String] {
        try await service.cleanUp(olderThanDays: days, owner: principal.ownerFilter)
    }

    /// Deletes a session's conversation and events.
    public func clearHistory(_ id: String) async throws {
        try await check(id)
        try await service.clearHistory(id)
    }

    /// Changes a session's configuration (seed 004's stream options).
    public func reconfigure(_ id: String, _ changes: JSONValue) async throws -> SessionRecord {
        try await check(id)
        return try await service.reconfigure(id, changes)
    }

    /// Gives the session a model client of its own (a caller-supplied API key).
    public func setModelClient(_ client: (any ModelClient)?, for id: String) async throws {
        try await check(id)
        try await service.setModelClient(client, for: id)
    }

    // MARK: - Runs

    public func send(_ id: String, _ message: Message) async throws -> SendOutcome {
        try await check(id)
        return try await service.send(id, message)
    }

    public func stop(_ id: String) async throws -> SessionRecord {
        try await check(id)
        return try await service.stop(id)
    }

    public func pause(_ id: String) async throws -> SessionRecord {
        try await check(id)
        return try await service.pause(id)
    }

    public func resume(_ id: String, instruction: String? = nil) async throws -> SessionRecord {
        try await check(id)
        return try await service.resume(id, instruction: instruction)
    }

    public func approve(_ id: String, toolUseID: String? = nil) async throws -> SessionRecord {
        try await check(id)
        return try await service.approve(id, toolUseID: toolUseID)
    }

    public func deny(_ id: String, toolUseID: String? = nil, message: String? = nil) async throws -> SessionRecord {
        try await check(id)
        return try await service.deny(id, toolUseID: toolUseID, message: message)
    }

    /// Declines a pending action and stops the run (seed 002's safety checks).
    public func declineAndStop(_ id: String, reason: String) async throws -> SessionRecord {
        try await check(id)
        return try await service.declineAndStop(id, reason: reason)
    }

    /// Frees the session's environment and keeps its history.
    public func releaseEnvironment(_ id: String, reason: String = "its resources were cleaned up") async throws
        -> SessionRecord
    {
        try await check(id)
        return try await service.releaseEnvironment(id, reason: reason)
    }

    public func waitUntilSettled(_ id: String, timeout: Double) async throws -> SessionRecord {
        try await check(id)
        return try await service.waitUntilSettled(id, timeout: timeout)
    }

    /// The session's live desktop view, started on demand.
    public func liveView(_ id: String, start: Bool) async throws -> LiveViewEndpoint? {
        try await check(id)
        return try await service.liveView(id, start: start)
    }

    // MARK: - History and events

    public func events(_ id: String, after: Int = 0, limit: Int = 500) async throws -> [SessionEvent] {
        try await check(id)
        return try await service.events(id, after: after, limit: limit)
    }

    public func messages(_ id: String) async throws -> [Message] {
        try await check(id)
        return try await service.messages(id)
    }

    public func toolExecutions(_ id: String) async throws -> [ToolExecution] {
        try await check(id)
        return try await service.toolExecutions(id)
    }

    public func subscribe(_ id: String, after: Int = 0) async throws -> EventSubscription {
        try await check(id)
        return try await service.subscribe(id, after: after)
    }

    public func latestScreenshot(_ id: String) async throws -> (reference: ImageReference, image: ToolImage)? {
        try await check(id)
        return try await service.latestScreenshot(id)
    }

    /// A stored screenshot by its SHA-256, when the session `id` (which must be the principal's)
    /// took it.
    public func image(sha256: String, of id: String) async throws -> ToolImage? {
        guard try await toolExecutions(id).contains(where: { $0.image?.sha256 == sha256 }) else { return nil }
        return try await service.image(sha256: sha256)
    }

    // MARK: - Ownership

    /// Throws `notFound` unless the principal may see the session (admins skip the lookup).
    private func check(_ id: String) async throws {
        guard !principal.isAdmin else { return }
        _ = try await session(id)
    }

    /// An owner a request names: admins may name anyone; others only themselves.
    private func owner(named owner: String?) throws -> String? {
        guard let owner, !principal.isAdmin, owner != principal.owner else { return owner }
        throw SessionError.forbidden("owner (user_id) must be your own user id, \(principal.owner)")
    }
}

extension SessionService {
    /// The service limited to `principal`'s sessions.
    public nonisolated func owned(by principal: Principal) -> OwnedSessions {
        OwnedSessions(service: self, principal: principal)
    }
}
