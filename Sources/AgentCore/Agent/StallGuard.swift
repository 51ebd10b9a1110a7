/// Notices an agent repeating the same tool call with the same result (an unchanged screen).
///
/// Detection is local: it compares each call and its outcome with the previous one, so it spends
/// no tokens.
struct StallGuard {
    let threshold: Int
    private var last: Signature?
    private var repeats = 0

    private struct Signature: Equatable {
        var name: String
        var input: JSONValue
        var output: String?
        var error: String?
        var image: String?
    }

    init(threshold: Int) {
        self.threshold = threshold
    }

    /// Records an outcome; returns true when the same call and result have now happened `threshold` times in a row.
    mutating func record(_ outcome: ToolCallOutcome) -> Bool {
        let signature = Signature(
            name: outcome.call.name, input: outcome.call.input, output: outcome.output, error: outcome.error,
            image: outcome.image?.sha256)
        if signature == last {
            repeats += 1
        } else {
            last = signature
            repeats = 1
        }
        return threshold > 0 && repeats >= threshold
    }
}
