import CCrypto

/// Hashes and verifies passwords with PBKDF2-HMAC-SHA-256 (RFC 8018 §5.2) from libcrypto.
///
/// Each hash gets a fresh 16-byte salt from `RAND_bytes` and is stored as a `PasswordHash` string
/// that names its cost, so `needsRehash(_:)` can tell at login when the cost has since been raised.
///
/// ```swift
/// let hasher = PasswordHasher()
/// let stored = try hasher.hash("correct horse")
/// hasher.verify("correct horse", against: stored)   // true
/// if hasher.needsRehash(stored) { /* store try hasher.hash(password) */ }
/// ```
public struct PasswordHasher: Sendable {
    /// OWASP's floor for PBKDF2-HMAC-SHA-256 (2023); about 0.2 s per hash on agentd's 2-core box.
    public static let defaultIterations = 600_000
    /// Salt length for new hashes (RFC 8018 §4.1 asks for at least 8 bytes).
    public static let saltLength = 16
    /// Derived-key length for new hashes: one SHA-256 block, so PBKDF2 runs its loop once.
    public static let keyLength = 32

    /// The iteration count new hashes use; stored hashes below it need a rehash.
    public let iterations: Int

    /// A hasher at `iterations` PBKDF2 rounds. Production uses the default; tests may go lower.
    ///
    /// - Precondition: `iterations` lies in `PasswordHash.iterationRange`.
    public init(iterations: Int = PasswordHasher.defaultIterations) {
        precondition(PasswordHash.iterationRange.contains(iterations), "PBKDF2 iteration count out of range")
        self.iterations = iterations
    }

    /// Hashes `password` (its UTF-8 bytes) with a new random salt.
    ///
    /// - Returns: The self-describing stored form, `pbkdf2-sha256$<iterations>$<salt>$<key>`.
    /// - Throws: `LibcryptoError` when libcrypto has no random bytes or cannot derive.
    public func hash(_ password: String) throws(LibcryptoError) -> String {
        let salt = try SecureRandom.bytes(Self.saltLength)
        let key = try Self.derive(password: Array(password.utf8), salt: salt, iterations: iterations,
                                  length: Self.keyLength)
        // The parts come from constants checked against the same ranges, so this cannot throw.
        guard let stored = try? PasswordHash(iterations: iterations, salt: salt, derivedKey: key) else {
            throw LibcryptoError(function: "PKCS5_PBKDF2_HMAC")
        }
        return stored.encoded
    }

    /// Whether `password` matches `stored`, derived at the stored cost and compared in constant time.
    ///
    /// A malformed `stored` string (wrong scheme, bad base64url, cost out of range) never matches.
    public func verify(_ password: String, against stored: String) -> Bool {
        guard let parsed = try? PasswordHash(parsing: stored),
              let key = try? Self.derive(password: Array(password.utf8), salt: parsed.salt,
                                         iterations: parsed.iterations, length: parsed.derivedKey.count)
        else { return false }
        return ConstantTime.equals(key, parsed.derivedKey)
    }

    /// Spends the same work as `verify` without a stored hash, and returns `false`.
    ///
    /// Login calls this for an unknown user so that "no such user" and "wrong password" take the
    /// same time and user names cannot be probed.
    public func verifyUnknownUser(_ password: String) -> Bool {
        let salt = [UInt8](repeating: 0, count: Self.saltLength)
        _ = try? Self.derive(password: Array(password.utf8), salt: salt, iterations: iterations, length: Self.keyLength)
        return false
    }

    /// Whether `stored` should be replaced with a fresh hash after a successful login: it is
    /// malformed, uses fewer iterations than this hasher, or has a shorter salt or key than new hashes.
    public func needsRehash(_ stored: String) -> Bool {
        guard let parsed = try? PasswordHash(parsing: stored) else { return true }
        return parsed.iterations < iterations
            || parsed.salt.count < Self.saltLength
            || parsed.derivedKey.count < Self.keyLength
    }

    /// PBKDF2 (RFC 8018 §5.2) with PRF = HMAC-SHA-256, through libcrypto's `PKCS5_PBKDF2_HMAC`.
    static func derive(password: [UInt8], salt: [UInt8], iterations: Int, length: Int) throws(LibcryptoError) -> [UInt8] {
        var key = [UInt8](repeating: 0, count: length)
        // Empty inputs still get a valid pointer; the lengths passed stay the real ones.
        let passwordBytes = password.isEmpty ? [0] : password
        let saltBytes = salt.isEmpty ? [0] : salt
        let status = passwordBytes.withUnsafeBufferPointer { passwordBuffer in
            saltBytes.withUnsafeBufferPointer { saltBuffer in
                key.withUnsafeMutableBufferPointer { output in
                    passwordBuffer.withMemoryRebound(to: CChar.self) { passwordChars in
                        PKCS5_PBKDF2_HMAC(passwordChars.baseAddress, Int32(password.count),
                                          saltBuffer.baseAddress, Int32(salt.count), Int32(iterations),
                                          EVP_sha256(), Int32(length), output.baseAddress)
                    }
                }
            }
        }
        guard status == 1 else { throw LibcryptoError(function: "PKCS5_PBKDF2_HMAC") }
        return key
    }
}
