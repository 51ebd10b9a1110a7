/// The claims of a token whose signature and time window have been checked.
public struct TokenClaims: Sendable, Equatable {
    /// `sub` (RFC 7519 §4.1.2): the user the token speaks for.
    public let subject: String
    /// `exp` (RFC 7519 §4.1.4) in seconds since the Unix epoch.
    public let expiresAt: Double
    /// `nbf` (RFC 7519 §4.1.5), when present.
    public let notBefore: Double?
    /// `iat` (RFC 7519 §4.1.6), when present.
    public let issuedAt: Double?
    /// Every claim, registered or not, as sent.
    public let all: [String: JSONValue]
}
