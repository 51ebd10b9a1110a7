import AgentCore

/// Seed 001's three session statuses over agentd's nine (seed 001, "List Sessions": `active`,
/// `inactive`, `error`).
///
/// A session is `active` while it can take the next message without being revived: new (`idle`),
/// working (`running`, `paused`, `awaiting_approval`) or between turns (`completed`, the model
/// ended its turn). It is `inactive` once something ended it (`stopped`, `timeout`,
/// `interrupted`), and `error` when its run failed. The native status is shown beside it as
/// `agent_status`.
enum CambioStatus: String, CaseIterable {
    case active
    case inactive
    case error

    init(_ status: SessionStatus) {
        switch status {
        case .idle, .running, .paused, .awaitingApproval, .completed: self = .active
        case .stopped, .timeout, .interrupted: self = .inactive
        case .error: self = .error
        }
    }

    /// The native statuses this one covers.
    var statuses: [SessionStatus] { SessionStatus.allCases.filter { CambioStatus($0) == self } }

    /// The native statuses a `status` filter names: seed 001's three, or agentd's own names
    /// (comma-separated, mixed freely).
    static func filter(_ text: String) throws(CambioError) -> [SessionStatus] {
        var statuses: [SessionStatus] = []
        for name in text.split(separator: ",").map(String.init) {
            if let status = CambioStatus(rawValue: name) {
                statuses += status.statuses
            } else if let native = SessionStatus(rawValue: name) {
                statuses.append(native)
            } else {
                throw .validation("status", "unknown status '\(name)' (known: active, inactive, error)")
            }
        }
        return statuses
    }
}
