import Testing
@testable import AgentCore

@Suite struct SSEDecoderTests {
    // MARK: - Helpers

    /// The events of `StreamFixtures.example` as its framing defines them: one `event:` line and one
    /// `data:` line per block (a naive split that is valid for that stream only).
    static let exampleEvents: [ServerSentEvent] = StreamFixtures.example.split(separator: "\n\n").map { block in
        let lines = block.split(separator: "\n")
        return ServerSentEvent(event: String(lines[0].dropFirst(7)), data: String(lines[1].dropFirst(6)))
    }

    /// Feeds `chunks` to a fresh decoder, then finishes it.
    static func decode(_ chunks: [[UInt8]], maximumEventSize: Int = SSEDecoder.defaultMaximumEventSize) throws
        -> [ServerSentEvent]
    {
        var decoder = SSEDecoder(maximumEventSize: maximumEventSize)
        var events: [ServerSentEvent] = []
        for chunk in chunks { events += try decoder.feed(chunk) }
        return events + (try decoder.finish())
    }

    static func decode(_ text: String) throws -> [ServerSentEvent] { try decode([Array(text.utf8)]) }

    /// The example stream with every LF replaced by `ending`.
    static func example(lineEnding ending: String) -> [UInt8] {
        Array(StreamFixtures.example.replacing("\n", with: ending).utf8)
    }

    // MARK: - The reference §3.3 stream, chunked every way

    @Test func exampleStreamWhole() throws {
        let events = try Self.decode(StreamFixtures.example)
        #expect(events.count == 14)
        #expect(events == Self.exampleEvents)
        #expect(events.map(\.event) == [
            "message_start", "content_block_start", "content_block_delta", "ping", "content_block_delta",
            "content_block_stop", "content_block_start", "content_block_delta", "ping", "content_block_delta",
            "content_block_delta", "content_block_stop", "message_delta", "message_stop",
        ])
        #expect(events[13].data == #"{"type":"message_stop"}"#)
        #expect(events[9].data.contains(#"\"San Francisco\""#))
        #expect(events.allSatisfy { $0.id == nil && $0.retry == nil })
    }

    @Test func exampleStreamWholeNeedsNoFinish() throws {
        var decoder = SSEDecoder()
        #expect(try decoder.feed(Array(StreamFixtures.example.utf8)) == Self.exampleEvents)
        #expect(try decoder.finish() == [])
    }

    @Test(arguments: ["\n", "\r\n", "\r"])
    func exampleStreamSplitAtEveryOffset(lineEnding: String) throws {
        let bytes = Self.example(lineEnding: lineEnding)
        for offset in 0...bytes.count {
            let events = try Self.decode([Array(bytes[..<offset]), Array(bytes[offset...])])
            #expect(events == Self.exampleEvents, "split at \(offset)")
        }
    }

    @Test(arguments: ["\n", "\r\n", "\r"])
    func exampleStreamByteByByte(lineEnding: String) throws {
        let bytes = Self.example(lineEnding: lineEnding)
        #expect(try Self.decode(bytes.map { [$0] }) == Self.exampleEvents)
    }

    @Test func exampleStreamInThreeChunksAtEveryPairOfCRLFBoundaries() throws {
        // Every split that lands between CR and LF, combined with every other such split.
        let bytes = Self.example(lineEnding: "\r\n")
        let boundaries = bytes.indices.filter { bytes[$0] == 0x0D }.map { $0 + 1 }
        for first in boundaries.prefix(8) {
            for second in boundaries where second > first {
                let chunks = [Array(bytes[..<first]), Array(bytes[first..<second]), Array(bytes[second...])]
                #expect(try Self.decode(chunks) == Self.exampleEvents)
            }
        }
    }

    @Test func mixedLineEndings() throws {
        let text = "event: a\r\ndata: 1\r\rdata: 2\n\r\nevent: c\rdata: 3\n\n"
        #expect(try Self.decode(text) == [
            ServerSentEvent(event: "a", data: "1"), ServerSentEvent(data: "2"), ServerSentEvent(event: "c", data: "3"),
        ])
    }

    @Test func emptyChunksChangeNothing() throws {
        let bytes = Self.example(lineEnding: "\r\n")
        var chunks: [[UInt8]] = []
        for byte in bytes { chunks += [[], [byte], []] }
        #expect(try Self.decode(chunks) == Self.exampleEvents)
    }

    // MARK: - Field rules

    @Test func commentsAreIgnored() throws {
        let text = ": hello\n:\nevent: ping\n: between fields\ndata: {}\n:another\n\n: trailing comment\n\n"
        #expect(try Self.decode(text) == [ServerSentEvent(event: "ping", data: "{}")])
    }

    @Test func onlyCommentsDispatchNothing() throws {
        #expect(try Self.decode(": keep-alive\n\n: again\r\n\r\n") == [])
    }

    @Test func multiLineDataJoinsWithLF() throws {
        #expect(try Self.decode("data: a\ndata: b\ndata\ndata:c\n\n") == [ServerSentEvent(data: "a\nb\n\nc")])
    }

    @Test func emptyDataLineDispatchesEmptyData() throws {
        #expect(try Self.decode("data\n\ndata:\n\n") == [ServerSentEvent(data: ""), ServerSentEvent(data: "")])
    }

    @Test func onlyOneLeadingSpaceIsStripped() throws {
        let events = try Self.decode("data:  two\n\ndata:none\n\ndata: a:b: c \n\nevent:  x\ndata: y\n\n")
        #expect(events.map(\.data) == [" two", "none", "a:b: c ", "y"])
        #expect(events[3].event == " x")
    }

    @Test func eventNameResetsAfterDispatch() throws {
        let events = try Self.decode("event: first\ndata: 1\n\ndata: 2\n\n")
        #expect(events == [ServerSentEvent(event: "first", data: "1"), ServerSentEvent(event: "message", data: "2")])
    }

    @Test func blankLineWithoutDataDispatchesNothingAndResetsEventName() throws {
        let events = try Self.decode("event: lonely\n\ndata: 2\n\n\n\n")
        #expect(events == [ServerSentEvent(data: "2")])
    }

    @Test func lastEventNameWins() throws {
        #expect(try Self.decode("event: a\nevent: b\ndata: x\n\n") == [ServerSentEvent(event: "b", data: "x")])
    }

    @Test func unknownAndMiscasedFieldsAreIgnored() throws {
        let text = "foo: bar\nData: no\nEVENT: no\nevent : no\n data: no\ndata: yes\n\n"
        #expect(try Self.decode(text) == [ServerSentEvent(data: "yes")])
    }

    @Test func idPersistsAcrossEventsAndIgnoresNUL() throws {
        var decoder = SSEDecoder()
        let events = try decoder.feed(Array("id: 7\ndata: a\n\ndata: b\n\nid: x\u{0}y\ndata: c\n\nid\ndata: d\n\n".utf8))
        #expect(events.map(\.id) == ["7", "7", "7", nil])
        #expect(decoder.lastEventID == "")
        _ = try decoder.feed(Array("id: 9\n".utf8))
        #expect(decoder.lastEventID == "9")
    }

    @Test func retryTakesDigitsOnly() throws {
        var decoder = SSEDecoder()
        let text = "retry: 3000\ndata: a\n\ndata: b\n\nretry: 3s\ndata: c\n\nretry:\nretry: -1\nretry: 99999999999999999999999\ndata: d\n\n"
        let events = try decoder.feed(Array(text.utf8))
        #expect(events.map(\.retry) == [3000, nil, nil, nil])
        #expect(decoder.reconnectionTime == 3000)
        _ = try decoder.feed(Array("retry: 10\n\n".utf8))
        #expect(decoder.reconnectionTime == 10)
    }

    // MARK: - Start and end of stream

    @Test func leadingBOMIsSkipped() throws {
        let bytes: [UInt8] = [0xEF, 0xBB, 0xBF] + Array("event: x\ndata: y\n\n".utf8)
        for offset in 0...bytes.count {
            #expect(try Self.decode([Array(bytes[..<offset]), Array(bytes[offset...])]) == [ServerSentEvent(event: "x", data: "y")])
        }
        #expect(try Self.decode(bytes.map { [$0] }) == [ServerSentEvent(event: "x", data: "y")])
    }

    @Test func onlyOneBOMAndOnlyAtTheStartIsSkipped() throws {
        // A second BOM makes the first field name unknown.
        #expect(try Self.decode("\u{FEFF}\u{FEFF}data: x\n\ndata: y\n\n") == [ServerSentEvent(data: "y")])
        #expect(try Self.decode("data: x\n\n\u{FEFF}data: y\n\n") == [ServerSentEvent(data: "x")])
        #expect(try Self.decode("data: \u{FEFF}x\n\n") == [ServerSentEvent(data: "\u{FEFF}x")])
    }

    @Test func partialBOMIsData() throws {
        // EF BB then "data": not a BOM; the bytes belong to the first field name, which is then unknown.
        #expect(try Self.decode([[0xEF, 0xBB], Array("data: x\n\ndata: y\n\n".utf8)]) == [ServerSentEvent(data: "y")])
        // A stream of only a partial BOM ends cleanly.
        #expect(try Self.decode([[0xEF], [0xBB]]) == [])
        // A partial BOM held at EOF is still processed as a line.
        #expect(try Self.decode([Array("".utf8), [0xEF]]) == [])
    }

    @Test func missingFinalNewlineIsDispatchedAtFinish() throws {
        var decoder = SSEDecoder()
        #expect(try decoder.feed(Array("event: message_stop\ndata: {\"type\":\"message_stop\"}".utf8)) == [])
        #expect(try decoder.finish() == [ServerSentEvent(event: "message_stop", data: #"{"type":"message_stop"}"#)])
        #expect(try Self.decode("data: x\n") == [ServerSentEvent(data: "x")])
        #expect(try Self.decode("data: x\r") == [ServerSentEvent(data: "x")])
        #expect(try Self.decode("event: only\n") == [])
        #expect(try Self.decode("") == [])
    }

    @Test func exampleWithoutTrailingBlankLineStillYieldsAllEvents() throws {
        let trimmed = String(StreamFixtures.example.dropLast(2))
        #expect(try Self.decode(trimmed) == Self.exampleEvents)
    }

    @Test func decoderIsReusableAfterFinish() throws {
        var decoder = SSEDecoder()
        _ = try decoder.feed(Array("id: 1\nevent: half\ndata: a".utf8))
        #expect(try decoder.finish() == [ServerSentEvent(event: "half", data: "a", id: "1")])
        #expect(try decoder.feed(Array("\u{FEFF}data: b\n\n".utf8)) == [ServerSentEvent(data: "b", id: "1")])
    }

    // MARK: - Payloads

    @Test func paddedJSONIsKeptVerbatim() throws {
        let text = "event: message_stop\ndata: {\"type\":\"message_stop\"     }\n\nevent: ping\ndata: {\"type\": \"ping\"}\n\n"
        let events = try Self.decode(text)
        #expect(events.map(\.data) == [#"{"type":"message_stop"     }"#, #"{"type": "ping"}"#])
        #expect(try JSONValue(parsing: events[0].data)["type"] == "message_stop")
    }

    @Test func invalidUTF8IsReplacedNotFatal() throws {
        let bytes: [UInt8] = Array("data: a".utf8) + [0xFF, 0xC3] + Array("\nevent: ".utf8) + [0x80] + Array("\ndata: b\n\n".utf8)
        let events = try Self.decode([bytes])
        #expect(events == [ServerSentEvent(event: "\u{FFFD}", data: "a\u{FFFD}\u{FFFD}\nb")])
    }

    @Test func multiByteCharacterSplitAcrossChunks() throws {
        let bytes = Array("data: café ☕️\n\n".utf8)
        for offset in 0...bytes.count {
            #expect(try Self.decode([Array(bytes[..<offset]), Array(bytes[offset...])]) == [ServerSentEvent(data: "café ☕️")])
        }
    }

    // MARK: - Size limit

    @Test func lineAtTheLimitIsAccepted() throws {
        // "data: " + 10 bytes = 16 bytes of line, 11 bytes of data buffer.
        #expect(try Self.decode([Array("data: 0123456789\n\n".utf8)], maximumEventSize: 16) == [ServerSentEvent(data: "0123456789")])
    }

    @Test func overlongLineThrows() throws {
        var decoder = SSEDecoder(maximumEventSize: 16)
        #expect(throws: SSEDecoderError.eventTooLarge(limit: 16)) {
            _ = try decoder.feed(Array("data: 0123456789A\n\n".utf8))
        }
        // The decoder stays failed.
        #expect(throws: SSEDecoderError.eventTooLarge(limit: 16)) { _ = try decoder.feed(Array("data: x\n\n".utf8)) }
        #expect(throws: SSEDecoderError.eventTooLarge(limit: 16)) { _ = try decoder.finish() }
    }

    @Test func overlongPartialLineThrowsBeforeItsEnd() throws {
        var decoder = SSEDecoder(maximumEventSize: 16)
        #expect(try decoder.feed(Array(": 0123456789".utf8)) == [])
        #expect(throws: SSEDecoderError.eventTooLarge(limit: 16)) { _ = try decoder.feed(Array("ABCDEF".utf8)) }
    }

    @Test func overlongEventAcrossLinesThrows() throws {
        var decoder = SSEDecoder(maximumEventSize: 16)
        _ = try decoder.feed(Array("data: 01234\ndata: 56789\n".utf8))  // 12 bytes buffered
        #expect(throws: SSEDecoderError.eventTooLarge(limit: 16)) { _ = try decoder.feed(Array("data: abcd\n".utf8)) }
    }

    @Test func limitIsPerEventNotPerStream() throws {
        let text = String(repeating: "data: 0123456789\n\n", count: 100)
        #expect(try Self.decode([Array(text.utf8)], maximumEventSize: 16).count == 100)
    }

    @Test func errorDescribesTheLimit() {
        #expect(SSEDecoderError.eventTooLarge(limit: 64).description.contains("64"))
    }
}

/// Wire streams shared by the SSE and accumulator tests.
enum StreamFixtures {
    /// reference §3.3, verbatim: a text block, then a tool_use whose input arrives in chunks, with pings.
    static let example = #"""
        event: message_start
        data: {"type":"message_start","message":{"model":"claude-haiku-4-5-20251001","id":"msg_01K2JbSUMYhez5RHoK9ZCj9U","type":"message","role":"assistant","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":849,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"cache_creation":{"ephemeral_5m_input_tokens":0,"ephemeral_1h_input_tokens":0},"output_tokens":10,"service_tier":"standard"}}}

        event: content_block_start
        data: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}

        event: content_block_delta
        data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"I'll invoke"}}

        event: ping
        data: {"type":"ping"}

        event: content_block_delta
        data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":" the JSON response tool."}}

        event: content_block_stop
        data: {"type":"content_block_stop","index":0}

        event: content_block_start
        data: {"type":"content_block_start","index":1,"content_block":{"type":"tool_use","id":"toolu_01KFbKqPYSuAKujiL6mTfzYA","name":"json","input":{}}}

        event: content_block_delta
        data: {"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":""}}

        event: ping
        data: {"type":"ping"}

        event: content_block_delta
        data: {"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"{\"elements\": [{\"location\": \"San Francisco\", \"temperature\": 58, \"condition\": \"sunny\"}]"}}

        event: content_block_delta
        data: {"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"}"}}

        event: content_block_stop
        data: {"type":"content_block_stop","index":1}

        event: message_delta
        data: {"type":"message_delta","delta":{"stop_reason":"tool_use","stop_sequence":null},"usage":{"input_tokens":849,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"output_tokens":47}}

        event: message_stop
        data: {"type":"message_stop"}


        """#
}
