/// Why agentd cannot start (or go on): a message for the operator; the process exits with 1.
struct DaemonError: Error, Sendable, Hashable, CustomStringConvertible {
    let message: String
    init(_ message: String) { self.message = message }
    var description: String { message }
}
