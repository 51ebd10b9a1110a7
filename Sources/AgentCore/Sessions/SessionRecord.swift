/// Everything stored about a session except its history: identity, labels, status, configuration,
/// usage, and the state that must survive a restart (queued messages, a pending approval).
public struct SessionRecord: Sendable, Hashable {
    public var id: String
    /// The user (or API key's user) that owns the session; empty for the local user.
    public var owner: String
    public var name: String
    public var tags: [String]
    /// `low`, `normal` or `high`.
    public var priority: String
    public var metadata: JSONValue
    public var configuration: SessionConfiguration
    public var status: SessionStatus
    /// Why the session is in its status, for people (`the model ended its turn`).
    public var statusReason: String?
    /// Seconds since 1970.
    public var createdAt: Double
    public var updatedAt: Double
    /// The last time anyone or anything acted on the session (inactivity timeout, seed 002).
    public var lastActivityAt: Double
    /// Token use over the session's life.
    public var usage: Usage
    /// Dollars spent over the session's life.
    public var costUSD: Double
    /// The sequence number of the newest stored event; assigned by the store, never by callers.
    public var lastSeq: Int
    /// Messages sent while a run was in progress, oldest first.
    public var queue: [Message]
    public var pendingApproval: PendingApproval?
    /// Soft budget thresholds already approved (so each asks once).
    public var softBudgetAcknowledged: Bool

    public init(
        id: String, owner: String = "", name: String = "", tags: [String] = [], priority: String = "normal",
        metadata: JSONValue = [:], configuration: SessionConfiguration = SessionConfiguration(),
        status: SessionStatus = .idle, statusReason: String? = nil, createdAt: Double, updatedAt: Double? = nil,
        lastActivityAt: Double? = nil, usage: Usage = Usage(), costUSD: Double = 0, lastSeq: Int = 0,
        queue: [Message] = [], pendingApproval: PendingApproval? = nil, softBudgetAcknowledged: Bool = false
    ) {
        self.id = id
        self.owner = owner
        self.name = name
        self.tags = tags
        self.priority = priority
        self.metadata = metadata
        self.configuration = configuration
        self.status = status
        self.statusReason = statusReason
        self.createdAt = createdAt
        self.updatedAt = updatedAt ?? createdAt
        self.lastActivityAt = lastActivityAt ?? createdAt
        self.usage = usage
        self.costUSD = costUSD
        self.lastSeq = lastSeq
        self.queue = queue
        self.pendingApproval = pendingApproval
        self.softBudgetAcknowledged = softBudgetAcknowledged
    }

    /// Priorities a session may have.
    public static let priorities = ["low", "normal", "high"]

    /// The session as the native API shows it.
    public var json: JSONValue {
        var o: [String: JSONValue] = [
            "id": .string(id), "owner": .string(owner), "name": .string(name), "tags": .array(tags.map(JSONValue.string)),
            "priority": .string(priority), "metadata": metadata, "configuration": configuration.json,
            "status": .string(status.rawValue), "created_at": .double(createdAt), "updated_at": .double(updatedAt),
            "last_activity_at": .double(lastActivityAt), "usage": usage.json, "cost_usd": .double(costUSD),
            "last_seq": .int(lastSeq), "queued_messages": .int(queue.count),
        ]
        if let statusReason { o["status_reason"] = .string(statusReason) }
        if let pendingApproval { o["pending_approval"] = pendingApproval.json }
        return .object(o)
    }
}
