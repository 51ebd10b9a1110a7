import Foundation

/// Masks secrets before they are shown (reliability-security §2.2.6): an API key keeps its
/// prefix and its last four characters, `sk-ant-api03-…` becoming `sk-ant-…abcd`.
enum SecretMask {
    /// The masked form of `secret`: `sk-ant-…abcd` for Anthropic keys, `abc…wxyz` for other long
    /// secrets, and `…` alone for short ones (showing part of a short secret gives too much away).
    static func mask(_ secret: String) -> String {
        guard secret.count >= 16 else { return "…" }
        let prefix = secret.hasPrefix("sk-ant-") ? "sk-ant-" : String(secret.prefix(3))
        return prefix + "…" + String(secret.suffix(4))
    }

    /// `url` without a password or user name in it (`https://user:pw@host` → `https://…@host`).
    static func maskURL(_ url: String) -> String {
        guard let scheme = url.range(of: "://") else { return url }
        let rest = url[scheme.upperBound...]
        let authority = rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        guard let at = authority.lastIndex(of: "@") else { return url }
        return String(url[..<scheme.upperBound]) + "…" + String(url[at...])
    }
}
