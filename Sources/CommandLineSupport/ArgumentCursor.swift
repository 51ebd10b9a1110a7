/// A bad command line: printed as `Error: …` with the command's usage, exit code 64.
public struct UsageError: Error, Equatable, CustomStringConvertible {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// Walks a command line: `--name value`, `--name=value`, flags, `-h`/`--help`, and `--`.
///
/// Options are declared by the command as it asks for them; anything left that looks like an
/// option is an error, so typos never pass silently.
public struct ArgumentCursor {
    private var tokens: [String]
    private var positionalOnlyFrom: Int?

    public init(_ arguments: [String]) {
        if let dashDash = arguments.firstIndex(of: "--") {
            var rest = arguments
            rest.remove(at: dashDash)
            tokens = rest
            positionalOnlyFrom = dashDash
        } else {
            tokens = arguments
        }
    }

    /// True when `-h` or `--help` appears before `--`.
    public mutating func takeHelp() -> Bool {
        takeFlag("--help") || takeFlag("-h")
    }

    /// Removes a boolean flag; true when it was present.
    public mutating func takeFlag(_ name: String) -> Bool {
        var found = false
        while let i = optionIndex(where: { $0 == name }) {
            remove(at: i)
            found = true
        }
        return found
    }

    /// Removes every `--name value` / `--name=value` and returns the values in order.
    public mutating func takeValues(_ name: String) throws -> [String] {
        var values: [String] = []
        while let i = optionIndex(where: { $0 == name || $0.hasPrefix(name + "=") }) {
            let token = tokens[i]
            if token.count > name.count {
                values.append(String(token.dropFirst(name.count + 1)))
                remove(at: i)
            } else {
                guard i + 1 < tokens.count, !(positionalOnlyFrom.map { i + 1 >= $0 } ?? false) else {
                    throw UsageError("Missing value for '\(name)'")
                }
                values.append(tokens[i + 1])
                remove(at: i + 1)
                remove(at: i)
            }
        }
        return values
    }

    /// The last value of an option, if given.
    public mutating func takeValue(_ name: String) throws -> String? {
        try takeValues(name).last
    }

    /// The value of an option as an integer within a range.
    public mutating func takeInt(_ name: String, in range: ClosedRange<Int> = 1...Int.max) throws -> Int? {
        guard let text = try takeValue(name) else { return nil }
        guard let value = Int(text), range.contains(value) else {
            throw UsageError("The value '\(text)' for '\(name)' must be a whole number from \(range.lowerBound) to \(range.upperBound)")
        }
        return value
    }

    /// The value of an option as a non-negative number.
    public mutating func takeDouble(_ name: String) throws -> Double? {
        guard let text = try takeValue(name) else { return nil }
        guard let value = Double(text), value.isFinite, value > 0 else {
            throw UsageError("The value '\(text)' for '\(name)' must be a positive number")
        }
        return value
    }

    /// The remaining arguments, which must all be positional.
    /// - Throws: `UsageError` naming the first unknown option.
    public mutating func remainingPositionals() throws -> [String] {
        if let i = optionIndex(where: { $0.hasPrefix("-") && $0 != "-" }) {
            let name = tokens[i].split(separator: "=", maxSplits: 1).first.map(String.init) ?? tokens[i]
            throw UsageError("Unknown option '\(name)'")
        }
        defer { tokens = [] }
        return tokens
    }

    /// The next argument if it is positional (a subcommand name), removed.
    public mutating func takePositional() -> String? {
        guard let i = tokens.indices.first(where: { isPositional(at: $0) }) else { return nil }
        // Only a leading positional is a subcommand; options may precede it.
        let token = tokens[i]
        remove(at: i)
        return token
    }

    private func isPositional(at i: Int) -> Bool {
        if let p = positionalOnlyFrom, i >= p { return true }
        return !tokens[i].hasPrefix("-") || tokens[i] == "-"
    }

    private func optionIndex(where predicate: (String) -> Bool) -> Int? {
        tokens.indices.first { i in
            if let p = positionalOnlyFrom, i >= p { return false }
            return predicate(tokens[i])
        }
    }

    private mutating func remove(at i: Int) {
        tokens.remove(at: i)
        if let p = positionalOnlyFrom, i < p { positionalOnlyFrom = p - 1 }
    }
}
