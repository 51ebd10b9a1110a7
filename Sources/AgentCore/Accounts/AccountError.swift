/// Why the account or platform services refused a request. Each case maps to one HTTP status, and
/// `detail` is the text clients see (seed 003's `{"detail": …}`); no case ever carries a password,
/// a key or a token.
public enum AccountError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Missing, malformed, expired or revoked credentials (401).
    case unauthorized(String)
    /// A valid caller who may not do this (403).
    case forbidden(String)
    /// No such object, or one that belongs to somebody else (404: the two are not told apart).
    case notFound(String)
    /// A malformed or unacceptable request: bad field, duplicate username or email (400).
    case badRequest(String)
    /// Too many failed logins for this user name or client, or too many logins in progress (429).
    case tooManyAttempts(String, retryAfterSeconds: Int)
    /// An upload over `UPLOAD_MAX_SIZE` (413).
    case tooLarge(String)
    /// The store failed; nothing was changed (500).
    case storage(String)

    /// The HTTP status this error answers with.
    public var httpStatus: Int {
        switch self {
        case .unauthorized: 401
        case .forbidden: 403
        case .notFound: 404
        case .badRequest: 400
        case .tooManyAttempts: 429
        case .tooLarge: 413
        case .storage: 500
        }
    }

    /// What the client is told.
    public var detail: String {
        switch self {
        case .unauthorized(let text), .forbidden(let text), .notFound(let text), .badRequest(let text),
             .tooManyAttempts(let text, _), .tooLarge(let text), .storage(let text):
            text
        }
    }

    public var description: String { detail }
}
