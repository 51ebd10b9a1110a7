/// Where users and API keys live. AgentStore implements it on SQLite; every change returns after
/// its commit.
public protocol AccountStore: Sendable {
    /// Stores a new user and returns it with its id. Throws `AccountError.badRequest` when the user
    /// name or the email is taken (compared without regard to case).
    func insertUser(email: String, username: String, fullName: String?, passwordHash: String,
                    isAdmin: Bool, createdAt: Double) async throws -> User
    func user(id: Int) async throws -> User?
    /// The user with this user name (case-insensitive).
    func user(username: String) async throws -> User?
    /// Replaces a user's password hash (after a cost increase, or from the host's CLI).
    func updatePasswordHash(userID: Int, passwordHash: String) async throws
    /// Sets or clears the admin flag; false when there is no such user.
    func setAdmin(userID: Int, isAdmin: Bool) async throws -> Bool
    /// Every user, by id.
    func users() async throws -> [User]

    /// Stores a key by its SHA-256 (hex) and returns the record.
    func insertAPIKey(userID: Int, name: String, keyHash: String, keyPrefix: String,
                      createdAt: Double) async throws -> StoredAPIKey
    /// The key with this hash, whatever its state, in one indexed lookup.
    func apiKey(hash: String) async throws -> StoredAPIKey?
    /// A user's keys, newest first.
    func apiKeys(userID: Int) async throws -> [StoredAPIKey]
    /// Marks a user's key revoked; false when the user has no key with this id.
    func revokeAPIKey(id: Int, userID: Int) async throws -> Bool
    /// Records when a key was last used.
    func touchAPIKey(id: Int, at time: Double) async throws
}
