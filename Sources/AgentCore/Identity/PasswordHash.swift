/// A stored password hash in agentd's self-describing text form.
///
/// The form is `pbkdf2-sha256$<iterations>$<salt>$<derived key>`, with salt and key in unpadded
/// base64url (RFC 4648 §5). Naming the algorithm and cost in the string lets agentd raise the cost
/// later and rehash each password at its owner's next login.
///
/// ```swift
/// let stored = try PasswordHash(parsing: "pbkdf2-sha256$600000$c2FsdHNhbHRzYWx0c2FsdA$…")
/// stored.iterations   // 600000
/// ```
public struct PasswordHash: Sendable, Equatable {
    /// The scheme name that starts every stored hash: PBKDF2 (RFC 8018 §5.2) with HMAC-SHA-256 as PRF.
    public static let scheme = "pbkdf2-sha256"
    /// Iteration counts accepted when parsing. The ceiling stops a tampered row from pinning a core.
    public static let iterationRange = 1...10_000_000
    /// Salt lengths accepted when parsing, in bytes (RFC 8018 §4.1 asks for at least 8).
    public static let saltLengthRange = 8...64
    /// Derived-key lengths accepted when parsing, in bytes.
    public static let keyLengthRange = 16...64

    /// The PBKDF2 iteration count `c` (RFC 8018 §5.2).
    public let iterations: Int
    /// The random salt `S`.
    public let salt: [UInt8]
    /// The derived key `DK`; its length is the `dkLen` to derive with when verifying.
    public let derivedKey: [UInt8]

    /// A hash from its parts; they must lie within the accepted ranges.
    public init(iterations: Int, salt: [UInt8], derivedKey: [UInt8]) throws(PasswordHashFormatError) {
        guard Self.iterationRange.contains(iterations) else { throw .init("iteration count out of range") }
        guard Self.saltLengthRange.contains(salt.count) else { throw .init("salt length out of range") }
        guard Self.keyLengthRange.contains(derivedKey.count) else { throw .init("derived key length out of range") }
        self.iterations = iterations
        self.salt = salt
        self.derivedKey = derivedKey
    }

    /// Parses the stored text form.
    ///
    /// - Throws: `PasswordHashFormatError` naming the first problem; the text itself is never echoed.
    public init(parsing text: String) throws(PasswordHashFormatError) {
        let fields = text.split(separator: "$", omittingEmptySubsequences: false)
        guard fields.count == 4 else { throw .init("expected 4 fields separated by $, found \(fields.count)") }
        guard fields[0] == Self.scheme else { throw .init("unknown scheme") }
        guard let iterations = Self.parseDecimal(fields[1]) else { throw .init("iteration count is not a decimal number") }
        guard let salt = Base64URL.decode(fields[2]) else { throw .init("salt is not base64url") }
        guard let key = Base64URL.decode(fields[3]) else { throw .init("derived key is not base64url") }
        try self.init(iterations: iterations, salt: salt, derivedKey: key)
    }

    /// The stored text form.
    public var encoded: String {
        "\(Self.scheme)$\(iterations)$\(Base64URL.encode(salt))$\(Base64URL.encode(derivedKey))"
    }

    /// Plain ASCII digits without sign or leading zero, at most 8 of them (so no overflow).
    private static func parseDecimal(_ field: Substring) -> Int? {
        let digits = Array(field.utf8)
        guard (1...8).contains(digits.count), digits[0] != UInt8(ascii: "0") else { return nil }
        var value = 0
        for digit in digits {
            guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(digit) else { return nil }
            value = value * 10 + Int(digit - UInt8(ascii: "0"))
        }
        return value
    }
}

/// A stored password hash that agentd cannot read.
public struct PasswordHashFormatError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What is wrong, without the stored text (it is secret material).
    public let reason: String

    init(_ reason: String) { self.reason = reason }

    public var description: String { "malformed stored password hash: \(reason)" }
}
