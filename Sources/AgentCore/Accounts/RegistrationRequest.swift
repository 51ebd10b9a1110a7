/// What `POST /api/v1/auth/register` carries, checked by `AccountService.register`.
public struct RegistrationRequest: Sendable, Hashable {
    public var email: String
    public var username: String
    public var password: String
    public var fullName: String?

    public init(email: String, username: String, password: String, fullName: String? = nil) {
        self.email = email
        self.username = username
        self.password = password
        self.fullName = fullName
    }

    /// Longest accepted password, in bytes: hashing cost must not depend on attacker-chosen length.
    public static let maxPasswordBytes = 1024

    /// Refuses values the service will not store, naming the field.
    func validate() throws(AccountError) {
        let name = username.utf8
        guard (3...64).contains(name.count) else { throw .badRequest("username must be 3 to 64 characters") }
        guard name.allSatisfy({ Self.isNameByte($0) }) else {
            throw .badRequest("username may contain only letters, digits, '.', '_' and '-'")
        }
        guard email.utf8.count <= 254, Self.looksLikeEmail(email) else { throw .badRequest("email is not a valid email address") }
        guard password.count >= 8 else { throw .badRequest("password must be at least 8 characters") }
        guard password.utf8.count <= Self.maxPasswordBytes else {
            throw .badRequest("password must be at most \(Self.maxPasswordBytes) bytes")
        }
        if let fullName, fullName.utf8.count > 200 { throw .badRequest("full_name must be at most 200 bytes") }
    }

    private static func isNameByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "-"):
            true
        default:
            false
        }
    }

    /// One `@`, something before it, a dot after it, no spaces or control characters.
    private static func looksLikeEmail(_ text: String) -> Bool {
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[1].contains("."),
              !parts[1].hasPrefix("."), !parts[1].hasSuffix(".") else { return false }
        return text.unicodeScalars.allSatisfy { $0.value > 0x20 && $0.value != 0x7F }
    }
}
