import Foundation

/// Turns the `DATABASE_URL` setting into a SQLite file path.
///
/// Accepted forms (SQLAlchemy's, which the reference deployment uses, plus plain paths):
///
/// | value | path |
/// |---|---|
/// | `sqlite:////var/lib/agentd/agentd.db` | `/var/lib/agentd/agentd.db` (absolute: four slashes) |
/// | `sqlite:///data/agentd.db` | `data/agentd.db` (relative to the working directory: three slashes) |
/// | `sqlite:data/agentd.db`, `sqlite:/abs/agentd.db` | the path after `sqlite:` |
/// | `/var/lib/agentd/agentd.db`, `data/agentd.db` | the path itself |
///
/// Other schemes (`postgres://`, `mysql://`, …), a host (`sqlite://host/x.db`), query parameters and
/// in-memory databases are refused: the store must be a durable local file.
public enum DatabaseURL {
    /// The name of the setting, used in error messages.
    public static let variableName = "DATABASE_URL"

    /// The embedded default: `data/agentd.db` under the working directory (seed 000 keeps its
    /// database in `data/` the same way).
    public static let defaultValue = "sqlite:///data/agentd.db"

    /// The file path the `DATABASE_URL` variable of `environment` names, or the default's path
    /// when it is unset or empty.
    public static func path(environment: [String: String]) throws(DatabaseURLError) -> String {
        let value = environment[variableName].flatMap { $0.trimmingCharacters(in: .whitespaces).isEmpty ? nil : $0 }
        return try path(from: value ?? defaultValue)
    }

    /// The file path `value` names.
    ///
    /// - Throws: `DatabaseURLError` explaining what is wrong and which forms are accepted.
    public static func path(from value: String) throws(DatabaseURLError) -> String {
        let text = value.trimmingCharacters(in: .whitespaces)
        guard !text.isEmpty else { throw DatabaseURLError("\(variableName) is empty") }
        let path: String
        if let range = text.range(of: "://"), isScheme(text[..<range.lowerBound]) {
            let scheme = text[..<range.lowerBound].lowercased()
            guard scheme == "sqlite" || scheme == "sqlite3" else {
                throw DatabaseURLError("\(variableName) uses the '\(scheme)' scheme; agentd stores sessions in SQLite only")
            }
            let rest = text[range.upperBound...]
            guard rest.hasPrefix("/") else {
                throw DatabaseURLError("\(variableName) names a host ('\(rest.prefix { $0 != "/" })'); a SQLite URL has none")
            }
            path = String(rest.dropFirst())
        } else if text.lowercased().hasPrefix("sqlite:") {
            path = String(text.dropFirst("sqlite:".count))
        } else {
            path = text
        }
        guard !path.contains("?") else { throw DatabaseURLError("\(variableName) has query parameters, which agentd does not support") }
        guard let decoded = path.removingPercentEncoding, !decoded.isEmpty else {
            throw DatabaseURLError("\(variableName) names no database file")
        }
        guard decoded != ":memory:", !decoded.hasPrefix("file:") else {
            throw DatabaseURLError("\(variableName) must name a database file (an in-memory database would lose every session)")
        }
        return decoded
    }

    private static func isScheme(_ text: Substring) -> Bool {
        guard let first = text.first, first.isASCII, first.isLetter else { return false }
        return text.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "+.-".contains($0)) }
    }
}

/// A `DATABASE_URL` agentd cannot use.
public struct DatabaseURLError: Error, Sendable, Hashable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }

    public var description: String {
        message + " (expected sqlite:////absolute/path.db, sqlite:///relative/path.db or a file path)"
    }
}
