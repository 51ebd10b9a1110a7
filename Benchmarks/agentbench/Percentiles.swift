import AgentCore

/// The minimum, p50, p90, p99 and maximum of a set of milliseconds (nearest rank; NaN when
/// there are none).
///
/// ```swift
/// let summary = Percentiles([12.5, 9.1, 30.2])
/// print(summary.p50, summary.p90)
/// ```
struct Percentiles {
    let count: Int
    let min: Double
    let p50: Double
    let p90: Double
    let p99: Double
    let max: Double

    init(_ values: [Double]) {
        let sorted = values.sorted()
        count = sorted.count
        func at(_ p: Double) -> Double {
            sorted.isEmpty ? .nan : sorted[Swift.min(sorted.count - 1, Int((Double(sorted.count) * p).rounded(.down)))]
        }
        min = sorted.first ?? .nan
        p50 = at(0.5)
        p90 = at(0.9)
        p99 = at(0.99)
        max = sorted.last ?? .nan
    }

    /// `{samples, min_ms, p50_ms, p90_ms, max_ms}`, each name with `prefix` in front (`"login_"`).
    func fields(prefix: String = "") -> [String: JSONValue] {
        let number = Self.number
        return [prefix + "samples": .int(count), prefix + "min_ms": number(min), prefix + "p50_ms": number(p50),
                prefix + "p90_ms": number(p90), prefix + "max_ms": number(max)]
    }

    /// `value` rounded to three decimals, or null when it is not a number (no samples).
    static func number(_ value: Double) -> JSONValue { value.isFinite ? .double(round3(value)) : .null }
}
