/// Which sessions to list, in what order, and which page.
public struct SessionQuery: Sendable, Hashable {
    public enum SortField: String, Sendable, Hashable, CaseIterable {
        case createdAt = "created_at"
        case updatedAt = "updated_at"
        case lastActivityAt = "last_activity_at"
        case name
        case priority
        case status
    }

    /// Any of these statuses; empty means all.
    public var statuses: [SessionStatus]
    /// Sessions carrying this tag.
    public var tag: String?
    /// Sessions of this owner; `nil` means every owner.
    public var owner: String?
    /// Created at or after (seconds since 1970).
    public var createdAfter: Double?
    /// Created strictly before (seconds since 1970).
    public var createdBefore: Double?
    public var sort: SortField
    public var descending: Bool
    /// 1…1000.
    public var limit: Int
    public var offset: Int

    public static let maximumLimit = 1000

    public init(statuses: [SessionStatus] = [], tag: String? = nil, owner: String? = nil, createdAfter: Double? = nil,
                createdBefore: Double? = nil, sort: SortField = .createdAt, descending: Bool = true, limit: Int = 50,
                offset: Int = 0) {
        self.statuses = statuses
        self.tag = tag
        self.owner = owner
        self.createdAfter = createdAfter
        self.createdBefore = createdBefore
        self.sort = sort
        self.descending = descending
        self.limit = limit
        self.offset = offset
    }

    /// Checks the page bounds.
    public func validate() throws(SessionError) {
        guard (1...Self.maximumLimit).contains(limit) else {
            throw .invalidRequest("limit must be between 1 and \(Self.maximumLimit)")
        }
        guard offset >= 0 else { throw .invalidRequest("offset must not be negative") }
    }
}

/// One page of sessions and the number that match in all.
public struct SessionPage: Sendable, Hashable {
    public var sessions: [SessionRecord]
    public var total: Int
    public init(sessions: [SessionRecord], total: Int) {
        self.sessions = sessions
        self.total = total
    }
}
