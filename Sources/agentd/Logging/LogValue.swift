import AgentCore

/// A value attached to a log line: written bare in text lines and typed in JSON lines.
enum LogValue: Sendable, Hashable, ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral {
    case string(String)
    case int(Int)
    case double(Double)
    case bool(Bool)

    init(stringLiteral value: String) { self = .string(value) }
    init(integerLiteral value: Int) { self = .int(value) }
    init(booleanLiteral value: Bool) { self = .bool(value) }

    /// The value as JSON.
    var json: JSONValue {
        switch self {
        case .string(let s): .string(s)
        case .int(let n): .int(n)
        case .double(let d): .double(d)
        case .bool(let b): .bool(b)
        }
    }

    /// The value in a text line: numbers and words bare; anything with spaces, quotes, `=`, a backslash
    /// or control characters quoted as a JSON string.
    var text: String {
        switch self {
        case .int(let n): return String(n)
        case .double(let d): return String(d)
        case .bool(let b): return b ? "true" : "false"
        case .string(let s):
            let plain = !s.isEmpty && s.unicodeScalars.allSatisfy {
                $0.value > 0x20 && !(0x7F...0x9F).contains($0.value) && !$0.properties.isWhitespace && !"\"=\\".unicodeScalars.contains($0)
            }
            return plain ? s : JSONValue.string(s).serialized()
        }
    }
}
