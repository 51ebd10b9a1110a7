/// Why a bearer token was refused. Every case maps to HTTP 401 with `description` as the detail.
///
/// Details name the rule that failed but never echo the token, its claims or the secret.
public enum TokenError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The token is not a well-formed JWS compact serialization with JSON header and payload.
    case malformed(String)
    /// The header's `alg` is anything but `HS256` (`none`, `HS512` and `RS256` included).
    case unsupportedAlgorithm(String)
    /// The signature does not match the header and payload under agentd's secret.
    case badSignature
    /// A required claim (`exp`, `sub`) is absent.
    case missingClaim(String)
    /// A claim has the wrong type, such as a string `exp` or an empty `sub`.
    case invalidClaim(String)
    /// `exp` plus the leeway lies in the past.
    case expired
    /// `nbf` lies further in the future than the leeway allows.
    case notYetValid

    /// The HTTP status every token failure answers with.
    public var httpStatus: Int { 401 }

    public var description: String {
        switch self {
        case .malformed(let detail): "malformed token: \(detail)"
        case .unsupportedAlgorithm(let alg): "token algorithm \"\(alg)\" is not accepted; only HS256 is"
        case .badSignature: "token signature is invalid"
        case .missingClaim(let name): "token has no \"\(name)\" claim"
        case .invalidClaim(let name): "token claim \"\(name)\" is invalid"
        case .expired: "token has expired"
        case .notYetValid: "token is not valid yet (nbf is in the future)"
        }
    }
}
