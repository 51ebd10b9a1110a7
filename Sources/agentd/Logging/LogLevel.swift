/// How important a log line is; lines below the configured level are not written.
enum LogLevel: Int, Sendable, Comparable, CaseIterable {
    case debug
    case info
    case warning
    case error

    /// The lowercase name written in each line (`info`).
    var name: String {
        switch self {
        case .debug: "debug"
        case .info: "info"
        case .warning: "warning"
        case .error: "error"
        }
    }

    /// Reads `debug`, `info`, `warning` (or `warn`) and `error`, in any case.
    init?(name: String) {
        switch name.lowercased() {
        case "debug", "trace": self = .debug
        case "info", "notice": self = .info
        case "warning", "warn": self = .warning
        case "error", "critical": self = .error
        default: return nil
        }
    }

    static func < (lhs: LogLevel, rhs: LogLevel) -> Bool { lhs.rawValue < rhs.rawValue }
}
