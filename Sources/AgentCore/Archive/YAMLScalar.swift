/// Scalar decoding for `ManifestYAML` (YAML 1.2.2 §7.3 flow scalar styles, §10.3 core schema).
enum YAMLScalar {
    static func plain(_ text: String) -> JSONValue {
        switch text {
        case "null", "Null", "NULL", "~": return .null
        case "true", "True", "TRUE": return .bool(true)
        case "false", "False", "FALSE": return .bool(false)
        default: break
        }
        let digits = text.hasPrefix("-") || text.hasPrefix("+") ? text.dropFirst() : Substring(text)
        if !digits.isEmpty, digits.allSatisfy(\.isASCII), digits.allSatisfy(\.isNumber), let value = Int(text) {
            return .int(value)
        }
        if text.contains("."), text.allSatisfy({ "0123456789.+-eE".contains($0) }), let value = Double(text) {
            return .double(value)
        }
        return .string(text)
    }

    /// `'...'` where `''` is a quote (YAML 1.2.2 §7.3.2); only whitespace may follow the closing quote.
    static func singleQuoted(_ text: Substring, line: Int) throws -> String {
        var result = ""
        var index = text.index(after: text.startIndex)
        while index < text.endIndex {
            let character = text[index]
            index = text.index(after: index)
            if character == "'" {
                if index < text.endIndex, text[index] == "'" {
                    result.append("'")
                    index = text.index(after: index)
                    continue
                }
                try expectEnd(text[index...], line: line)
                return result
            }
            result.append(character)
        }
        throw ManifestYAMLError(line: line, message: "unterminated single-quoted string")
    }

    /// `"..."` with backslash escapes (YAML 1.2.2 §5.7).
    static func doubleQuoted(_ text: Substring, line: Int) throws -> String {
        var result = ""
        var scalars = text.unicodeScalars.dropFirst()[...]
        while let scalar = scalars.popFirst() {
            switch scalar {
            case "\"":
                try expectEnd(Substring(scalars), line: line)
                return result
            case "\\":
                guard let escape = scalars.popFirst() else { break }
                switch escape {
                case "n": result.append("\n")
                case "t": result.append("\t")
                case "r": result.append("\r")
                case "0": result.append("\0")
                case "\\", "\"", "/", " ": result.unicodeScalars.append(escape)
                case "x", "u", "U":
                    let width = escape == "x" ? 2 : escape == "u" ? 4 : 8
                    let hex = String(String.UnicodeScalarView(scalars.prefix(width)))
                    guard hex.count == width, let code = UInt32(hex, radix: 16), let decoded = Unicode.Scalar(code) else {
                        throw ManifestYAMLError(line: line, message: "invalid \\\(escape) escape")
                    }
                    scalars = scalars.dropFirst(width)
                    result.unicodeScalars.append(decoded)
                default:
                    throw ManifestYAMLError(line: line, message: "unknown escape \"\\\(escape)\"")
                }
            default:
                result.unicodeScalars.append(scalar)
            }
        }
        throw ManifestYAMLError(line: line, message: "unterminated double-quoted string")
    }

    private static func expectEnd(_ rest: Substring, line: Int) throws {
        guard rest.allSatisfy({ $0 == " " || $0 == "\t" }) else {
            throw ManifestYAMLError(line: line, message: "unexpected text after a quoted string")
        }
    }
}
