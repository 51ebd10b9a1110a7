/// Why the model stopped generating. An open set: values the API adds later pass through.
public struct StopReason: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public init(_ rawValue: String) { self.rawValue = rawValue }
    public var description: String { rawValue }

    public static let endTurn = StopReason("end_turn")
    public static let maxTokens = StopReason("max_tokens")
    public static let stopSequence = StopReason("stop_sequence")
    public static let toolUse = StopReason("tool_use")
    public static let pauseTurn = StopReason("pause_turn")
    public static let refusal = StopReason("refusal")
    public static let modelContextWindowExceeded = StopReason("model_context_window_exceeded")
}
