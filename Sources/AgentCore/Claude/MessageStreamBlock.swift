/// One content block being assembled from `content_block_start`/`_delta`/`_stop` events
/// (reference §3.2), used by `MessageStreamAccumulator`.
struct MessageStreamBlock: Sendable {
    /// The block as accumulated so far.
    private(set) var block: ContentBlock
    /// The concatenated `input_json_delta.partial_json` chunks; nil until the first such delta.
    private var inputJSON: String?
    /// `content_block_stop` arrived (or the block came complete in `message_start`).
    private(set) var isStopped: Bool
    /// A `tool_use` whose input never completed: no `content_block_stop`, or JSON that does not parse
    /// to an object. Such a call must be reported, never executed (reference §3.2, edge case 1).
    private(set) var isIncompleteToolUse = false

    init(started block: ContentBlock, stopped: Bool = false) {
        self.block = block
        self.isStopped = stopped
    }

    /// Applies a `content_block_delta.delta` and returns the progress events it produces for `index`.
    mutating func apply(delta: JSONValue, index: Int) -> [ModelStreamEvent] {
        switch delta["type"]?.stringValue {
        case "text_delta":
            // reference §3.2: text_delta appends to `text`.
            guard case .text(var text) = block, let piece = delta["text"]?.stringValue else { return [] }
            text.text += piece
            block = .text(text)
            return piece.isEmpty ? [] : [.textDelta(index: index, text: piece)]
        case "input_json_delta":
            // reference §3.2: partial_json is buffered per block and parsed only at content_block_stop.
            // Server-tool blocks (`.other`) stream their input the same way.
            guard let piece = delta["partial_json"]?.stringValue else { return [] }
            switch block {
            case .toolUse, .other: inputJSON = (inputJSON ?? "") + piece
            default: break
            }
            return []
        case "thinking_delta":
            // reference §3.2: thinking_delta appends; a final "" delta is common.
            guard case .thinking(var thinking) = block, let piece = delta["thinking"]?.stringValue else { return [] }
            thinking.thinking += piece
            block = .thinking(thinking)
            return piece.isEmpty ? [] : [.thinkingDelta(index: index, text: piece)]
        case "signature_delta":
            // reference §3.2: signature_delta REPLACES the signature.
            guard case .thinking(var thinking) = block, let signature = delta["signature"]?.stringValue else {
                return []
            }
            thinking.signature = signature
            block = .thinking(thinking)
            return []
        case "citations_delta":
            // reference §3.2: citations_delta appends its `citation` to the block's `citations`.
            guard let citation = delta["citation"] else { return [] }
            var extra = block.extra
            extra["citations"] = .array((extra["citations"]?.arrayValue ?? []) + [citation])
            block.extra = extra
            return []
        default:
            // reference §3.1: new delta types may appear; they are ignored.
            return []
        }
    }

    /// Ends the block: parses the buffered tool input.
    /// - Parameter complete: false when the stream ended without this block's `content_block_stop`.
    mutating func stop(complete: Bool) {
        isStopped = true
        let input = bufferedInput()
        switch block {
        case .toolUse(var toolUse):
            switch input {
            case .absent: break
            case .object(let object): toolUse.input = object
            case .invalid: isIncompleteToolUse = true  // keeps the `input` of content_block_start, `{}`
            }
            // reference §3.2, edge case 1: no content_block_stop (max_tokens) means the call is incomplete.
            if !complete { isIncompleteToolUse = true }
            block = .toolUse(toolUse)
        case .other(.object(var fields)):
            if case .object(let object) = input { fields["input"] = object }
            block = .other(.object(fields))
        default:
            break
        }
    }

    private enum BufferedInput {
        /// No `input_json_delta` arrived: the start's `input` stands.
        case absent
        case object(JSONValue)
        /// The buffer is not a JSON object (cut short, or malformed).
        case invalid
    }

    private func bufferedInput() -> BufferedInput {
        guard let inputJSON else { return .absent }
        // reference §3.2: an empty buffer means `input = {}`.
        if inputJSON.utf8.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }) {
            return .object(.object([:]))
        }
        guard let value = try? JSONValue(parsing: inputJSON), case .object = value else { return .invalid }
        return .object(value)
    }
}
