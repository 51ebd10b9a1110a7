/// A person who signs in to agentd (seed 003's `User`, plus the admin flag and the stored hash).
public struct User: Sendable, Hashable {
    public var id: Int
    public var email: String
    public var username: String
    public var fullName: String?
    public var isActive: Bool
    /// Sees every user's objects. Made only on the daemon's host (`agentd users add --admin`).
    public var isAdmin: Bool
    /// The self-describing password hash (`PasswordHash.encoded`); never leaves the service.
    public var passwordHash: String
    /// Seconds since the Unix epoch.
    public var createdAt: Double

    public init(id: Int, email: String, username: String, fullName: String? = nil, isActive: Bool = true,
                isAdmin: Bool = false, passwordHash: String, createdAt: Double) {
        self.id = id
        self.email = email
        self.username = username
        self.fullName = fullName
        self.isActive = isActive
        self.isAdmin = isAdmin
        self.passwordHash = passwordHash
        self.createdAt = createdAt
    }

    /// The owner string sessions and other objects carry for this user.
    public var owner: String { String(id) }
}
