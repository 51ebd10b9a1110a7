import Foundation

/// The time of day, as seconds since the Unix epoch; services take it as a parameter so tests can
/// move time (token expiry, login throttling).
public enum WallClock {
    /// The system clock.
    public static let system: @Sendable () -> Double = { Date().timeIntervalSince1970 }
}
