/// An agent on the platform (seed 003's `Agent`): a name, an owner, and the versions uploaded for it.
public struct PlatformAgent: Sendable, Hashable {
    /// seed 003: `"draft" | "building" | "ready" | "failed" | "archived"`.
    public enum Status: String, Sendable, Hashable, CaseIterable {
        case draft, building, ready, failed, archived
    }

    public var id: Int
    public var userID: Int
    public var name: String
    public var description: String?
    public var status: Status
    /// The latest `ready` version, which executions use.
    public var currentVersionID: Int?
    public var createdAt: Double
    public var updatedAt: Double

    public init(id: Int, userID: Int, name: String, description: String? = nil, status: Status = .draft,
                currentVersionID: Int? = nil, createdAt: Double, updatedAt: Double) {
        self.id = id
        self.userID = userID
        self.name = name
        self.description = description
        self.status = status
        self.currentVersionID = currentVersionID
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}

/// The fields `PATCH /api/v1/agents/{id}` may change; `nil` leaves one as it is.
public struct AgentChanges: Sendable, Hashable {
    public var name: String?
    /// `.some(nil)` clears the description.
    public var description: String??
    /// Only `archived` (and back to what the builds say) may be set by a client.
    public var status: PlatformAgent.Status?

    public init(name: String? = nil, description: String?? = nil, status: PlatformAgent.Status? = nil) {
        self.name = name
        self.description = description
        self.status = status
    }
}
