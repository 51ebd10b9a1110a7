/// An incremental `text/event-stream` parser following the WHATWG EventSource rules
/// (HTML Living Standard §9.2.6, "Interpreting an event stream"), as reference §3.1 asks.
///
/// Feed it body chunks as they arrive, split anywhere (inside a line, inside a CRLF pair, inside a
/// UTF-8 sequence); it returns the events each chunk completes. Call `finish()` at end of stream.
///
/// ```swift
/// var decoder = SSEDecoder()
/// for chunk in body { for event in try decoder.feed(chunk) { handle(event) } }
/// for event in try decoder.finish() { handle(event) }
/// ```
///
/// Memory is bounded: a line or an event's data longer than `maximumEventSize` bytes throws
/// `SSEDecoderError.eventTooLarge`, after which the decoder throws that error for every call.
public struct SSEDecoder: Sendable {
    /// The default for `maximumEventSize`: 64 MiB.
    public static let defaultMaximumEventSize = 64 << 20

    /// The largest line, and the largest event data, accepted, in bytes.
    public let maximumEventSize: Int
    /// The last event ID buffer: the value of the latest valid `id:` field ("" when none).
    /// It persists across events and across `finish()` (WHATWG HTML §9.2.6).
    public private(set) var lastEventID = ""
    /// The reconnection time in milliseconds from the latest valid `retry:` field, if any.
    public private(set) var reconnectionTime: Int?

    /// Bytes of the line being read, when it spans chunks.
    private var line: [UInt8] = []
    /// The data buffer: each `data:` value followed by LF.
    private var data: [UInt8] = []
    /// The event type buffer.
    private var eventType = ""
    /// A `retry:` value seen since the last blank line, reported on the next event.
    private var pendingRetry: Int?
    /// The previous chunk ended with CR: an LF starting the next chunk belongs to the same line ending.
    private var afterCR = false
    /// Leading bytes held while deciding whether the stream starts with a BOM; `nil` once decided.
    private var bomCandidate: [UInt8]? = []
    private var failure: SSEDecoderError?

    private static let lf: UInt8 = 0x0A, cr: UInt8 = 0x0D, colon: UInt8 = 0x3A, space: UInt8 = 0x20
    private static let bom: [UInt8] = [0xEF, 0xBB, 0xBF]

    /// Creates a decoder for one stream.
    /// - Parameter maximumEventSize: the byte limit for one line and for one event's data.
    public init(maximumEventSize: Int = SSEDecoder.defaultMaximumEventSize) {
        self.maximumEventSize = maximumEventSize
    }

    /// Decodes the next chunk of the stream and returns the events it completes, in order.
    /// - Throws: `SSEDecoderError.eventTooLarge` when a line or an event exceeds `maximumEventSize`.
    public mutating func feed(_ bytes: some Collection<UInt8>) throws(SSEDecoderError) -> [ServerSentEvent] {
        if let failure { throw failure }
        var events: [ServerSentEvent] = []
        let input = Array(bytes)
        var start = 0
        if var candidate = bomCandidate {
            // WHATWG HTML §9.2.6 (UTF-8 decode): one leading U+FEFF BOM is skipped. The BOM may itself
            // arrive split across chunks, so its bytes are held until they match or mismatch.
            while start < input.count, candidate.count < Self.bom.count, input[start] == Self.bom[candidate.count] {
                candidate.append(input[start])
                start += 1
            }
            if candidate.count == Self.bom.count {
                bomCandidate = nil
            } else if start < input.count {
                bomCandidate = nil
                try process(candidate[...], into: &events)
            } else {
                bomCandidate = candidate
                return events
            }
        }
        try process(input[start...], into: &events)
        return events
    }

    /// Ends the stream and returns the event left pending, if any.
    ///
    /// Lenient by design: an unterminated last line is taken as a line, and an event whose blank line
    /// never came is dispatched when it has data (reference §3.2, edge case 4; the strict WHATWG rule
    /// discards it). The decoder is then ready for a new stream; `lastEventID` is kept.
    public mutating func finish() throws(SSEDecoderError) -> [ServerSentEvent] {
        if let failure { throw failure }
        var events: [ServerSentEvent] = []
        if let candidate = bomCandidate, !candidate.isEmpty {
            bomCandidate = nil
            try process(candidate[...], into: &events)
        }
        if !line.isEmpty {
            let last = line
            line = []
            try processLine(last[...], into: &events)
        }
        dispatch(into: &events)
        line = []
        data = []
        eventType = ""
        pendingRetry = nil
        afterCR = false
        bomCandidate = []
        return events
    }

    /// Splits bytes into lines and processes each complete one.
    private mutating func process(_ bytes: ArraySlice<UInt8>, into events: inout [ServerSentEvent])
        throws(SSEDecoderError)
    {
        var i = bytes.startIndex
        let end = bytes.endIndex
        // WHATWG HTML §9.2.6: a line ends with CRLF, LF or CR; a CR ending one chunk and an LF starting
        // the next form one CRLF.
        if afterCR, i < end {
            afterCR = false
            if bytes[i] == Self.lf { i += 1 }
        }
        while i < end {
            var j = i
            while j < end, bytes[j] != Self.lf, bytes[j] != Self.cr { j += 1 }
            if j == end {
                line.append(contentsOf: bytes[i..<end])
                try checkSize(line.count)
                break
            }
            if line.isEmpty {
                try processLine(bytes[i..<j], into: &events)
            } else {
                line.append(contentsOf: bytes[i..<j])
                let complete = line
                line.removeAll(keepingCapacity: line.capacity <= 1 << 16)
                try processLine(complete[...], into: &events)
            }
            if bytes[j] == Self.cr {
                if j + 1 < end {
                    if bytes[j + 1] == Self.lf { j += 1 }
                } else {
                    afterCR = true
                }
            }
            i = j + 1
        }
    }

    /// Interprets one line (without its terminator).
    private mutating func processLine(_ line: ArraySlice<UInt8>, into events: inout [ServerSentEvent])
        throws(SSEDecoderError)
    {
        try checkSize(line.count)
        // WHATWG HTML §9.2.6: an empty line dispatches the event.
        guard let first = line.first else { return dispatch(into: &events) }
        // WHATWG HTML §9.2.6: a line starting with a colon is a comment.
        if first == Self.colon { return }
        let field: ArraySlice<UInt8>
        var value: ArraySlice<UInt8>
        if let colon = line.firstIndex(of: Self.colon) {
            // WHATWG HTML §9.2.6: field is before the first colon; one leading space of the value is dropped.
            field = line[..<colon]
            value = line[(colon + 1)...]
            if value.first == Self.space { value = value.dropFirst() }
        } else {
            // WHATWG HTML §9.2.6: a line without a colon is a field name with an empty value.
            field = line
            value = line[line.endIndex...]
        }
        if field.elementsEqual("data".utf8) {
            // WHATWG HTML §9.2.6: append the value and one LF to the data buffer.
            try checkSize(data.count + value.count + 1)
            data.append(contentsOf: value)
            data.append(Self.lf)
        } else if field.elementsEqual("event".utf8) {
            eventType = String(decoding: value, as: UTF8.self)
        } else if field.elementsEqual("id".utf8) {
            // WHATWG HTML §9.2.6: an id containing U+0000 NULL is ignored.
            if !value.contains(0) { lastEventID = String(decoding: value, as: UTF8.self) }
        } else if field.elementsEqual("retry".utf8) {
            // WHATWG HTML §9.2.6: retry is taken only when it is ASCII digits.
            if let milliseconds = Self.parseDigits(value) {
                reconnectionTime = milliseconds
                pendingRetry = milliseconds
            }
        }
        // WHATWG HTML §9.2.6: any other field is ignored.
    }

    /// Dispatches the pending event, if it has data.
    private mutating func dispatch(into events: inout [ServerSentEvent]) {
        defer {
            // WHATWG HTML §9.2.6: the data and event type buffers are emptied whether or not an event fires.
            data.removeAll(keepingCapacity: data.capacity <= 1 << 16)
            eventType = ""
            pendingRetry = nil
        }
        // WHATWG HTML §9.2.6, dispatch step 2: an empty data buffer fires nothing.
        guard !data.isEmpty else { return }
        // Step 3: remove the last LF.
        data.removeLast()
        events.append(
            ServerSentEvent(
                // Step 5: the type is the event type buffer, or "message" when empty.
                event: eventType.isEmpty ? "message" : eventType,
                data: String(decoding: data, as: UTF8.self),
                id: lastEventID.isEmpty ? nil : lastEventID,
                retry: pendingRetry))
    }

    private mutating func checkSize(_ size: Int) throws(SSEDecoderError) {
        guard size > maximumEventSize else { return }
        let error = SSEDecoderError.eventTooLarge(limit: maximumEventSize)
        failure = error
        line = []
        data = []
        throw error
    }

    /// The value of a non-empty run of ASCII digits, or nil (also on overflow).
    private static func parseDigits(_ bytes: ArraySlice<UInt8>) -> Int? {
        guard !bytes.isEmpty else { return nil }
        var result = 0
        for byte in bytes {
            guard (0x30...0x39).contains(byte) else { return nil }
            let (shifted, o1) = result.multipliedReportingOverflow(by: 10)
            let (sum, o2) = shifted.addingReportingOverflow(Int(byte - 0x30))
            if o1 || o2 { return nil }
            result = sum
        }
        return result
    }
}

/// Why an `SSEDecoder` stopped decoding.
public enum SSEDecoderError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A line, or the data of one event, grew beyond the decoder's `maximumEventSize` bytes.
    /// The stream is hostile or broken; the decoder refuses further input.
    case eventTooLarge(limit: Int)

    /// A one-line explanation.
    public var description: String {
        switch self {
        case .eventTooLarge(let limit): "server-sent event larger than the \(limit)-byte limit"
        }
    }
}
