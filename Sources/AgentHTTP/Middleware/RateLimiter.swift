import Foundation
import Synchronization

/// A fixed-window request counter per client: at most `limit` requests in each `window` seconds.
///
/// Windows start at a client's first request. Keys whose window has ended are dropped when the
/// table reaches `maximumKeys`, so memory stays bounded whatever addresses clients come from.
///
/// ```swift
/// let limiter = RateLimiter(limit: 10, window: 60)
/// let decision = limiter.take("203.0.113.9")
/// if !decision.allowed { /* 429, Retry-After: decision.resetAfter */ }
/// ```
public final class RateLimiter: Sendable {
    /// The answer for one request.
    public struct Decision: Sendable, Hashable {
        public var allowed: Bool
        public var limit: Int
        /// Requests left in the window after this one.
        public var remaining: Int
        /// Whole seconds until the window ends (at least 1).
        public var resetAfter: Int
    }

    public let limit: Int
    /// The window's length in seconds.
    public let window: Double
    public let maximumKeys: Int
    private let clock: @Sendable () -> Double
    private let windows = Mutex<[String: (start: Double, count: Int)]>([:])

    /// - Parameters:
    ///   - limit: requests allowed per window (at least 1).
    ///   - window: the window's length in seconds.
    ///   - maximumKeys: clients tracked at once before ended windows are swept.
    ///   - clock: seconds on a monotonic scale; the system's uptime when nil (tests pass their own).
    public init(limit: Int, window: Double, maximumKeys: Int = 10_000, clock: (@Sendable () -> Double)? = nil) {
        self.limit = max(1, limit)
        self.window = window
        self.maximumKeys = maximumKeys
        self.clock = clock ?? { ProcessInfo.processInfo.systemUptime }
    }

    /// Counts one request from `key` and says whether it is allowed.
    public func take(_ key: String) -> Decision {
        let now = clock()
        return windows.withLock { windows in
            var entry = windows[key] ?? (start: now, count: 0)
            if now - entry.start >= window { entry = (start: now, count: 0) }
            if windows[key] == nil, windows.count >= maximumKeys {
                windows = windows.filter { now - $0.value.start < window }
            }
            let allowed = entry.count < limit
            if allowed { entry.count += 1 }
            windows[key] = entry
            let reset = max(1, Int((entry.start + window - now).rounded(.up)))
            return Decision(allowed: allowed, limit: limit, remaining: limit - entry.count, resetAfter: reset)
        }
    }
}
