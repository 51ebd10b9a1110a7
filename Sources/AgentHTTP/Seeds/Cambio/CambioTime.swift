import Foundation

/// Timestamps as seed 001 writes them: ISO 8601 in UTC without fractions (`2024-01-15T10:30:00Z`).
enum CambioTime {
    /// `seconds` since 1970 as `2024-01-15T10:30:00Z`.
    static func string(_ seconds: Double) -> String {
        ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: seconds.rounded(.down)))
    }

    static func now() -> String { string(Date().timeIntervalSince1970) }

    /// Reads a `created_after` value: a full timestamp (`2024-01-15T10:30:00Z`, fractions and
    /// offsets allowed), a date (`2024-01-01`, midnight UTC), or seconds since 1970.
    static func parse(_ text: String) -> Double? {
        let full = ISO8601DateFormatter()
        if let date = full.date(from: text) { return date.timeIntervalSince1970 }
        full.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let date = full.date(from: text) { return date.timeIntervalSince1970 }
        let day = ISO8601DateFormatter()
        day.formatOptions = [.withFullDate]
        if let date = day.date(from: text) { return date.timeIntervalSince1970 }
        if let seconds = Double(text), seconds.isFinite { return seconds }
        return nil
    }
}
