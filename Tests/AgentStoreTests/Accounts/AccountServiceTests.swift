import AgentCore
import AgentTesting
import Foundation
import Synchronization
import Testing
@testable import AgentStore

/// A clock the test moves by hand.
final class TestTime: Sendable {
    private let seconds = Mutex<Double>(1_800_000_000)
    var now: Double { seconds.withLock { $0 } }
    func advance(_ by: Double) { seconds.withLock { $0 += by } }
}

/// Users, logins, tokens and API keys through `AccountService` on a real SQLite file.
@Suite("Accounts", .timeLimit(.minutes(2)))
struct AccountServiceTests {
    /// A service on a fresh database, with a clock the test moves and cheap password hashing.
    final class Fixture: Sendable {
        let directory: TemporaryDirectory
        let store: SQLiteSessionStore
        let accounts: AccountService
        let clock = TestTime()

        init(iterations: Int = 1_000, limits: LoginThrottle.Limits = LoginThrottle.Limits(), registrationOpen: Bool = true) throws {
            directory = try TemporaryDirectory()
            store = try SQLiteSessionStore(path: directory.file("agentd.db"))
            let secret = Array("an-agentd-test-secret-of-32-bytes-or-more".utf8)
            let clock = self.clock
            accounts = AccountService(store: store.accounts,
                                      configuration: AccountConfiguration(secret: secret, passwordIterations: iterations,
                                                                          registrationOpen: registrationOpen, loginLimits: limits),
                                      now: { clock.now })
        }

        func advance(_ seconds: Double) { clock.advance(seconds) }

        func register(_ name: String, password: String = "correct horse battery") async throws -> User {
            try await accounts.register(RegistrationRequest(email: "\(name)@example.com", username: name, password: password))
        }

        deinit {
            store.close()
            directory.remove()
        }
    }

    @Test("register then log in: the token names the user, and `me` reads them back")
    func registerAndLogin() async throws {
        let fixture = try Fixture()
        let user = try await fixture.register("ada")
        #expect(user.id > 0 && user.isActive && !user.isAdmin)
        let token = try await fixture.accounts.login(username: "ada", password: "correct horse battery", client: "10.0.0.1")
        let principal = try await fixture.accounts.authenticate(bearer: token)
        #expect(principal == Principal(userID: user.id, isAdmin: false, credential: .token))
        #expect(try await fixture.accounts.user(for: principal).username == "ada")
        // The stored hash is self-describing PBKDF2, never the password.
        let stored = try #require(try await fixture.store.accounts.user(id: user.id))
        #expect(stored.passwordHash.hasPrefix("pbkdf2-sha256$"))
        #expect(!stored.passwordHash.contains("correct horse"))
    }

    @Test("a taken user name or email is refused whatever its case, naming which")
    func duplicates() async throws {
        let fixture = try Fixture()
        _ = try await fixture.register("ada")
        await #expect(throws: AccountError.badRequest("Username already registered")) {
            try await fixture.accounts.register(RegistrationRequest(email: "other@example.com", username: "ADA", password: "long enough"))
        }
        await #expect(throws: AccountError.badRequest("Email already registered")) {
            try await fixture.accounts.register(RegistrationRequest(email: "Ada@Example.com", username: "ada2", password: "long enough"))
        }
        #expect(try await fixture.accounts.users().count == 1)
    }

    @Test("invalid fields are refused with what is wrong", arguments: [
        (RegistrationRequest(email: "a@b.io", username: "ab", password: "long enough"), "username must be 3 to 64 characters"),
        (RegistrationRequest(email: "a@b.io", username: "a b c", password: "long enough"), "username may contain only letters, digits, '.', '_' and '-'"),
        (RegistrationRequest(email: "not-an-email", username: "abc", password: "long enough"), "email is not a valid email address"),
        (RegistrationRequest(email: "a@b.io", username: "abc", password: "short"), "password must be at least 8 characters"),
    ])
    func invalidRegistrations(request: RegistrationRequest, detail: String) async throws {
        let fixture = try Fixture()
        await #expect(throws: AccountError.badRequest(detail)) { try await fixture.accounts.register(request) }
    }

    @Test("closed registration refuses with 403; the host can still add users")
    func closedRegistration() async throws {
        let fixture = try Fixture(registrationOpen: false)
        await #expect(throws: AccountError.forbidden("Registration is closed on this server")) { try await fixture.register("ada") }
        let admin = try await fixture.accounts.addUser(RegistrationRequest(email: "root@example.com", username: "root", password: "long enough"),
                                                       isAdmin: true)
        #expect(admin.isAdmin)
    }

    @Test("wrong password and unknown user answer alike; five failures for a name answer 429 until the window passes")
    func loginThrottling() async throws {
        let fixture = try Fixture(limits: LoginThrottle.Limits(failuresPerUsername: 5, failuresPerClient: 100, window: 300))
        _ = try await fixture.register("ada")
        await #expect(throws: AccountError.unauthorized("Incorrect username or password")) {
            try await fixture.accounts.login(username: "nobody", password: "whatever1", client: "10.0.0.1")
        }
        for _ in 0..<5 {
            await #expect(throws: AccountError.unauthorized("Incorrect username or password")) {
                try await fixture.accounts.login(username: "ada", password: "wrong password", client: "10.0.0.2")
            }
        }
        // Even the right password is refused while the name is locked.
        do {
            _ = try await fixture.accounts.login(username: "ada", password: "correct horse battery", client: "10.0.0.3")
            Issue.record("a locked user name logged in")
        } catch let error as AccountError {
            #expect(error.httpStatus == 429)
            guard case .tooManyAttempts(_, let wait) = error else { Issue.record("\(error)"); return }
            #expect((1...300).contains(wait))
        }
        fixture.advance(301)
        let token = try await fixture.accounts.login(username: "ada", password: "correct horse battery", client: "10.0.0.3")
        #expect(!token.isEmpty)
    }

    @Test("too many failures from one client lock that client out for every user name")
    func clientThrottling() async throws {
        let fixture = try Fixture(limits: LoginThrottle.Limits(failuresPerUsername: 100, failuresPerClient: 3, window: 60))
        _ = try await fixture.register("ada")
        for name in ["x1", "x2", "x3"] {
            await #expect(throws: AccountError.unauthorized("Incorrect username or password")) {
                try await fixture.accounts.login(username: name, password: "wrong password", client: "10.9.9.9")
            }
        }
        await #expect(throws: AccountError.self) {
            try await fixture.accounts.login(username: "ada", password: "correct horse battery", client: "10.9.9.9")
        }
        // Another client is not affected.
        _ = try await fixture.accounts.login(username: "ada", password: "correct horse battery", client: "10.0.0.1")
    }

    @Test("tokens expire after ACCESS_TOKEN_EXPIRE_MINUTES (with 30 s of skew allowed)")
    func tokenExpiry() async throws {
        let fixture = try Fixture()
        let user = try await fixture.register("ada")
        let token = try fixture.accounts.issueToken(for: user)
        fixture.advance(30 * 60 - 1)
        _ = try await fixture.accounts.authenticate(bearer: token)
        fixture.advance(40)
        await #expect(throws: AccountError.unauthorized("token has expired")) { try await fixture.accounts.authenticate(bearer: token) }
        #expect(fixture.accounts.authenticateFromCache(bearer: token, apiKey: nil).map { (try? $0.get()) == nil } == true)
    }

    @Test("a token signed with another secret, or for a user that does not exist, is refused")
    func foreignTokens() async throws {
        let fixture = try Fixture()
        let user = try await fixture.register("ada")
        let forged = try JSONWebToken.sign(claims: ["sub": .string(String(user.id)), "exp": .int(1_900_000_000)],
                                           secret: Array("another-secret-another-secret-another!".utf8))
        await #expect(throws: AccountError.unauthorized("token signature is invalid")) { try await fixture.accounts.authenticate(bearer: forged) }
        let ghost = try JSONWebToken.sign(claims: ["sub": "999", "exp": .int(1_900_000_000)],
                                          secret: Array("an-agentd-test-secret-of-32-bytes-or-more".utf8))
        await #expect(throws: AccountError.unauthorized("Could not validate credentials")) { try await fixture.accounts.authenticate(bearer: ghost) }
    }

    @Test("API keys: shown once, stored only as SHA-256, usable by X-API-Key or Bearer, revoked at once")
    func apiKeys() async throws {
        let fixture = try Fixture()
        let user = try await fixture.register("ada")
        let caller = Principal(userID: user.id, isAdmin: false, credential: .token)
        let key = try await fixture.accounts.createAPIKey(for: caller, name: "cli")
        #expect(key.plaintext.hasPrefix("anymind_") && key.plaintext.count == APIKey.length)
        #expect(key.record.keyPrefix == String(key.plaintext.prefix(12)))
        #expect(try await fixture.accounts.authenticate(apiKey: key.plaintext).userID == user.id)
        #expect(try await fixture.accounts.authenticate(bearer: key.plaintext).credential == .apiKey)
        // After one use, the key is answered from memory.
        #expect(try fixture.accounts.authenticateFromCache(bearer: nil, apiKey: key.plaintext)?.get().userID == user.id)
        let listed = try await fixture.accounts.apiKeys(for: caller)
        #expect(listed.map(\.id) == [key.record.id])
        #expect(listed[0].lastUsedAt == 1_800_000_000)

        try await fixture.accounts.revokeAPIKey(id: key.record.id, for: caller)
        #expect(fixture.accounts.authenticateFromCache(bearer: nil, apiKey: key.plaintext) == nil)
        await #expect(throws: AccountError.unauthorized("Invalid API key")) { try await fixture.accounts.authenticate(apiKey: key.plaintext) }
        #expect(try await fixture.accounts.apiKeys(for: caller).first?.isActive == false)

        // The plaintext is nowhere in the database file (or its WAL).
        fixture.store.close()
        for file in try FileManager.default.contentsOfDirectory(atPath: fixture.directory.path) {
            let bytes = try Data(contentsOf: URL(fileURLWithPath: fixture.directory.file(file)))
            #expect(bytes.range(of: Data(key.plaintext.utf8)) == nil, "plaintext key found in \(file)")
            #expect(bytes.range(of: Data("correct horse battery".utf8)) == nil, "password found in \(file)")
        }
    }

    @Test("another user's key id cannot be revoked (404)")
    func revokeOthersKey() async throws {
        let fixture = try Fixture()
        let ada = try await fixture.register("ada")
        let bob = try await fixture.register("bob")
        let key = try await fixture.accounts.createAPIKey(for: Principal(userID: ada.id, isAdmin: false, credential: .token), name: "k")
        await #expect(throws: AccountError.notFound("API key not found")) {
            try await fixture.accounts.revokeAPIKey(id: key.record.id, for: Principal(userID: bob.id, isAdmin: false, credential: .token))
        }
        #expect(try await fixture.accounts.authenticate(apiKey: key.plaintext).userID == ada.id)
    }

    @Test("a stream ticket works once, and not after its lifetime")
    func tickets() async throws {
        let fixture = try Fixture()
        let user = try await fixture.register("ada")
        let principal = Principal(userID: user.id, isAdmin: false, credential: .token)
        let ticket = try fixture.accounts.issueTicket(for: principal)
        #expect(try fixture.accounts.authenticate(ticket: ticket) == principal)
        #expect(throws: AccountError.unauthorized("Invalid or expired ticket")) { try fixture.accounts.authenticate(ticket: ticket) }
        let late = try fixture.accounts.issueTicket(for: principal)
        fixture.advance(61)
        #expect(throws: AccountError.self) { try fixture.accounts.authenticate(ticket: late) }
    }

    @Test("a login whose hash is cheaper than the configured cost is re-hashed at the new cost")
    func rehashOnLogin() async throws {
        let cheap = try Fixture(iterations: 1_000)
        let user = try await cheap.register("ada")
        let stronger = AccountService(store: cheap.store.accounts,
                                      configuration: AccountConfiguration(secret: Array("an-agentd-test-secret-of-32-bytes-or-more".utf8),
                                                                          passwordIterations: 2_000))
        _ = try await stronger.login(username: "ada", password: "correct horse battery", client: "c")
        let stored = try #require(try await cheap.store.accounts.user(id: user.id))
        #expect(try PasswordHash(parsing: stored.passwordHash).iterations == 2_000)
    }
}
