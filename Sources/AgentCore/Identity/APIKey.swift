/// A newly issued API key: `anymind_` followed by 32 random bytes in unpadded base64url.
///
/// Only `hash` (hex SHA-256) and `prefix` are stored; the plaintext is shown to the user once and
/// then dropped. A fast hash suffices because the key carries 256 random bits, and it lets the
/// middleware find a key with one lookup on a unique index over `hash`.
///
/// ```swift
/// let key = try APIKey.generate()
/// store(hash: key.hash, prefix: key.prefix)   // show key.plaintext once
/// // later, per request:
/// if APIKey.looksLikeKey(presented) { lookUp(hash: APIKey.hash(presented)) }
/// ```
public struct APIKey: Sendable, Equatable, CustomStringConvertible {
    /// What every key starts with, so leaked keys are recognisable to secret scanners.
    public static let marker = "anymind_"
    /// Random bytes per key.
    public static let randomByteCount = 32
    /// Characters kept as the displayable, non-secret prefix.
    public static let prefixLength = 12
    /// Total length: the marker plus 43 base64url characters for 32 bytes (RFC 4648 §5, no padding).
    public static let length = marker.utf8.count + 43

    /// The full key. Show it once; never store or log it.
    public let plaintext: String

    /// A fresh key from `RAND_bytes`.
    ///
    /// - Throws: `LibcryptoError` when libcrypto has no random bytes.
    public static func generate() throws(LibcryptoError) -> APIKey {
        APIKey(plaintext: marker + Base64URL.encode(try SecureRandom.bytes(randomByteCount)))
    }

    /// The value to store and index: lowercase hex SHA-256 of the key's UTF-8 bytes (64 characters).
    public static func hash(_ plaintext: String) -> String {
        SHA256.hex(Array(plaintext.utf8))
    }

    /// The first 12 characters (`anymind_` and 4 more), safe to list and log.
    public static func prefix(of plaintext: String) -> String {
        String(plaintext.prefix(prefixLength))
    }

    /// Whether `candidate` has a key's exact shape: the marker, then base64url that decodes to 32 bytes.
    /// Bearer values failing this are not API keys, so no lookup is made for them.
    public static func looksLikeKey(_ candidate: String) -> Bool {
        guard candidate.utf8.count == length, candidate.hasPrefix(marker) else { return false }
        // Checked on every request that carries a key, without decoding: 43 base64url characters
        // carry 258 bits, so 32 bytes exactly when the last one's two spare bits are zero
        // (RFC 4648 §3.5: canonical encoding).
        var last: UInt8 = 0
        for byte in candidate.utf8.dropFirst(marker.utf8.count) {
            guard let value = base64URLValue(byte) else { return false }
            last = value
        }
        return last & 0b11 == 0
    }

    /// The 6-bit value of a base64url character (RFC 4648 §5), nil for any other byte.
    private static func base64URLValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"): byte - UInt8(ascii: "A")
        case UInt8(ascii: "a")...UInt8(ascii: "z"): byte - UInt8(ascii: "a") + 26
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0") + 52
        case UInt8(ascii: "-"): 62
        case UInt8(ascii: "_"): 63
        default: nil
        }
    }

    /// `hash(plaintext)`.
    public var hash: String { Self.hash(plaintext) }
    /// `prefix(of: plaintext)`.
    public var prefix: String { Self.prefix(of: plaintext) }

    /// The prefix and an ellipsis, so printing a key by accident does not leak it.
    public var description: String { "APIKey(\(prefix)…)" }
}
