import Foundation

/// Writes the Prometheus text exposition format 0.0.4: `# HELP` and `# TYPE` lines, then one
/// sample per line, `name{label="value",…} number`.
///
/// ```swift
/// var text = PrometheusText()
/// text.family("agentd_tool_calls_total", .counter, "Tool calls that finished.")
/// text.sample("agentd_tool_calls_total", value: 3)
/// text.output  // "# HELP agentd_tool_calls_total …\n# TYPE agentd_tool_calls_total counter\nagentd_tool_calls_total 3\n"
/// ```
public struct PrometheusText: Sendable {
    /// A metric family's type.
    public enum Kind: String, Sendable {
        case counter, gauge, histogram
    }

    /// The `Content-Type` of the format.
    public static let contentType = "text/plain; version=0.0.4; charset=utf-8"

    /// The text so far.
    public private(set) var output = ""

    public init() {}

    /// Starts a family: its `# HELP` and `# TYPE` lines.
    public mutating func family(_ name: String, _ kind: Kind, _ help: String) {
        // HELP text escapes backslash and line feed (exposition format 0.0.4).
        let escaped = help.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\n", with: "\\n")
        output += "# HELP \(name) \(escaped)\n# TYPE \(name) \(kind.rawValue)\n"
    }

    /// One sample. Labels keep the order given.
    public mutating func sample(_ name: String, _ labels: KeyValuePairs<String, String> = [:], value: Double) {
        sample(name, labels.map { ($0.key, $0.value) }, value: value)
    }

    /// One sample with labels given as pairs.
    public mutating func sample(_ name: String, _ labels: [(String, String)], value: Double) {
        output += name
        if !labels.isEmpty {
            output += "{" + labels.map { "\($0.0)=\"\(Self.escapeLabel($0.1))\"" }.joined(separator: ",") + "}"
        }
        output += " " + Self.format(value) + "\n"
    }

    /// A sample value: integers without a fraction, `+Inf`, `-Inf` and `NaN` spelled as Go does.
    public static func format(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value > 0 ? "+Inf" : "-Inf" }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return String(value)
    }

    /// Label values escape backslash, double quote and line feed.
    static func escapeLabel(_ value: String) -> String {
        value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\n", with: "\\n")
    }
}
