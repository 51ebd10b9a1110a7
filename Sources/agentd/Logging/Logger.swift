import AgentCore
import CommandLineSupport
import Foundation

/// agentd's structured log: one line per event on standard error, as text or JSON, with a level
/// filter and secrets masked.
///
/// ```swift
/// let logger = Logger(level: .info, format: .text, output: StandardOutput(), secrets: [apiKey])
/// logger.info("listening on http://127.0.0.1:8000", ["address": "127.0.0.1:8000"])
/// // 2026-11-23T06:40:00Z info listening on http://127.0.0.1:8000 address=127.0.0.1:8000
/// ```
///
/// Every secret given at creation is replaced by its masked form (`sk-ant-…abcd`) wherever it
/// would appear in a line, error messages included, as a net under the masking done by callers.
struct Logger: Sendable {
    /// The lowest level written.
    let level: LogLevel
    let format: LogFormat
    private let output: any OutputSink
    private let secrets: [(secret: String, masked: String)]
    private let now: @Sendable () -> Date

    /// Creates a logger.
    /// - Parameters:
    ///   - output: where lines go (their `err` side: standard error).
    ///   - secrets: values that must never appear in a line; empty ones are ignored.
    ///   - now: the clock, for tests.
    init(level: LogLevel, format: LogFormat, output: any OutputSink, secrets: [String] = [],
         now: @escaping @Sendable () -> Date = { Date() }) {
        self.level = level
        self.format = format
        self.output = output
        self.secrets = secrets.filter { $0.count >= 4 }.map { ($0, SecretMask.mask($0)) }
        self.now = now
    }

    func debug(_ message: @autoclosure () -> String, _ fields: KeyValuePairs<String, LogValue> = [:]) {
        log(.debug, message(), fields)
    }

    func info(_ message: @autoclosure () -> String, _ fields: KeyValuePairs<String, LogValue> = [:]) {
        log(.info, message(), fields)
    }

    func warning(_ message: @autoclosure () -> String, _ fields: KeyValuePairs<String, LogValue> = [:]) {
        log(.warning, message(), fields)
    }

    func error(_ message: @autoclosure () -> String, _ fields: KeyValuePairs<String, LogValue> = [:]) {
        log(.error, message(), fields)
    }

    /// Writes one line when `level` is at or above the logger's level.
    func log(_ level: LogLevel, _ message: @autoclosure () -> String, _ fields: KeyValuePairs<String, LogValue>) {
        guard level >= self.level else { return }
        var line = render(level: level, message: message(), fields: fields)
        for (secret, masked) in secrets where line.contains(secret) {
            line = line.replacingOccurrences(of: secret, with: masked)
        }
        output.err(line + "\n")
    }

    // MARK: - Rendering

    private func render(level: LogLevel, message: String, fields: KeyValuePairs<String, LogValue>) -> String {
        let time = Self.timestamp(now())
        let message = message.replacingOccurrences(of: "\n", with: " ")
        switch format {
        case .text:
            var line = "\(time) \(level.name) \(message)"
            for (key, value) in fields { line += " \(key)=\(value.text)" }
            return line
        case .json:
            var line = "{\"time\":\"\(time)\",\"level\":\"\(level.name)\",\"message\":" + JSONValue.string(message).serialized()
            for (key, value) in fields {
                line += "," + JSONValue.string(key).serialized() + ":" + value.json.serialized()
            }
            return line + "}"
        }
    }

    /// `2026-11-23T06:40:00Z`: UTC, to the second.
    static func timestamp(_ date: Date) -> String {
        var seconds = time_t(date.timeIntervalSince1970.rounded(.down))
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func two(_ n: Int32) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return "\(parts.tm_year + 1900)-\(two(parts.tm_mon + 1))-\(two(parts.tm_mday))T"
            + "\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec))Z"
    }
}
