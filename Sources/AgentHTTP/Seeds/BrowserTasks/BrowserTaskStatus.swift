import Foundation
import AgentCore

/// S2's task statuses over agentd's nine (seed 002: `running`, `paused`, `completed`, `stopped`,
/// `error`, "Automatic Session Timeout": `timeout`).
///
/// | agentd | S2 |
/// |---|---|
/// | `idle` | `pending` |
/// | `running`, `paused`, `completed`, `error`, `stopped`, `timeout` | the same |
/// | `awaiting_approval` | `awaiting_safety_confirmation` |
/// | `interrupted` (agentd stopped mid-run) | `stopped` (the reason says so; `resume` continues) |
enum BrowserTaskStatus {
    static func name(_ status: SessionStatus) -> String {
        switch status {
        case .idle: "pending"
        case .running: "running"
        case .paused: "paused"
        case .awaitingApproval: "awaiting_safety_confirmation"
        case .completed: "completed"
        case .error: "error"
        case .stopped, .interrupted: "stopped"
        case .timeout: "timeout"
        }
    }

    /// Every S2 status name.
    static let names = ["pending", "running", "paused", "awaiting_safety_confirmation", "completed", "error", "stopped",
                        "timeout"]

    /// The native statuses the filter `names` stands for (S2 names or agentd's own).
    /// - Throws: 400 for a name neither vocabulary has.
    static func statuses(_ names: [String]) throws(BrowserTasksError) -> [SessionStatus] {
        var statuses: [SessionStatus] = []
        for name in names.map({ $0.trimmingCharacters(in: .whitespaces) }) where !name.isEmpty {
            let matching = SessionStatus.allCases.filter { Self.name($0) == name }
            if !matching.isEmpty {
                statuses += matching
            } else if let native = SessionStatus(rawValue: name) {
                statuses.append(native)
            } else {
                throw .invalid("unknown status '\(name)' (known: \(Self.names.joined(separator: ", ")))")
            }
        }
        return statuses
    }
}
