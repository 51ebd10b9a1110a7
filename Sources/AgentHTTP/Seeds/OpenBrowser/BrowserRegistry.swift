import AgentCore
import Synchronization

/// Browser capability tokens (seed 004 "Browser UUID Registration"): a UUID that names one of
/// agentd's environments (`browser`, `desktop`, `none`) until its time to live passes. A
/// conversation given the token gets that environment.
final class BrowserRegistry: Sendable {
    struct Entry: Sendable {
        var environment: String
        var expiresAt: Double
    }

    /// The environments a token may name.
    static let environments = ["browser", "desktop", "none"]

    private let entries = Mutex<[String: Entry]>([:])
    private let now: @Sendable () -> Double

    init(now: @escaping @Sendable () -> Double) { self.now = now }

    /// Registers (or renews) `uuid` for `environment` for `ttl` seconds; returns when it expires.
    func register(_ uuid: String, environment: String, ttl: Double) -> Double {
        let time = now()
        let expiry = time + ttl
        entries.withLock { all in
            all = all.filter { $0.value.expiresAt > time }  // forget expired tokens
            all[uuid] = Entry(environment: environment, expiresAt: expiry)
        }
        return expiry
    }

    /// The environment `uuid` names, or nil when it is unknown or expired.
    func environment(for uuid: String) -> String? {
        let time = now()
        return entries.withLock { all in all[uuid].flatMap { $0.expiresAt > time ? $0.environment : nil } }
    }

    /// How many tokens are valid now.
    var validCount: Int {
        let time = now()
        return entries.withLock { all in all.values.filter { $0.expiresAt > time }.count }
    }

    /// The environment a request's `browser_id` names.
    /// - Throws: 400 when it is not a string, or not registered and valid.
    func environment(named value: JSONValue?) throws(APIError) -> String? {
        guard let value, !value.isNull else { return nil }
        guard let uuid = value.stringValue, !uuid.isEmpty else { throw .badRequest("'browser_id' must be a non-empty string") }
        guard let environment = environment(for: uuid) else {
            throw .badRequest("browser_id '\(uuid)' is not registered or has expired (POST /browsers/register)")
        }
        return environment
    }
}
