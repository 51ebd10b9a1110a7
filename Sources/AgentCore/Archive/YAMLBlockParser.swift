/// Recursive descent over indented lines for `ManifestYAML`.
struct YAMLBlockParser {
    private var lines: [YAMLLine]
    private var position = 0

    init(lines: [YAMLLine]) throws {
        self.lines = lines
    }

    mutating func parseDocument() throws -> JSONValue {
        guard position < lines.count else { return .null }
        let first = lines[position]
        if first.indent != 0 {
            throw ManifestYAMLError(line: first.number, message: "the document must start at column 1")
        }
        let value: JSONValue
        if isSequenceItem(first.content) || splitKey(first.content) != nil {
            value = try parseBlock(indent: 0)
        } else {
            value = try scalar(first.content, line: first.number)
            position += 1
        }
        if position < lines.count {
            throw ManifestYAMLError(line: lines[position].number, message: "bad indentation or unexpected content")
        }
        return value
    }

    private func isSequenceItem(_ content: Substring) -> Bool { content == "-" || content.hasPrefix("- ") }

    private mutating func parseBlock(indent: Int) throws -> JSONValue {
        isSequenceItem(lines[position].content) ? try parseSequence(indent: indent) : try parseMapping(indent: indent)
    }

    private mutating func parseMapping(indent: Int) throws -> JSONValue {
        var members: [String: JSONValue] = [:]
        while position < lines.count {
            let line = lines[position]
            if line.indent < indent { break }
            if line.indent > indent { throw ManifestYAMLError(line: line.number, message: "bad indentation") }
            if isSequenceItem(line.content) {
                throw ManifestYAMLError(line: line.number, message: "a sequence item where a \"key: value\" was expected")
            }
            guard let (rawKey, rest) = splitKey(line.content) else {
                throw ManifestYAMLError(line: line.number, message: "expected \"key: value\"")
            }
            let key = try keyText(rawKey, line: line.number)
            guard members[key] == nil else { throw ManifestYAMLError(line: line.number, message: "duplicate key \"\(key)\"") }
            position += 1
            if !rest.isEmpty {
                members[key] = try scalar(rest, line: line.number)
            } else if position < lines.count, lines[position].indent > indent {
                members[key] = try parseBlock(indent: lines[position].indent)
            } else if position < lines.count, lines[position].indent == indent, isSequenceItem(lines[position].content) {
                members[key] = try parseSequence(indent: indent)  // "key:\n- a" — a sequence may share the key's column
            } else {
                members[key] = .null
            }
        }
        return .object(members)
    }

    private mutating func parseSequence(indent: Int) throws -> JSONValue {
        var items: [JSONValue] = []
        while position < lines.count {
            let line = lines[position]
            if line.indent < indent || !isSequenceItem(line.content) { break }
            if line.indent > indent { throw ManifestYAMLError(line: line.number, message: "bad indentation") }
            let afterDash = line.content.dropFirst()
            let spaces = afterDash.prefix { $0 == " " }.count
            let rest = afterDash.dropFirst(spaces)
            if rest.isEmpty {
                position += 1
                if position < lines.count, lines[position].indent > indent {
                    items.append(try parseBlock(indent: lines[position].indent))
                } else {
                    items.append(.null)
                }
            } else if isSequenceItem(rest) || splitKey(rest) != nil {
                // "- key: value" or "- - x": the rest is a block starting at its own column.
                lines[position] = YAMLLine(number: line.number, indent: indent + 1 + spaces, content: rest)
                items.append(try parseBlock(indent: indent + 1 + spaces))
            } else {
                items.append(try scalar(rest, line: line.number))
                position += 1
            }
        }
        return .array(items)
    }

    /// Splits `key: value` (or `key:`) at the first `:` followed by a space or the end, outside quotes.
    private func splitKey(_ content: Substring) -> (Substring, Substring)? {
        var quote: Character?
        var index = content.startIndex
        if let first = content.first, first == "\"" || first == "'" { quote = first; index = content.index(after: index) }
        while index < content.endIndex {
            let character = content[index]
            if let open = quote {
                if character == "\\" && open == "\"" { index = content.index(after: index) } else if character == open { quote = nil }
            } else if character == ":" {
                let next = content.index(after: index)
                if next == content.endIndex || content[next] == " " {
                    let value = content[next...].drop { $0 == " " }
                    return (content[..<index], value)
                }
            }
            if index < content.endIndex { index = content.index(after: index) }
        }
        return nil
    }

    private func keyText(_ raw: Substring, line: Int) throws -> String {
        if raw.hasPrefix("?") { throw ManifestYAMLError(line: line, message: "complex keys (\"?\") are not supported") }
        let value = try scalar(YAMLLine.trimTrailing(raw), line: line)
        switch value {
        case .string(let text): return text
        case .int(let number): return String(number)
        case .bool(let flag): return String(flag)
        default: throw ManifestYAMLError(line: line, message: "a key must be a string")
        }
    }

    /// A scalar: quoted, or plain resolved with the YAML 1.2 core schema.
    private func scalar(_ text: Substring, line: Int) throws -> JSONValue {
        guard let first = text.first else { return .null }
        switch first {
        case "\"": return .string(try YAMLScalar.doubleQuoted(text, line: line))
        case "'": return .string(try YAMLScalar.singleQuoted(text, line: line))
        case "&": throw ManifestYAMLError(line: line, message: "anchors (\"&\") are not supported")
        case "*": throw ManifestYAMLError(line: line, message: "aliases (\"*\") are not supported")
        case "!": throw ManifestYAMLError(line: line, message: "tags (\"!\") are not supported")
        case "[", "{": throw ManifestYAMLError(line: line, message: "flow collections (\"\(first)\") are not supported")
        case "|", ">": throw ManifestYAMLError(line: line, message: "block scalars (\"\(first)\") are not supported")
        case "@", "`", "%": throw ManifestYAMLError(line: line, message: "a plain scalar cannot start with \"\(first)\"")
        default: return YAMLScalar.plain(String(text))
        }
    }
}
