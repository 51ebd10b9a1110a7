import Foundation

/// One condition under which a tool call waits for a person's approval.
///
/// Every field that is set must match. Examples:
/// - `{"tool": "bash"}`: every bash command.
/// - `{"tool": "computer", "actions": ["type"]}`: typing.
/// - `{"tool": "computer", "key_chords": true}`: key presses with ctrl, alt or super.
/// - `{"tool": "computer", "actions": ["left_click", "right_click", "double_click"]}`: clicks.
/// - `{"allowed_hosts": ["example.com"]}`: any URL outside example.com (and its subdomains) that
///   the call types, opens or fetches (seed 002's navigation safety check).
/// - `{"tool": "bash", "contains": "rm -rf"}`: commands containing a string.
public struct ApprovalRule: Sendable, Hashable {
    public var tool: String?
    public var actions: [String]?
    public var keyChords: Bool
    public var contains: String?
    public var allowedHosts: [String]?

    public init(tool: String? = nil, actions: [String]? = nil, keyChords: Bool = false, contains: String? = nil,
                allowedHosts: [String]? = nil) {
        self.tool = tool
        self.actions = actions
        self.keyChords = keyChords
        self.contains = contains
        self.allowedHosts = allowedHosts
    }

    /// Why `call` needs approval under this rule, or `nil` when the rule does not match.
    public func reason(for call: ToolCall) -> String? {
        if let tool, tool != call.name { return nil }
        let action = call.input["action"]?.stringValue
        if let actions {
            guard let action, actions.contains(action) else { return nil }
        }
        let text = Self.payload(of: call)
        if keyChords {
            guard action == "key" || action == "hold_key", Self.isChord(text) else { return nil }
        }
        if let contains {
            guard text.contains(contains) else { return nil }
        }
        if let allowedHosts {
            guard let host = Self.hosts(in: text).first(where: { !Self.isAllowed($0, allowedHosts) }) else { return nil }
            return "\(call.name) reaches \(host), outside the allowed hosts"
        }
        var parts = [call.name]
        if let action { parts.append(action) }
        if keyChords { parts.append("key chord") }
        if let contains { parts.append("contains \"\(contains)\"") }
        return "approval required for \(parts.joined(separator: " "))"
    }

    /// The free text of a call: the bash command, the typed text or keys, the edited file.
    static func payload(of call: ToolCall) -> String {
        for key in ["command", "text", "path", "url", "file_text", "new_str"] {
            if let value = call.input[key]?.stringValue, !value.isEmpty, key != "command" || call.name == "bash" {
                return value
            }
        }
        return call.input["command"]?.stringValue ?? ""
    }

    static func isChord(_ keys: String) -> Bool {
        let parts = keys.lowercased().split(whereSeparator: { $0 == "+" || $0 == " " })
        let modifiers: Set<Substring> = ["ctrl", "control", "alt", "super", "meta", "cmd", "win", "shift"]
        return parts.count > 1 && parts.dropLast().contains { modifiers.contains($0) }
    }

    /// Host names of the URLs (with a scheme, or `www.`-style bare domains) in `text`.
    static func hosts(in text: String) -> [String] {
        var hosts: [String] = []
        for word in text.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" || $0 == "\"" || $0 == "'" }) {
            var candidate = String(word)
            if let range = candidate.range(of: "://") {
                candidate = String(candidate[range.upperBound...])
            } else if !(candidate.hasPrefix("www.") || candidate.contains(".") && candidate.contains("/")) {
                continue
            }
            let host = candidate.split(whereSeparator: { "/:?#".contains($0) }).first.map(String.init) ?? ""
            let cleaned = host.split(separator: "@").last.map(String.init)?.lowercased() ?? ""
            if cleaned.contains("."), cleaned.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "." || $0 == "-" }) {
                hosts.append(cleaned)
            }
        }
        return hosts
    }

    static func isAllowed(_ host: String, _ allowed: [String]) -> Bool {
        allowed.contains { entry in
            let domain = entry.lowercased()
            return host == domain || host.hasSuffix("." + domain)
        }
    }

    public var json: JSONValue {
        var o: [String: JSONValue] = [:]
        if let tool { o["tool"] = .string(tool) }
        if let actions { o["actions"] = .array(actions.map(JSONValue.string)) }
        if keyChords { o["key_chords"] = true }
        if let contains { o["contains"] = .string(contains) }
        if let allowedHosts { o["allowed_hosts"] = .array(allowedHosts.map(JSONValue.string)) }
        return .object(o)
    }

    public init(json: JSONValue) throws(SessionError) {
        guard let object = json.objectValue else { throw .invalidRequest("an approval rule must be an object") }
        let known: Set<String> = ["tool", "actions", "key_chords", "contains", "allowed_hosts"]
        if let unknown = object.keys.sorted().first(where: { !known.contains($0) }) {
            throw .invalidRequest("unknown approval rule field '\(unknown)' (known: \(known.sorted().joined(separator: ", ")))")
        }
        func strings(_ key: String) throws(SessionError) -> [String]? {
            guard let value = object[key] else { return nil }
            guard let array = value.arrayValue, array.allSatisfy({ $0.stringValue != nil }) else {
                throw .invalidRequest("approval rule field '\(key)' must be a list of strings")
            }
            return array.compactMap(\.stringValue)
        }
        self.init(
            tool: object["tool"]?.stringValue, actions: try strings("actions"),
            keyChords: object["key_chords"]?.boolValue ?? false, contains: object["contains"]?.stringValue,
            allowedHosts: try strings("allowed_hosts"))
        if tool == nil, actions == nil, !keyChords, contains == nil, allowedHosts == nil {
            throw .invalidValue("approval_policy: a rule needs at least one of: \(known.sorted().joined(separator: ", "))")
        }
    }
}

/// The rules that make tool calls wait for approval; the first matching rule gives the reason.
public struct ApprovalPolicy: Sendable, Hashable {
    public var rules: [ApprovalRule]
    public init(rules: [ApprovalRule] = []) { self.rules = rules }

    /// No call needs approval.
    public static let none = ApprovalPolicy()

    /// Why `call` needs approval, or `nil` when it may run.
    public func reason(for call: ToolCall) -> String? {
        for rule in rules { if let reason = rule.reason(for: call) { return reason } }
        return nil
    }

    public var json: JSONValue { .array(rules.map(\.json)) }

    public init(json: JSONValue) throws(SessionError) {
        guard let array = json.arrayValue else { throw .invalidRequest("approval_policy must be a list of rules") }
        var rules: [ApprovalRule] = []
        for item in array { rules.append(try ApprovalRule(json: item)) }
        self.init(rules: rules)
    }
}
