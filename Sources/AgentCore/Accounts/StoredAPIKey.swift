/// An API key as stored: its SHA-256 and display prefix, never the key itself.
public struct StoredAPIKey: Sendable, Hashable {
    public var id: Int
    public var userID: Int
    public var name: String
    /// The first 12 characters (`anymind_abc1`), for recognising a key in a list.
    public var keyPrefix: String
    public var isActive: Bool
    public var lastUsedAt: Double?
    public var createdAt: Double

    public init(id: Int, userID: Int, name: String, keyPrefix: String, isActive: Bool = true,
                lastUsedAt: Double? = nil, createdAt: Double) {
        self.id = id
        self.userID = userID
        self.name = name
        self.keyPrefix = keyPrefix
        self.isActive = isActive
        self.lastUsedAt = lastUsedAt
        self.createdAt = createdAt
    }
}

/// A key just made: the stored record and the plaintext, which is shown once and then forgotten.
public struct NewAPIKey: Sendable {
    public var record: StoredAPIKey
    public var plaintext: String
}
