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
    /// Further sort keys, applied in order among sessions equal on `sort` (`status:asc,created_at:desc`).
    public var thenBy: [SortKey] = []
    /// 1…1000.
    public var limit: Int
    public var offset: Int

    public static let maximumLimit = 1000

    /// One secondary sort key: a field and its direction.
    public struct SortKey: Sendable, Hashable {
        public var field: SortField
        public var descending: Bool
        public init(_ field: SortField, descending: Bool) {
            self.field = field
            self.descending = descending
        }
    }

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
            throw .invalidValue("limit must be between 1 and \(Self.maximumLimit)")
        }
        guard offset >= 0 else { throw .invalidValue("offset must not be negative") }
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
