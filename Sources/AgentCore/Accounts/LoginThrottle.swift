import Synchronization

/// Counts failed logins per user name and per client, and refuses further attempts (429) once
/// either has failed too often within the window — slowing password guessing against one account
/// and from one address alike. A successful login clears its user name's count.
///
/// ```swift
/// let throttle = LoginThrottle()
/// if let wait = throttle.retryAfter(username: "ada", client: "10.0.0.7", now: now) { /* 429, Retry-After: wait */ }
/// throttle.recordFailure(username: "ada", client: "10.0.0.7", now: now)
/// ```
public final class LoginThrottle: Sendable {
    /// The limits: failures allowed within `window` seconds before attempts are refused.
    public struct Limits: Sendable, Hashable {
        public var failuresPerUsername: Int
        public var failuresPerClient: Int
        public var window: Double
        /// Most keys tracked; the oldest are forgotten beyond it (bounded memory under a spray).
        public var maxTrackedKeys: Int

        public init(failuresPerUsername: Int = 5, failuresPerClient: Int = 20, window: Double = 300,
                    maxTrackedKeys: Int = 10_000) {
            self.failuresPerUsername = failuresPerUsername
            self.failuresPerClient = failuresPerClient
            self.window = window
            self.maxTrackedKeys = maxTrackedKeys
        }
    }

    public let limits: Limits
    private let failures = Mutex<[String: [Double]]>([:])

    public init(limits: Limits = Limits()) {
        self.limits = limits
    }

    /// Seconds until another attempt is allowed, or `nil` when one is allowed now.
    public func retryAfter(username: String, client: String, now: Double) -> Int? {
        let limits = self.limits
        return failures.withLock { table -> Int? in
            var wait: Double?
            for (key, limit) in [(Self.userKey(username), limits.failuresPerUsername), (Self.clientKey(client), limits.failuresPerClient)] {
                let recent = (table[key] ?? []).filter { $0 > now - limits.window }
                if recent.count >= limit, let oldest = recent.first {
                    let until = oldest + limits.window - now
                    wait = max(wait ?? 0, until)
                }
            }
            return wait.map { max(1, Int($0.rounded(.up))) }
        }
    }

    /// Counts one failed attempt against both the user name and the client.
    public func recordFailure(username: String, client: String, now: Double) {
        let limits = self.limits
        failures.withLock { table in
            if table.count >= limits.maxTrackedKeys { Self.prune(&table, before: now - limits.window, keep: limits.maxTrackedKeys / 2) }
            for key in [Self.userKey(username), Self.clientKey(client)] {
                var times = (table[key] ?? []).filter { $0 > now - limits.window }
                times.append(now)
                table[key] = times
            }
        }
    }

    /// Clears the user name's failures after a successful login (the client's stay counted).
    public func recordSuccess(username: String) {
        _ = failures.withLock { $0.removeValue(forKey: Self.userKey(username)) }
    }

    private static func userKey(_ username: String) -> String { "u:" + username.lowercased() }
    private static func clientKey(_ client: String) -> String { "c:" + client }

    /// Drops expired entries, then the entries with the oldest last failure until `keep` remain.
    private static func prune(_ table: inout [String: [Double]], before cutoff: Double, keep: Int) {
        table = table.filter { ($0.value.last ?? 0) > cutoff }
        guard table.count > keep else { return }
        let newest = table.sorted { ($0.value.last ?? 0) > ($1.value.last ?? 0) }.prefix(keep)
        table = Dictionary(uniqueKeysWithValues: newest.map { ($0.key, $0.value) })
    }
}
