/// Spending limits over a session's whole life (all runs), in tokens and in US dollars.
///
/// Crossing a soft threshold asks for approval before the next tool call (once per threshold);
/// reaching a hard cap stops the run with status `stopped`.
public struct SessionBudget: Sendable, Hashable {
    public var softTokens: Int?
    public var hardTokens: Int?
    public var softCostUSD: Double?
    public var hardCostUSD: Double?

    public init(softTokens: Int? = nil, hardTokens: Int? = nil, softCostUSD: Double? = nil, hardCostUSD: Double? = nil) {
        self.softTokens = softTokens
        self.hardTokens = hardTokens
        self.softCostUSD = softCostUSD
        self.hardCostUSD = hardCostUSD
    }

    /// Whether `usage` (costing `cost`) is past a soft threshold.
    public func isPastSoftThreshold(_ usage: Usage, cost: Double) -> Bool {
        if let softTokens, usage.totalTokens >= softTokens { return true }
        if let softCostUSD, cost >= softCostUSD { return true }
        return false
    }

    /// Why `usage` (costing `cost`) is past a hard cap, or `nil` when it is not.
    public func hardCapReached(_ usage: Usage, cost: Double) -> String? {
        if let hardTokens, usage.totalTokens >= hardTokens {
            return "the session used \(usage.totalTokens) tokens of its \(hardTokens) token budget"
        }
        if let hardCostUSD, cost >= hardCostUSD {
            return "the session cost $\(SessionCost.format(cost)) of its $\(SessionCost.format(hardCostUSD)) budget"
        }
        return nil
    }

    public var json: JSONValue {
        var o: [String: JSONValue] = [:]
        if let softTokens { o["soft_tokens"] = .int(softTokens) }
        if let hardTokens { o["hard_tokens"] = .int(hardTokens) }
        if let softCostUSD { o["soft_cost_usd"] = .double(softCostUSD) }
        if let hardCostUSD { o["hard_cost_usd"] = .double(hardCostUSD) }
        return .object(o)
    }

    public init(json: JSONValue) throws(SessionError) {
        func count(_ key: String) throws(SessionError) -> Int? {
            guard let value = json[key], !value.isNull else { return nil }
            guard let n = value.intValue else { throw .invalidRequest("budget.\(key) must be an integer") }
            guard n > 0 else { throw .invalidValue("budget.\(key) must be a positive integer") }
            return n
        }
        func dollars(_ key: String) throws(SessionError) -> Double? {
            guard let value = json[key], !value.isNull else { return nil }
            guard let n = value.doubleValue else { throw .invalidRequest("budget.\(key) must be a number") }
            guard n > 0 else { throw .invalidValue("budget.\(key) must be a positive number") }
            return n
        }
        self.init(softTokens: try count("soft_tokens"), hardTokens: try count("hard_tokens"),
                  softCostUSD: try dollars("soft_cost_usd"), hardCostUSD: try dollars("hard_cost_usd"))
    }
}
