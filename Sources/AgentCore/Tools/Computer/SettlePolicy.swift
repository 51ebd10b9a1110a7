/// How long to wait after an action before the screenshot: until two frames in a row are
/// identical, at least `minimum` seconds and at most `maximum` (the reference demo slept 2 s always).
public struct SettlePolicy: Sendable, Hashable {
    /// Seconds to wait before the first comparison (apps need a moment to react to input).
    public var minimum: Double
    /// Seconds between two frames that must be identical.
    public var interval: Double
    /// Seconds after which the screenshot is taken anyway (an animation never settles).
    public var maximum: Double

    public init(minimum: Double = 0.04, interval: Double = 0.02, maximum: Double = 1.5) {
        self.minimum = minimum
        self.interval = interval
        self.maximum = maximum
    }

    /// No waiting at all: for benchmarks of the raw action cost.
    public static let immediate = SettlePolicy(minimum: 0, interval: 0, maximum: 0)
}
