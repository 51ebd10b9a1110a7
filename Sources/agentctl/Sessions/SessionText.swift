import AgentCore
import Foundation

/// Sessions as text for people: the `list` table and the `show` details.
enum SessionText {
    /// Columns padded to their widest cell, two spaces apart; no trailing spaces.
    static func table(header: [String], rows: [[String]]) -> String {
        let all = [header] + rows
        let widths = header.indices.map { column in all.map { $0[column].count }.max() ?? 0 }
        return all.map { row in
            row.enumerated().map { column, cell in
                column == row.count - 1 ? cell : cell + String(repeating: " ", count: widths[column] - cell.count)
            }.joined(separator: "  ").trimmingTrailingSpaces() + "\n"
        }.joined()
    }

    /// Seconds since 1970 as ISO 8601 in UTC (`2025-06-01T12:00:00Z`); empty when absent.
    static func date(_ seconds: Double?) -> String {
        guard let seconds else { return "" }
        return ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: seconds))
    }

    /// A session's fields, one `label: value` line each.
    static func details(_ session: JSONValue) -> String {
        let configuration = session["configuration"]
        var status = session["status"]?.stringValue ?? "?"
        if let reason = session["status_reason"]?.stringValue { status += " (\(reason))" }
        let usage = session["usage"]
        var rows: [(String, String)] = [
            ("id", session["id"]?.stringValue ?? ""),
            ("name", session["name"]?.stringValue ?? ""),
            ("status", status),
            ("model", configuration?["model"]?.stringValue ?? ""),
            ("environment", configuration?["environment"]?["kind"]?.stringValue ?? "none"),
            ("tools", (configuration?["tools"]?.arrayValue ?? []).compactMap(\.stringValue).joined(separator: ", ")),
            ("tags", (session["tags"]?.arrayValue ?? []).compactMap(\.stringValue).joined(separator: ", ")),
            ("created", date(session["created_at"]?.doubleValue)),
            ("updated", date(session["updated_at"]?.doubleValue)),
            ("usage", "\(usage?["input_tokens"]?.intValue ?? 0) input, \(usage?["output_tokens"]?.intValue ?? 0) output tokens"),
            ("cost", "$" + String(format: "%.4f", session["cost_usd"]?.doubleValue ?? 0)),
            ("last event", String(session["last_seq"]?.intValue ?? 0)),
        ]
        if let queued = session["queued_messages"]?.intValue, queued > 0 { rows.append(("queued", String(queued))) }
        if let pending = session["pending_approval"] {
            let call = "\(pending["name"]?.stringValue ?? "?") \(EventLine.oneLine(pending["input"]?.serialized() ?? "{}"))"
            rows.append(("approval", "\(call): \(pending["reason"]?.stringValue ?? "")"))
        }
        return rows.map { label, value in
            (label + ":" + String(repeating: " ", count: max(1, 12 - label.count)) + value).trimmingTrailingSpaces() + "\n"
        }.joined()
    }
}
