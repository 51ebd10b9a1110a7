import Foundation
import Synchronization

/// Users, logins, tokens and API keys (seed 003's auth), and the check every authenticated request
/// makes.
///
/// ```swift
/// let accounts = AccountService(store: store, configuration: AccountConfiguration(secret: secret))
/// let user = try await accounts.register(RegistrationRequest(email: "a@x.io", username: "ada", password: "correct horse"))
/// let token = try await accounts.login(username: "ada", password: "correct horse", client: "10.0.0.7")
/// let caller = try await accounts.authenticate(bearer: token)      // Principal(userID: user.id, …)
/// ```
///
/// Passwords are hashed with PBKDF2-HMAC-SHA256 off Swift's cooperative threads, a few at a time;
/// repeated failures for one user name or client answer 429. API keys are looked up by their
/// SHA-256 in one indexed query and then cached in memory, so an authenticated request costs a hash
/// and a dictionary lookup; revoking a key drops it from the cache at once.
public final class AccountService: Sendable {
    public let configuration: AccountConfiguration
    public let tickets: StreamTickets
    private let store: any AccountStore
    private let hasher: PasswordHasher
    private let throttle: LoginThrottle
    private let gate: HashingGate
    private let now: @Sendable () -> Double
    /// Active keys by hash: who they belong to, and when `last_used_at` was last written.
    private let keyCache = Mutex<[String: CachedKey]>([:])
    /// Users by id, for token checks (active and admin flags).
    private let userCache = Mutex<[Int: User]>([:])

    private struct CachedKey: Sendable {
        var keyID: Int
        var userID: Int
        var touchedAt: Double
    }

    /// How often at most `last_used_at` is written for one key, in seconds.
    static let touchInterval: Double = 60
    /// Entries kept in each cache before it is emptied.
    static let cacheCapacity = 10_000

    public init(store: any AccountStore, configuration: AccountConfiguration, tickets: StreamTickets = StreamTickets(),
                now: @escaping @Sendable () -> Double = WallClock.system) {
        self.store = store
        self.configuration = configuration
        self.tickets = tickets
        self.now = now
        hasher = PasswordHasher(iterations: configuration.passwordIterations)
        throttle = LoginThrottle(limits: configuration.loginLimits)
        gate = HashingGate(concurrency: configuration.hashingConcurrency, maxWaiting: configuration.hashingMaxWaiting)
    }

    // MARK: - Users

    /// Registers a user through the API. Throws `badRequest` for invalid fields and taken names,
    /// `forbidden` when registration is closed.
    public func register(_ request: RegistrationRequest) async throws -> User {
        guard configuration.registrationOpen else { throw AccountError.forbidden("Registration is closed on this server") }
        return try await addUser(request, isAdmin: false)
    }

    /// Adds a user, possibly an admin: for the daemon host's `agentd users add`, never the API.
    public func addUser(_ request: RegistrationRequest, isAdmin: Bool) async throws -> User {
        try request.validate()
        let hasher = self.hasher
        let password = request.password
        guard let hashed = await gate.run({ try? hasher.hash(password) }) else {
            throw AccountError.tooManyAttempts("Too many password operations in progress; try again shortly", retryAfterSeconds: 1)
        }
        guard let hash = hashed else { throw AccountError.storage("password hashing failed") }
        return try await store.insertUser(email: request.email, username: request.username, fullName: request.fullName,
                                          passwordHash: hash, isAdmin: isAdmin, createdAt: now())
    }

    /// Makes an existing user an admin or not (host CLI only); false when there is no such user.
    public func setAdmin(username: String, isAdmin: Bool) async throws -> Bool {
        guard let user = try await store.user(username: username) else { return false }
        userCache.withLock { _ = $0.removeValue(forKey: user.id) }
        return try await store.setAdmin(userID: user.id, isAdmin: isAdmin)
    }

    /// Every user (host CLI).
    public func users() async throws -> [User] { try await store.users() }

    /// The user a principal acts for. Throws `unauthorized` when it no longer exists.
    public func user(for principal: Principal) async throws -> User {
        guard let user = try await cachedUser(principal.userID), user.isActive else {
            throw AccountError.unauthorized("Could not validate credentials")
        }
        return user
    }

    // MARK: - Login and tokens

    /// Checks a user name and password and returns a signed access token.
    ///
    /// Unknown users cost the same hashing work as wrong passwords. After
    /// `failuresPerUsername` failures for a name, or `failuresPerClient` from one client, within the
    /// window, attempts answer `tooManyAttempts` until the window has passed.
    public func login(username: String, password: String, client: String) async throws -> String {
        let time = now()
        if let wait = throttle.retryAfter(username: username, client: client, now: time) {
            throw AccountError.tooManyAttempts("Too many failed login attempts; try again in \(wait) s", retryAfterSeconds: wait)
        }
        guard password.utf8.count <= RegistrationRequest.maxPasswordBytes, username.utf8.count <= 256 else {
            throttle.recordFailure(username: username, client: client, now: time)
            throw AccountError.unauthorized("Incorrect username or password")
        }
        let user = try await store.user(username: username)
        let hasher = self.hasher
        let stored = user?.passwordHash
        guard let matched = await gate.run({ stored.map { hasher.verify(password, against: $0) } ?? hasher.verifyUnknownUser(password) })
        else {
            throw AccountError.tooManyAttempts("Too many logins in progress; try again shortly", retryAfterSeconds: 1)
        }
        guard matched, let user, user.isActive else {
            throttle.recordFailure(username: username, client: client, now: now())
            throw AccountError.unauthorized("Incorrect username or password")
        }
        throttle.recordSuccess(username: username)
        if hasher.needsRehash(user.passwordHash), let fresh = await gate.run({ try? hasher.hash(password) }), let fresh {
            try await store.updatePasswordHash(userID: user.id, passwordHash: fresh)
        }
        return try issueToken(for: user)
    }

    /// A token for `user` with `sub` (the user id), `iat` and `exp` claims.
    public func issueToken(for user: User) throws -> String {
        let issued = Int(now())
        let expires = issued + configuration.tokenLifetimeMinutes * 60
        return try JSONWebToken.sign(claims: [
            "sub": .string(String(user.id)), "iat": .int(issued), "exp": .int(expires),
        ], secret: configuration.secret)
    }

    // MARK: - Authentication

    /// The principal for a `Bearer` value: a JWT, or an API key (which the CLI may send either way).
    public func authenticate(bearer value: String) async throws -> Principal {
        if APIKey.looksLikeKey(value) { return try await authenticate(apiKey: value) }
        let claims: TokenClaims
        do {
            claims = try JSONWebToken.verify(value, secret: configuration.secret, now: now())
        } catch {
            throw AccountError.unauthorized(error.description)
        }
        guard let id = Int(claims.subject), let user = try await cachedUser(id), user.isActive else {
            throw AccountError.unauthorized("Could not validate credentials")
        }
        return Principal(userID: user.id, isAdmin: user.isAdmin, credential: .token)
    }

    /// The principal for a credential when it can be decided from memory alone (a signed token of
    /// a cached user, a cached key), so a request can be answered without suspending: `.success`
    /// or `.failure` when decided, `nil` when the store must be asked (`authenticate(bearer:)` or
    /// `authenticate(apiKey:)`).
    public func authenticateFromCache(bearer value: String?, apiKey: String?) -> Result<Principal, AccountError>? {
        if let apiKey { return authenticateKeyFromCache(apiKey) }
        guard let value else { return .failure(.unauthorized("Not authenticated")) }
        if APIKey.looksLikeKey(value) { return authenticateKeyFromCache(value) }
        let claims: TokenClaims
        do {
            claims = try JSONWebToken.verify(value, secret: configuration.secret, now: now())
        } catch {
            return .failure(.unauthorized(error.description))
        }
        guard let id = Int(claims.subject) else { return .failure(.unauthorized("Could not validate credentials")) }
        guard let user = userCache.withLock({ $0[id] }) else { return nil }
        guard user.isActive else { return .failure(.unauthorized("Could not validate credentials")) }
        return .success(Principal(userID: user.id, isAdmin: user.isAdmin, credential: .token))
    }

    private func authenticateKeyFromCache(_ key: String) -> Result<Principal, AccountError>? {
        guard APIKey.looksLikeKey(key) else { return .failure(.unauthorized("Invalid API key")) }
        let hash = APIKey.hash(key)
        guard let entry = keyCache.withLock({ $0[hash] }), now() - entry.touchedAt < Self.touchInterval,
              let user = userCache.withLock({ $0[entry.userID] }) else { return nil }
        guard user.isActive else { return .failure(.unauthorized("Invalid API key")) }
        return .success(Principal(userID: user.id, isAdmin: user.isAdmin, credential: .apiKey))
    }

    /// The principal for an `X-API-Key` value. Throws `unauthorized("Invalid API key")` for unknown
    /// and revoked keys alike.
    public func authenticate(apiKey: String) async throws -> Principal {
        guard APIKey.looksLikeKey(apiKey) else { throw AccountError.unauthorized("Invalid API key") }
        let hash = APIKey.hash(apiKey)
        let time = now()
        let cached = keyCache.withLock { $0[hash] }
        let entry: CachedKey
        if let cached {
            entry = cached
        } else {
            guard let stored = try await store.apiKey(hash: hash), stored.isActive else {
                throw AccountError.unauthorized("Invalid API key")
            }
            entry = CachedKey(keyID: stored.id, userID: stored.userID, touchedAt: 0)
        }
        guard let user = try await cachedUser(entry.userID), user.isActive else { throw AccountError.unauthorized("Invalid API key") }
        if time - entry.touchedAt >= Self.touchInterval {
            try await store.touchAPIKey(id: entry.keyID, at: time)
        }
        keyCache.withLock { cache in
            if cache.count >= Self.cacheCapacity { cache.removeAll() }
            var updated = entry
            if time - entry.touchedAt >= Self.touchInterval { updated.touchedAt = time }
            cache[hash] = updated
        }
        return Principal(userID: user.id, isAdmin: user.isAdmin, credential: .apiKey)
    }

    /// The principal a stream ticket was issued for (consumed). Throws `unauthorized` when unknown,
    /// used or expired.
    public func authenticate(ticket: String) throws -> Principal {
        guard let principal = tickets.redeem(ticket, now: now()) else {
            throw AccountError.unauthorized("Invalid or expired ticket")
        }
        return principal
    }

    /// A single-use ticket for opening one WebSocket or SSE stream as `principal`.
    public func issueTicket(for principal: Principal) throws -> String {
        try tickets.issue(for: principal, now: now())
    }

    // MARK: - API keys

    /// Makes a key for the caller; the plaintext is in the result and nowhere else.
    public func createAPIKey(for principal: Principal, name: String) async throws -> NewAPIKey {
        let trimmed = name.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty, trimmed.utf8.count <= 100 else { throw AccountError.badRequest("name must be 1 to 100 characters") }
        let key = try APIKey.generate()
        let record = try await store.insertAPIKey(userID: principal.userID, name: trimmed, keyHash: key.hash,
                                                  keyPrefix: key.prefix, createdAt: now())
        return NewAPIKey(record: record, plaintext: key.plaintext)
    }

    /// The caller's keys, newest first (prefixes only).
    public func apiKeys(for principal: Principal) async throws -> [StoredAPIKey] {
        try await store.apiKeys(userID: principal.userID)
    }

    /// Revokes one of the caller's keys, effective for the very next request.
    public func revokeAPIKey(id: Int, for principal: Principal) async throws {
        guard try await store.revokeAPIKey(id: id, userID: principal.userID) else {
            throw AccountError.notFound("API key not found")
        }
        keyCache.withLock { cache in cache = cache.filter { $0.value.keyID != id } }
    }

    // MARK: - Caches

    private func cachedUser(_ id: Int) async throws -> User? {
        if let user = userCache.withLock({ $0[id] }) { return user }
        guard let user = try await store.user(id: id) else { return nil }
        userCache.withLock { cache in
            if cache.count >= Self.cacheCapacity { cache.removeAll() }
            cache[id] = user
        }
        return user
    }
}
