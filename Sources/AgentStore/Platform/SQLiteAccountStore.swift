public import AgentCore

/// Users and API keys in the session store's SQLite file, on its writer and reader.
///
/// Obtain it from `SQLiteSessionStore.accounts`. Keys are stored as SHA-256 only, found by one
/// lookup on a unique index. User names and emails are unique without regard to case; a taken one
/// is `AccountError.badRequest` naming which.
public final class SQLiteAccountStore: AccountStore, Sendable {
    let writer: GroupCommitWriter
    let reader: SerialReader

    init(writer: GroupCommitWriter, reader: SerialReader) {
        self.writer = writer
        self.reader = reader
    }

    static let userColumns = "id, email, username, full_name, is_active, is_admin, password_hash, created_at"
    static let keyColumns = "id, user_id, name, key_prefix, is_active, last_used_at, created_at"

    static func user(_ row: Statement) -> User {
        User(id: row.int(0), email: row.string(1), username: row.string(2), fullName: row.optionalString(3),
             isActive: row.int(4) != 0, isAdmin: row.int(5) != 0, passwordHash: row.string(6), createdAt: row.double(7))
    }

    static func key(_ row: Statement) -> StoredAPIKey {
        StoredAPIKey(id: row.int(0), userID: row.int(1), name: row.string(2), keyPrefix: row.string(3),
                     isActive: row.int(4) != 0, lastUsedAt: row.optionalDouble(5), createdAt: row.double(6))
    }

    public func insertUser(email: String, username: String, fullName: String?, passwordHash: String,
                           isAdmin: Bool, createdAt: Double) async throws -> User {
        try await writer.write { db in
            if try db.scalarInt("SELECT 1 FROM users WHERE username = ? COLLATE NOCASE", [username]) != nil {
                throw AccountError.badRequest("Username already registered")
            }
            if try db.scalarInt("SELECT 1 FROM users WHERE email = ? COLLATE NOCASE", [email]) != nil {
                throw AccountError.badRequest("Email already registered")
            }
            try db.execute("""
                INSERT INTO users (email, username, full_name, is_admin, password_hash, created_at) VALUES (?, ?, ?, ?, ?, ?)
                """, [email, username, fullName, isAdmin, passwordHash, createdAt])
            return User(id: db.lastInsertRowID, email: email, username: username, fullName: fullName,
                        isAdmin: isAdmin, passwordHash: passwordHash, createdAt: createdAt)
        }
    }

    public func user(id: Int) async throws -> User? {
        try await reader.read { db in try db.queryFirst("SELECT \(Self.userColumns) FROM users WHERE id = ?", [id], row: Self.user) }
    }

    public func user(username: String) async throws -> User? {
        try await reader.read { db in
            try db.queryFirst("SELECT \(Self.userColumns) FROM users WHERE username = ? COLLATE NOCASE", [username], row: Self.user)
        }
    }

    public func updatePasswordHash(userID: Int, passwordHash: String) async throws {
        try await writer.write { db in try db.execute("UPDATE users SET password_hash = ? WHERE id = ?", [passwordHash, userID]) }
    }

    public func setAdmin(userID: Int, isAdmin: Bool) async throws -> Bool {
        try await writer.write { db in
            try db.execute("UPDATE users SET is_admin = ? WHERE id = ?", [isAdmin, userID])
            return db.changes > 0
        }
    }

    public func users() async throws -> [User] {
        try await reader.read { db in try db.query("SELECT \(Self.userColumns) FROM users ORDER BY id", row: Self.user) }
    }

    public func insertAPIKey(userID: Int, name: String, keyHash: String, keyPrefix: String,
                             createdAt: Double) async throws -> StoredAPIKey {
        try await writer.write { db in
            try db.execute("INSERT INTO api_keys (user_id, name, key_hash, key_prefix, created_at) VALUES (?, ?, ?, ?, ?)",
                           [userID, name, keyHash, keyPrefix, createdAt])
            return StoredAPIKey(id: db.lastInsertRowID, userID: userID, name: name, keyPrefix: keyPrefix, createdAt: createdAt)
        }
    }

    public func apiKey(hash: String) async throws -> StoredAPIKey? {
        try await reader.read { db in
            try db.queryFirst("SELECT \(Self.keyColumns) FROM api_keys WHERE key_hash = ?", [hash], row: Self.key)
        }
    }

    public func apiKeys(userID: Int) async throws -> [StoredAPIKey] {
        try await reader.read { db in
            try db.query("SELECT \(Self.keyColumns) FROM api_keys WHERE user_id = ? ORDER BY id DESC", [userID], row: Self.key)
        }
    }

    public func revokeAPIKey(id: Int, userID: Int) async throws -> Bool {
        try await writer.write { db in
            try db.execute("UPDATE api_keys SET is_active = 0 WHERE id = ? AND user_id = ?", [id, userID])
            return db.changes > 0
        }
    }

    public func touchAPIKey(id: Int, at time: Double) async throws {
        try await writer.write { db in try db.execute("UPDATE api_keys SET last_used_at = ? WHERE id = ?", [time, id]) }
    }
}
