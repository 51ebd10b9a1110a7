/// A header value with parameters, `value *( OWS ";" OWS name "=" ( token / quoted-string ) )`,
/// as `Content-Type` (RFC 9110 §5.6.6) and `Content-Disposition` (RFC 6266 §4.1) use it.
///
/// Parameter names are compared case-insensitively; values are unquoted, with quoted-pairs
/// (`\"`, `\\`) resolved (RFC 9110 §5.6.4). An unquoted value runs to the next `;`, so a
/// sender's unquoted `filename=my file.tar.gz` still reads as one value.
struct HeaderParameters {
    /// The leading value (`multipart/form-data`, `form-data`), trimmed, as sent.
    let value: String
    /// Every parameter in order, names lowercased.
    let parameters: [(name: String, value: String)]

    /// The first parameter called `name` (lowercase).
    subscript(name: String) -> String? {
        parameters.first { $0.name == name }?.value
    }

    private static let quote = UInt8(ascii: "\"")
    private static let backslash = UInt8(ascii: "\\")

    /// Why a header value does not parse.
    struct Problem: Error {
        let reason: String
    }

    /// Parses `text`.
    /// - Throws: ``Problem`` for a parameter without a name or `=`, or an unterminated quoted-string.
    init(parsing text: String) throws(Problem) {
        let bytes = Array(text.utf8)
        var index = 0
        func skipWhitespace() {
            while index < bytes.count, HTTPSyntax.isWhitespace(bytes[index]) { index += 1 }
        }
        skipWhitespace()
        let valueStart = index
        while index < bytes.count, bytes[index] != HTTPSyntax.semicolon { index += 1 }
        value = Self.trimmed(bytes[valueStart..<index])
        var parameters: [(name: String, value: String)] = []
        while index < bytes.count {
            index += 1      // the ";"
            skipWhitespace()
            if index == bytes.count { break }      // a trailing ";" is tolerated
            let nameStart = index
            while index < bytes.count, HTTPSyntax.isTokenChar(bytes[index]) { index += 1 }
            guard index > nameStart else { throw Problem(reason: "a parameter has no name") }
            let name = String(decoding: bytes[nameStart..<index], as: UTF8.self).lowercased()
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: "=") else {
                throw Problem(reason: "the parameter '\(name)' has no value")
            }
            index += 1
            skipWhitespace()
            let parameterValue: String
            if index < bytes.count, bytes[index] == Self.quote {
                // RFC 9110 §5.6.4: quoted-string = DQUOTE *( qdtext / quoted-pair ) DQUOTE
                index += 1
                var unquoted: [UInt8] = []
                var closed = false
                while index < bytes.count {
                    let byte = bytes[index]
                    index += 1
                    if byte == Self.quote {
                        closed = true
                        break
                    }
                    if byte == Self.backslash, index < bytes.count {
                        unquoted.append(bytes[index])       // quoted-pair = "\" ( HTAB / SP / VCHAR / obs-text )
                        index += 1
                    } else {
                        unquoted.append(byte)
                    }
                }
                guard closed else { throw Problem(reason: "the parameter '\(name)' has an unterminated quoted string") }
                parameterValue = String(decoding: unquoted, as: UTF8.self)
                skipWhitespace()
                guard index == bytes.count || bytes[index] == HTTPSyntax.semicolon else {
                    throw Problem(reason: "unexpected text after the parameter '\(name)'")
                }
            } else {
                let start = index
                while index < bytes.count, bytes[index] != HTTPSyntax.semicolon { index += 1 }
                parameterValue = Self.trimmed(bytes[start..<index])
            }
            parameters.append((name, parameterValue))
        }
        self.parameters = parameters
    }

    private static func trimmed(_ bytes: ArraySlice<UInt8>) -> String {
        String(decoding: HTTPSyntax.trimmed(bytes), as: UTF8.self)
    }
}
