/// JSON Web Tokens (RFC 7519) signed with HMAC-SHA-256 in JWS compact form (RFC 7515 §7.1).
///
/// agentd accepts exactly one algorithm, HS256 (RFC 7518 §3.2), keyed with the raw bytes of its
/// secret. Following RFC 8725 §3.1, the algorithm is fixed here, not taken from the token: `none`,
/// `HS512`, `RS256` and every other value are refused before any signature is computed.
///
/// ```swift
/// let secret = Array(secretKey.utf8)
/// let token = try JSONWebToken.sign(claims: ["sub": "user-1", "exp": .int(now + 3600)], secret: secret)
/// let claims = try JSONWebToken.verify(token, secret: secret, now: Double(now))
/// claims.subject   // "user-1"
/// ```
public enum JSONWebToken {
    /// The only accepted `alg` (RFC 7518 §3.1).
    public static let algorithm = "HS256"
    /// Tokens longer than this are refused unparsed (RFC 8725 §3.1 hygiene against oversized input).
    public static let maximumLength = 8192
    /// Clock skew tolerated on `exp` and `nbf` by default, in seconds.
    public static let defaultLeeway: Double = 30
    /// RFC 7518 §3.2: an HS256 key must be at least as long as the hash output (32 bytes).
    /// Configuration checks secrets against this; `sign` and `verify` take what they are given.
    public static let minimumSecretLength = 32

    /// Signs `claims` with HS256 under `secret`.
    ///
    /// The header is `{"alg":"HS256","typ":"JWT"}`; header and claims are compact JSON with sorted keys.
    ///
    /// - Parameters:
    ///   - claims: The payload; callers include at least `sub` and `exp` or `verify` will refuse it.
    ///   - secret: The raw key bytes.
    /// - Returns: `header.payload.signature`, each segment unpadded base64url.
    /// - Throws: `LibcryptoError` only when libcrypto cannot allocate.
    public static func sign(claims: [String: JSONValue], secret: [UInt8]) throws(LibcryptoError) -> String {
        let header: JSONValue = ["alg": .string(algorithm), "typ": "JWT"]
        // RFC 7515 §5.1 steps 2–6: encode header and payload, then sign ASCII(header "." payload).
        let signingInput = Base64URL.encode(header.serializedBytes()) + "." + Base64URL.encode(JSONValue.object(claims).serializedBytes())
        let signature = try HMACSHA256.authenticate(key: secret, message: Array(signingInput.utf8))
        return signingInput + "." + Base64URL.encode(signature)
    }

    /// Verifies `token` and returns its claims.
    ///
    /// The checks run in this order: size and shape, header, algorithm, signature, then the
    /// payload's JSON and the `exp`, `nbf`, `iat` and `sub` claims.
    ///
    /// - Parameters:
    ///   - token: The compact serialization, without any `Bearer ` prefix.
    ///   - secret: The raw key bytes it must be signed with.
    ///   - now: The current time in seconds since the Unix epoch.
    ///   - leeway: Seconds of clock skew allowed past `exp` and before `nbf`.
    /// - Throws: `TokenError` naming the first rule the token breaks.
    public static func verify(_ token: String, secret: [UInt8], now: Double,
                              leeway: Double = defaultLeeway) throws(TokenError) -> TokenClaims {
        let bytes = Array(token.utf8)
        guard bytes.count <= maximumLength else { throw .malformed("token is longer than \(maximumLength) bytes") }
        // RFC 7515 §7.1: compact JWS is exactly three segments (five would be JWE, which we do not accept).
        let segments = bytes.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        guard segments.count == 3 else { throw .malformed("expected 3 dot-separated segments, found \(segments.count)") }

        // RFC 7519 §7.2 steps 2–5: decode the header and require a JSON object.
        let header = try decodeObject(segments[0], part: "header")
        guard let alg = header["alg"] else { throw .malformed("header has no \"alg\"") }
        guard let algName = alg.stringValue else { throw .malformed("header \"alg\" is not a string") }
        // RFC 8725 §3.1 / RFC 7515 §4.1.1: compare against the one algorithm we use, never dispatch on it.
        guard algName == algorithm else { throw .unsupportedAlgorithm(String(algName.prefix(32))) }
        // RFC 7515 §4.1.11: a "crit" extension we do not implement makes the JWS invalid.
        guard header["crit"] == nil else { throw .malformed("header lists critical extensions, none are supported") }

        guard let payloadBytes = Base64URL.decode(String(decoding: segments[1], as: UTF8.self)) else {
            throw .malformed("payload is not base64url")
        }
        guard let signature = Base64URL.decode(String(decoding: segments[2], as: UTF8.self)) else {
            throw .malformed("signature is not base64url")
        }
        // RFC 7515 §5.2 step 8: the MAC covers the segments exactly as sent, ASCII(header "." payload).
        let signingInput = Array(bytes[0..<(segments[0].count + 1 + segments[1].count)])
        guard let expected = try? HMACSHA256.authenticate(key: secret, message: signingInput),
              expected.count == 32, ConstantTime.equals(signature, expected)
        else { throw .badSignature }

        // RFC 7519 §7.2 step 10: the claims set must be a JSON object.
        let claims = try parseObject(payloadBytes, part: "payload")
        return try checkClaims(claims, now: now, leeway: max(leeway, 0))
    }

    // MARK: - Private

    private static func decodeObject(_ segment: ArraySlice<UInt8>, part: String) throws(TokenError) -> [String: JSONValue] {
        guard let decoded = Base64URL.decode(String(decoding: segment, as: UTF8.self)) else {
            throw .malformed("\(part) is not base64url")
        }
        return try parseObject(decoded, part: part)
    }

    private static func parseObject(_ bytes: [UInt8], part: String) throws(TokenError) -> [String: JSONValue] {
        guard let value = try? JSONValue(parsing: bytes) else { throw .malformed("\(part) is not JSON") }
        guard let object = value.objectValue else { throw .malformed("\(part) is not a JSON object") }
        return object
    }

    private static func checkClaims(_ claims: [String: JSONValue], now: Double, leeway: Double) throws(TokenError) -> TokenClaims {
        // RFC 7519 §4.1.4: reject at or after exp (agentd requires exp on every token).
        guard let expClaim = claims["exp"] else { throw .missingClaim("exp") }
        guard let exp = numericDate(expClaim) else { throw .invalidClaim("exp") }
        guard now < exp + leeway else { throw .expired }
        // RFC 7519 §4.1.5: reject before nbf.
        var notBefore: Double?
        if let nbfClaim = claims["nbf"] {
            guard let nbf = numericDate(nbfClaim) else { throw .invalidClaim("nbf") }
            guard now + leeway >= nbf else { throw .notYetValid }
            notBefore = nbf
        }
        var issuedAt: Double?
        if let iatClaim = claims["iat"] {
            guard let iat = numericDate(iatClaim) else { throw .invalidClaim("iat") }
            issuedAt = iat
        }
        // RFC 7519 §4.1.2: sub is a StringOrURI; agentd needs a non-empty one to find the user.
        guard let subClaim = claims["sub"] else { throw .missingClaim("sub") }
        guard let subject = subClaim.stringValue, !subject.isEmpty else { throw .invalidClaim("sub") }
        return TokenClaims(subject: subject, expiresAt: exp, notBefore: notBefore, issuedAt: issuedAt, all: claims)
    }

    /// RFC 7519 §2 NumericDate: a JSON number of seconds since the epoch (fractions allowed).
    private static func numericDate(_ value: JSONValue) -> Double? {
        guard let seconds = value.doubleValue, seconds.isFinite else { return nil }
        return seconds
    }
}
