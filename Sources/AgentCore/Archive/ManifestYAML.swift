/// Why a manifest's YAML could not be parsed; `line` is 1-based.
public struct ManifestYAMLError: Error, Sendable, Hashable, CustomStringConvertible {
    public let line: Int
    public let message: String
    public var description: String { "anymind.yaml line \(line): \(message)" }
}

/// A parser for the YAML subset used by `anymind.yaml`, producing a `JSONValue`.
///
/// Supported: block mappings nested by indentation (spaces only), block sequences (`- x`), plain,
/// single-quoted (`''` escape) and double-quoted scalars (`\n \t \" \\ \uXXXX` ...), comments, and
/// one optional leading `---`. Plain scalars follow the YAML 1.2 core schema: `null`/`~`, `true`/`false`,
/// integers and floats; everything else is a string. Anchors, aliases, tags, flow collections, block
/// scalars, complex keys and multiple documents are refused with a clear error.
///
/// ```swift
/// let value = try ManifestYAML.parse("name: demo\ntools:\n  - bash\n")
/// value["tools"]?[0]?.stringValue  // "bash"
/// ```
public enum ManifestYAML {
    /// Parses `text`; an empty document is `.null`.
    ///
    /// - Throws: `ManifestYAMLError` with the line of the problem.
    public static func parse(_ text: String) throws -> JSONValue {
        var parser = try YAMLBlockParser(lines: YAMLLine.split(text))
        return try parser.parseDocument()
    }
}

/// One significant line: indentation in spaces and the content with its comment removed.
struct YAMLLine {
    var number: Int
    var indent: Int
    var content: Substring

    static func split(_ text: String) throws -> [YAMLLine] {
        var result: [YAMLLine] = []
        var sawDocumentStart = false
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let number = index + 1
            var line = raw
            if line.hasSuffix("\r") { line = line.dropLast() }
            let indent = line.prefix { $0 == " " }.count
            let rest = line.dropFirst(indent)
            if rest.first == "\t" { throw ManifestYAMLError(line: number, message: "tabs are not allowed for indentation") }
            let content = stripComment(rest)
            if content.isEmpty { continue }
            if indent == 0 && (content == "---" || content.hasPrefix("--- ")) {
                guard result.isEmpty && !sawDocumentStart && content == "---" else {
                    throw ManifestYAMLError(line: number, message: "multiple documents are not supported")
                }
                sawDocumentStart = true
                continue
            }
            if indent == 0 && content == "..." {
                throw ManifestYAMLError(line: number, message: "document end markers are not supported")
            }
            if indent == 0 && content.hasPrefix("%") {
                throw ManifestYAMLError(line: number, message: "YAML directives are not supported")
            }
            result.append(YAMLLine(number: number, indent: indent, content: content))
        }
        return result
    }

    /// Drops a `#` comment that starts the line or follows whitespace, outside quotes, and trailing spaces.
    private static func stripComment(_ text: Substring) -> Substring {
        var quote: Character?
        var previous: Character = " "
        var index = text.startIndex
        while index < text.endIndex {
            let character = text[index]
            if let open = quote {
                if character == "\\" && open == "\"" {
                    index = text.index(after: index)
                    if index < text.endIndex { index = text.index(after: index) }
                    previous = "x"
                    continue
                }
                if character == "'" && open == "'", text.index(after: index) < text.endIndex,
                   text[text.index(after: index)] == "'" {
                    index = text.index(index, offsetBy: 2)  // '' is an escaped quote (YAML 1.2.2 §7.3.2)
                    continue
                }
                if character == open { quote = nil }
            } else if character == "#" && (previous == " " || previous == "\t") {
                return trimTrailing(text[..<index])
            } else if (character == "\"" || character == "'") && (previous == " " || previous == "\t" || previous == ":"
                                                                    || previous == "-" || index == text.startIndex) {
                quote = character
            }
            previous = character
            index = text.index(after: index)
        }
        return trimTrailing(text)
    }

    static func trimTrailing(_ text: Substring) -> Substring {
        var end = text.endIndex
        while end > text.startIndex, text[text.index(before: end)] == " " || text[text.index(before: end)] == "\t" {
            end = text.index(before: end)
        }
        return text[..<end]
    }
}
