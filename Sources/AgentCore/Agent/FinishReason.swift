/// Why a run ended.
public struct FinishReason: Sendable, Hashable, CustomStringConvertible {
    /// The kind of ending. An open set, so services can add their own.
    public struct Kind: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        /// The model finished its turn (`end_turn` or a stop sequence): success.
        public static let endTurn = Kind(rawValue: "end_turn")
        /// The reply hit `max_tokens` with nothing left to run.
        public static let maxTokens = Kind(rawValue: "max_tokens")
        /// The model refused (`stop_reason: refusal`).
        public static let refusal = Kind(rawValue: "refusal")
        /// The conversation no longer fits the model's context window.
        public static let contextWindowExceeded = Kind(rawValue: "context_window_exceeded")
        /// The step limit was reached.
        public static let maxSteps = Kind(rawValue: "max_steps")
        /// The wall-clock limit was reached.
        public static let timeout = Kind(rawValue: "timeout")
        /// The token budget was spent.
        public static let tokenBudget = Kind(rawValue: "token_budget")
        /// Someone stopped the run.
        public static let stopped = Kind(rawValue: "stopped")
        /// The same tool call kept producing the same result.
        public static let stalled = Kind(rawValue: "stalled")
        /// The model call failed (after retries), or the run could not go on.
        public static let error = Kind(rawValue: "error")
    }

    public var kind: Kind
    /// A sentence for people.
    public var message: String
    /// The model error behind an `.error` ending.
    public var modelError: ModelError?

    public init(_ kind: Kind, _ message: String, modelError: ModelError? = nil) {
        self.kind = kind
        self.message = message
        self.modelError = modelError
    }

    /// True when the model ended its turn normally.
    public var isSuccess: Bool { kind == .endTurn }

    public var description: String { "\(kind.rawValue): \(message)" }

    public var json: JSONValue {
        var o: [String: JSONValue] = ["reason": .string(kind.rawValue), "message": .string(message)]
        if let e = modelError {
            var err: [String: JSONValue] = ["type": .string(e.kind.rawValue), "message": .string(e.message)]
            if let s = e.status { err["status"] = .int(s) }
            if let r = e.requestID { err["request_id"] = .string(r) }
            o["error"] = .object(err)
        }
        return .object(o)
    }
}
