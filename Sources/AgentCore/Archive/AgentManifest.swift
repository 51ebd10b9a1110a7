/// Why a parsed `anymind.yaml` is not a valid agent manifest; `field` names the offending key.
public struct ManifestError: Error, Sendable, Hashable, CustomStringConvertible {
    public let field: String
    public let message: String
    public var description: String { "anymind.yaml field \"\(field)\": \(message)" }
}

/// The agent manifest, `anymind.yaml` at the root of an uploaded archive (issue 8).
///
/// ```yaml
/// name: support-bot
/// entrypoint: bot.main:run
/// framework: python
/// requirements: requirements.txt
/// ```
public struct AgentManifest: Sendable, Hashable {
    /// `module:function`, where the module is a dotted Python identifier path.
    public struct Entrypoint: Sendable, Hashable {
        public var module: String
        public var function: String
    }

    public var name: String
    /// Required unless `framework` is `computer-use`.
    public var entrypoint: Entrypoint?
    public var framework: String
    /// A requirements file path inside the archive, or a list of package specifiers.
    public var requirements: [String]?
    // Computer-use fields.
    public var system: String?
    public var model: String?
    public var tools: [String]?
    public var environment: [String: String]?
    /// For `framework: computer-use`: the session's environment, `none` (the default), `desktop` or `browser`.
    public var sessionEnvironment: String?
    /// The framework whose agents run as agentd sessions rather than Python code.
    public static let computerUseFramework = "computer-use"
    public var maxSteps: Int?
    public var timeoutSeconds: Int?

    static let knownFields: Set<String> = ["name", "entrypoint", "framework", "requirements", "system", "model",
                                           "tools", "environment", "max_steps", "timeout_seconds"]

    /// Parses and validates the text of `anymind.yaml`.
    ///
    /// - Throws: `ManifestYAMLError` for syntax errors, `ManifestError` for invalid fields.
    public init(yaml: String) throws {
        try self.init(value: try ManifestYAML.parse(yaml))
    }

    /// Validates an already parsed manifest document.
    ///
    /// - Throws: `ManifestError` naming the first invalid field.
    public init(value: JSONValue) throws {
        guard case .object(let fields) = value else {
            throw ManifestError(field: "", message: "the manifest must be a mapping of fields")
        }
        if let unknown = fields.keys.sorted().first(where: { !Self.knownFields.contains($0) }) {
            throw ManifestError(field: unknown, message: "unknown field")
        }
        name = try Self.string(fields, "name", required: true)!
        guard name.count <= 64, let first = name.unicodeScalars.first, Self.isAlnum(first),
              name.unicodeScalars.allSatisfy({ Self.isAlnum($0) || "-_.".unicodeScalars.contains($0) })
        else { throw ManifestError(field: "name", message: "must be 1-64 letters, digits, '-', '_' or '.', starting with a letter or digit") }

        framework = try Self.string(fields, "framework", required: true)!
        guard framework.unicodeScalars.allSatisfy({ Self.isAlnum($0) || $0 == "-" }) else {
            throw ManifestError(field: "framework", message: "must be a name such as python or computer-use")
        }
        if let text = try Self.string(fields, "entrypoint", required: framework != "computer-use") {
            entrypoint = try Self.entrypoint(text)
        }
        switch fields["requirements"] {
        case nil, .null?: break
        case .string(let path)?: requirements = [path]
        case .array?: requirements = try Self.strings(fields, "requirements")
        default: throw ManifestError(field: "requirements", message: "must be a file name or a list of strings")
        }
        system = try Self.string(fields, "system", required: false)
        model = try Self.string(fields, "model", required: false)
        tools = try Self.strings(fields, "tools")
        switch fields["environment"] {
        case nil, .null?: break
        case .string(let kind)?:
            guard ["none", "desktop", "browser"].contains(kind) else {
                throw ManifestError(field: "environment", message: "must be none, desktop or browser, or a mapping of names to values")
            }
            sessionEnvironment = kind
        case .object(let members)?:
            environment = try members.mapValues { value in
                switch value {
                case .string(let text): return text
                case .int(let number): return String(number)
                case .bool(let flag): return String(flag)
                default: throw ManifestError(field: "environment", message: "values must be strings, numbers or booleans")
                }
            }
        default: throw ManifestError(field: "environment", message: "must be a mapping of names to values")
        }
        maxSteps = try Self.positive(fields, "max_steps", upTo: 10_000)
        timeoutSeconds = try Self.positive(fields, "timeout_seconds", upTo: 86_400)
    }

    private static func isAlnum(_ scalar: Unicode.Scalar) -> Bool {
        scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar))
    }

    private static func isIdentifier(_ text: Substring) -> Bool {
        guard let first = text.unicodeScalars.first, first.isASCII, first.properties.isAlphabetic || first == "_" else { return false }
        return text.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || $0 == "_" || ("0"..."9").contains($0)) }
    }

    private static func entrypoint(_ text: String) throws -> Entrypoint {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, isIdentifier(parts[1]),
              parts[0].split(separator: ".", omittingEmptySubsequences: false).allSatisfy(isIdentifier)
        else { throw ManifestError(field: "entrypoint", message: "must be module:function, e.g. agent.main:run") }
        return Entrypoint(module: String(parts[0]), function: String(parts[1]))
    }

    private static func string(_ fields: [String: JSONValue], _ key: String, required: Bool) throws -> String? {
        switch fields[key] {
        case nil, .null?:
            if required { throw ManifestError(field: key, message: "is required") }
            return nil
        case .string(let text)?:
            guard !text.isEmpty else { throw ManifestError(field: key, message: "must not be empty") }
            return text
        default:
            throw ManifestError(field: key, message: "must be a string")
        }
    }

    private static func strings(_ fields: [String: JSONValue], _ key: String) throws -> [String]? {
        switch fields[key] {
        case nil, .null?: return nil
        case .array(let items)?:
            return try items.map {
                guard case .string(let text) = $0, !text.isEmpty else {
                    throw ManifestError(field: key, message: "items must be non-empty strings")
                }
                return text
            }
        default: throw ManifestError(field: key, message: "must be a list of strings")
        }
    }

    private static func positive(_ fields: [String: JSONValue], _ key: String, upTo limit: Int) throws -> Int? {
        switch fields[key] {
        case nil, .null?: return nil
        case .int(let number)? where (1...limit).contains(number): return number
        default: throw ManifestError(field: key, message: "must be an integer from 1 to \(limit)")
        }
    }
}
