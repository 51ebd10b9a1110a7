/// How the account service signs tokens, hashes passwords and throttles logins.
public struct AccountConfiguration: Sendable {
    /// The raw `SECRET_KEY` bytes tokens are signed with (at least 32, RFC 7518 §3.2).
    public var secret: [UInt8]
    /// `ACCESS_TOKEN_EXPIRE_MINUTES` (seed 003: 30).
    public var tokenLifetimeMinutes: Int
    /// PBKDF2 iterations for new hashes (≥ 600,000 in production; tests may lower it).
    public var passwordIterations: Int
    /// Whether anyone may register through the API (`--no-registration` turns it off).
    public var registrationOpen: Bool
    public var loginLimits: LoginThrottle.Limits
    /// Password hashes computed at once, and how many more may wait.
    public var hashingConcurrency: Int
    public var hashingMaxWaiting: Int

    public init(secret: [UInt8], tokenLifetimeMinutes: Int = 30, passwordIterations: Int = PasswordHasher.defaultIterations,
                registrationOpen: Bool = true, loginLimits: LoginThrottle.Limits = LoginThrottle.Limits(),
                hashingConcurrency: Int = 2, hashingMaxWaiting: Int = 32) {
        self.secret = secret
        self.tokenLifetimeMinutes = tokenLifetimeMinutes
        self.passwordIterations = passwordIterations
        self.registrationOpen = registrationOpen
        self.loginLimits = loginLimits
        self.hashingConcurrency = hashingConcurrency
        self.hashingMaxWaiting = hashingMaxWaiting
    }
}
