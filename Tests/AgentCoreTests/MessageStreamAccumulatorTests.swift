import Testing
@testable import AgentCore

@Suite struct MessageStreamAccumulatorTests {
    // MARK: - Helpers

    /// Decodes a wire stream and accumulates it; returns the response (or throws) and the progress events.
    static func accumulate(_ wire: String, requestID: String? = "req_header") throws -> (MessageResponse, [ModelStreamEvent]) {
        var decoder = SSEDecoder()
        var accumulator = MessageStreamAccumulator(requestID: requestID)
        var progress: [ModelStreamEvent] = []
        for event in try decoder.feed(Array(wire.utf8)) + decoder.finish() {
            progress += try accumulator.consume(event)
        }
        return (try accumulator.finish(), progress)
    }

    /// A wire stream from data payloads: each gets an `event:` line naming its JSON `type`.
    static func wire(_ payloads: [String]) -> String {
        payloads.map { payload -> String in
            let type = (try? JSONValue(parsing: payload))?["type"]?.stringValue ?? "unknown"
            return "event: \(type)\ndata: \(payload)\n\n"
        }.joined()
    }

    static func event(_ payload: String) -> ServerSentEvent {
        ServerSentEvent(event: (try? JSONValue(parsing: payload))?["type"]?.stringValue ?? "message", data: payload)
    }

    static let messageStart = #"{"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant","model":"claude-test","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":100,"cache_read_input_tokens":50,"output_tokens":1}}}"#
    static let messageStop = #"{"type":"message_stop"}"#
    static func messageDelta(_ stopReason: String, usage: String = #","usage":{"output_tokens":30}"#) -> String {
        #"{"type":"message_delta","delta":{"stop_reason":"\#(stopReason)","stop_sequence":null}\#(usage)}"#
    }
    static func blockStart(_ index: Int, _ block: String) -> String {
        #"{"type":"content_block_start","index":\#(index),"content_block":\#(block)}"#
    }
    static func delta(_ index: Int, _ delta: String) -> String {
        #"{"type":"content_block_delta","index":\#(index),"delta":\#(delta)}"#
    }
    static func blockStop(_ index: Int) -> String { #"{"type":"content_block_stop","index":\#(index)}"# }

    // MARK: - reference §3.3

    @Test func exampleStreamGivesTheStatedResult() throws {
        let (response, progress) = try Self.accumulate(StreamFixtures.example, requestID: "req_011C")
        let input: JSONValue = ["elements": [["location": "San Francisco", "temperature": 58, "condition": "sunny"]]]
        #expect(response.content == [
            .text("I'll invoke the JSON response tool."),
            .toolUse(ToolUseBlock(id: "toolu_01KFbKqPYSuAKujiL6mTfzYA", name: "json", input: input)),
        ])
        #expect(response.stopReason == .toolUse)
        #expect(response.stopSequence == nil)
        #expect(response.usage == Usage(inputTokens: 849, outputTokens: 47))
        #expect(response.id == "msg_01K2JbSUMYhez5RHoK9ZCj9U")
        #expect(response.model == "claude-haiku-4-5-20251001")
        #expect(response.requestID == "req_011C")
        #expect(response.incompleteToolUses.isEmpty)
        #expect(response.extra.isEmpty)
        #expect(progress == [
            .textDelta(index: 0, text: "I'll invoke"),
            .textDelta(index: 0, text: " the JSON response tool."),
            .toolUseStarted(index: 1, id: "toolu_01KFbKqPYSuAKujiL6mTfzYA", name: "json"),
        ])
        #expect(response.assistantMessage.toolUses.map(\.input) == [input])
    }

    @Test func exampleStreamByteByByteGivesTheSameResult() throws {
        let (whole, _) = try Self.accumulate(StreamFixtures.example)
        var decoder = SSEDecoder()
        var accumulator = MessageStreamAccumulator(requestID: "req_header")
        for byte in StreamFixtures.example.utf8 {
            for event in try decoder.feed([byte]) { _ = try accumulator.consume(event) }
        }
        #expect(try decoder.finish().isEmpty)
        #expect(accumulator.isComplete)
        #expect(try accumulator.finish() == whole)
    }

    // MARK: - Block types

    @Test func thinkingStreamReplacesTheSignature() throws {
        let wire = Self.wire([
            Self.messageStart,
            Self.blockStart(0, #"{"type":"thinking","thinking":"","signature":"stale"}"#),
            #"{"type": "ping"}"#,
            Self.delta(0, #"{"type":"thinking_delta","thinking":"Let me"}"#),
            Self.delta(0, #"{"type":"thinking_delta","thinking":" think."}"#),
            Self.delta(0, #"{"type":"thinking_delta","thinking":""}"#),
            Self.delta(0, #"{"type":"signature_delta","signature":"EqQBCkYIARgC"}"#),
            Self.blockStop(0),
            Self.blockStart(1, #"{"type":"text","text":""}"#),
            Self.delta(1, #"{"type":"text_delta","text":"42"}"#),
            Self.blockStop(1),
            Self.messageDelta("end_turn"), Self.messageStop,
        ])
        let (response, progress) = try Self.accumulate(wire)
        #expect(response.content == [
            .thinking(ThinkingBlock(thinking: "Let me think.", signature: "EqQBCkYIARgC")), .text("42"),
        ])
        #expect(progress == [
            .thinkingDelta(index: 0, text: "Let me"), .thinkingDelta(index: 0, text: " think."),
            .textDelta(index: 1, text: "42"),
        ])
        #expect(response.stopReason == .endTurn)
    }

    @Test func secondSignatureDeltaReplacesTheFirst() throws {
        let wire = Self.wire([
            Self.messageStart, Self.blockStart(0, #"{"type":"thinking","thinking":"t"}"#),
            Self.delta(0, #"{"type":"signature_delta","signature":"first"}"#),
            Self.delta(0, #"{"type":"signature_delta","signature":"second"}"#),
            Self.blockStop(0), Self.messageDelta("end_turn"), Self.messageStop,
        ])
        #expect(try Self.accumulate(wire).0.content == [.thinking(ThinkingBlock(thinking: "t", signature: "second"))])
    }

    @Test func redactedThinkingIsKept() throws {
        let wire = Self.wire([
            Self.messageStart, Self.blockStart(0, #"{"type":"redacted_thinking","data":"EmwKAhgBEgy3va"}"#),
            Self.blockStop(0), Self.messageDelta("end_turn"), Self.messageStop,
        ])
        let (response, progress) = try Self.accumulate(wire)
        #expect(response.content == [.redactedThinking(RedactedThinkingBlock(data: "EmwKAhgBEgy3va"))])
        #expect(progress.isEmpty)
    }

    @Test func unknownBlockTypeIsPreservedVerbatim() throws {
        let block = #"{"type":"future_block","payload":{"a":[1,2.5,null]},"note":"x"}"#
        let wire = Self.wire([
            Self.messageStart, Self.blockStart(0, block),
            Self.delta(0, #"{"type":"future_delta","bits":"??"}"#), Self.blockStop(0),
            Self.messageDelta("end_turn"), Self.messageStop,
        ])
        #expect(try Self.accumulate(wire).0.content == [.other(try JSONValue(parsing: block))])
    }

    @Test func serverToolUseStreamsItsInput() throws {
        let wire = Self.wire([
            Self.messageStart,
            Self.blockStart(0, #"{"type":"server_tool_use","id":"srvtoolu_1","name":"web_search","input":{}}"#),
            Self.delta(0, #"{"type":"input_json_delta","partial_json":"{\"query\": "}"#),
            Self.delta(0, #"{"type":"input_json_delta","partial_json":"\"swift\"}"}"#),
            Self.blockStop(0), Self.messageDelta("pause_turn"), Self.messageStop,
        ])
        let (response, _) = try Self.accumulate(wire)
        #expect(response.content == [
            .other(["type": "server_tool_use", "id": "srvtoolu_1", "name": "web_search", "input": ["query": "swift"]]),
        ])
        #expect(response.stopReason == .pauseTurn)
    }

    @Test func citationsDeltaAppendsToCitations() throws {
        let wire = Self.wire([
            Self.messageStart, Self.blockStart(0, #"{"type":"text","text":""}"#),
            Self.delta(0, #"{"type":"citations_delta","citation":{"type":"char_location","cited_text":"a"}}"#),
            Self.delta(0, #"{"type":"text_delta","text":"claim"}"#),
            Self.delta(0, #"{"type":"citations_delta","citation":{"type":"char_location","cited_text":"b"}}"#),
            Self.blockStop(0), Self.messageDelta("end_turn"), Self.messageStop,
        ])
        let citations: JSONValue = [
            ["type": "char_location", "cited_text": "a"], ["type": "char_location", "cited_text": "b"],
        ]
        #expect(try Self.accumulate(wire).0.content == [.text(TextBlock(text: "claim", extra: ["citations": citations]))])
    }

    @Test func initialTextOfABlockIsReportedAsADelta() throws {
        let wire = Self.wire([
            Self.messageStart, Self.blockStart(0, #"{"type":"text","text":"Hi"}"#),
            Self.delta(0, #"{"type":"text_delta","text":""}"#), Self.delta(0, #"{"type":"text_delta","text":"!"}"#),
            Self.blockStop(0), Self.messageDelta("end_turn"), Self.messageStop,
        ])
        let (response, progress) = try Self.accumulate(wire)
        #expect(response.content == [.text("Hi!")])
        #expect(progress == [.textDelta(index: 0, text: "Hi"), .textDelta(index: 0, text: "!")])
    }

    // MARK: - Tool input

    @Test(arguments: [[], [""], ["", " ", ""]])
    func emptyToolInputIsEmptyObject(chunks: [String]) throws {
        var payloads = [Self.messageStart, Self.blockStart(0, #"{"type":"tool_use","id":"toolu_1","name":"screenshot","input":{}}"#)]
        for chunk in chunks {
            payloads.append(Self.delta(0, #"{"type":"input_json_delta","partial_json":"\#(chunk)"}"#))
        }
        payloads += [Self.blockStop(0), Self.messageDelta("tool_use"), Self.messageStop]
        let (response, _) = try Self.accumulate(Self.wire(payloads))
        #expect(response.content == [.toolUse(ToolUseBlock(id: "toolu_1", name: "screenshot", input: [:]))])
        #expect(response.incompleteToolUses.isEmpty)
    }

    @Test func maxTokensInsideAToolCallMarksItIncomplete() throws {
        let wire = Self.wire([
            Self.messageStart, Self.blockStart(0, #"{"type":"text","text":"Writing."}"#), Self.blockStop(0),
            Self.blockStart(1, #"{"type":"tool_use","id":"toolu_2","name":"str_replace_based_edit_tool","input":{}}"#),
            Self.delta(1, #"{"type":"input_json_delta","partial_json":"{\"command\": \"create\", \"file_text\": \"abc"}"#),
            Self.messageDelta("max_tokens"), Self.messageStop,
        ])
        let (response, _) = try Self.accumulate(wire)
        #expect(response.stopReason == .maxTokens)
        #expect(response.incompleteToolUses == [1])
        #expect(response.content[1] == .toolUse(ToolUseBlock(id: "toolu_2", name: "str_replace_based_edit_tool", input: [:])))
        #expect(response.assistantMessage.content == [.text("Writing.")])
    }

    @Test func unterminatedToolBlockIsIncompleteEvenIfItsJSONParses() throws {
        let wire = Self.wire([
            Self.messageStart, Self.blockStart(0, #"{"type":"tool_use","id":"t","name":"bash","input":{}}"#),
            Self.delta(0, #"{"type":"input_json_delta","partial_json":"{\"command\":\"ls\"}"}"#),
            Self.messageDelta("max_tokens"), Self.messageStop,
        ])
        let (response, _) = try Self.accumulate(wire)
        #expect(response.incompleteToolUses == [0])
        #expect(response.content == [.toolUse(ToolUseBlock(id: "t", name: "bash", input: ["command": "ls"]))])
    }

    @Test(arguments: [#"{\"a\": "#, "[1,2]", "nope"])
    func unparsableToolInputIsIncomplete(partial: String) throws {
        let wire = Self.wire([
            Self.messageStart, Self.blockStart(0, #"{"type":"tool_use","id":"t","name":"bash","input":{}}"#),
            Self.delta(0, #"{"type":"input_json_delta","partial_json":"\#(partial)"}"#), Self.blockStop(0),
            Self.messageDelta("tool_use"), Self.messageStop,
        ])
        let (response, _) = try Self.accumulate(wire)
        #expect(response.incompleteToolUses == [0])
        #expect(response.content == [.toolUse(ToolUseBlock(id: "t", name: "bash", input: [:]))])
        #expect(response.assistantMessage.content.isEmpty)
    }

    // MARK: - Message-level events

    @Test func usageCountsAreOverwrittenNotAdded() throws {
        var accumulator = MessageStreamAccumulator()
        _ = try accumulator.consume(Self.event(Self.messageStart))
        _ = try accumulator.consume(Self.event(#"{"type":"message_delta","delta":{},"usage":{"output_tokens":20}}"#))
        _ = try accumulator.consume(Self.event(#"{"type":"message_delta","delta":{"stop_reason":"end_turn"}}"#))
        _ = try accumulator.consume(Self.event(Self.messageStop))
        #expect(try accumulator.finish().usage == Usage(inputTokens: 100, outputTokens: 20, cacheReadInputTokens: 50))

        var second = MessageStreamAccumulator()
        _ = try second.consume(Self.event(Self.messageStart))
        _ = try second.consume(Self.event(Self.messageDelta("end_turn", usage: #","usage":{"output_tokens":10}"#)))
        _ = try second.consume(Self.event(Self.messageDelta("end_turn", usage: #","usage":{"input_tokens":120,"cache_creation_input_tokens":7,"output_tokens":40,"server_tool_use":{"web_search_requests":1}}"#)))
        _ = try second.consume(Self.event(Self.messageStop))
        let response = try second.finish()
        #expect(response.usage == Usage(inputTokens: 120, outputTokens: 40, cacheCreationInputTokens: 7, cacheReadInputTokens: 50))
        #expect(response.stopReason == .endTurn)
    }

    @Test func messageDeltaWithoutUsageKeepsTheStartUsage() throws {
        let wire = Self.wire([Self.messageStart, Self.messageDelta("end_turn", usage: ""), Self.messageStop])
        let (response, _) = try Self.accumulate(wire)
        #expect(response.usage == Usage(inputTokens: 100, outputTokens: 1, cacheReadInputTokens: 50))
        #expect(response.content.isEmpty)
    }

    @Test func extraKeysAreKept() throws {
        let start = #"{"type":"message_start","message":{"model":"m","id":"msg_x","type":"message","role":"assistant","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":1,"output_tokens":1},"container":null}}"#
        let delta = #"{"type":"message_delta","delta":{"stop_reason":"stop_sequence","stop_sequence":"END","stop_details":{"type":"x"}},"usage":{"output_tokens":2}}"#
        let stop = #"{"type":"message_stop","amazon-bedrock-invocationMetrics":{"inputTokenCount":1}}"#
        let (response, _) = try Self.accumulate(Self.wire([start, delta, stop]))
        #expect(response.stopReason == .stopSequence)
        #expect(response.stopSequence == "END")
        #expect(response.extra == [
            "container": .null, "stop_details": ["type": "x"], "amazon-bedrock-invocationMetrics": ["inputTokenCount": 1],
        ])
    }

    @Test func paddedPayloadsAndDifferentEventNamesDispatchOnJSONType() throws {
        var accumulator = MessageStreamAccumulator()
        _ = try accumulator.consume(ServerSentEvent(event: "message", data: Self.messageStart + "   "))
        _ = try accumulator.consume(ServerSentEvent(event: "message_delta", data: #"{ "delta" : {"stop_reason" : "end_turn"} , "type" : "message_delta"      }"#))
        _ = try accumulator.consume(ServerSentEvent(event: "whatever", data: #"{"type":"message_stop"               }"#))
        #expect(accumulator.isComplete)
        #expect(try accumulator.finish().stopReason == .endTurn)
    }

    @Test func pingsUnknownEventsAndUnknownDeltasAreIgnored() throws {
        let wire = Self.wire([
            #"{"type": "ping"}"#, Self.messageStart, #"{"type":"future_event","x":[1]}"#,
            Self.blockStart(0, #"{"type":"text","text":""}"#),
            Self.delta(0, #"{"type":"future_delta","text":"not appended"}"#),
            Self.delta(0, #"{"type":"text_delta","text":"kept"}"#), #"{"type": "ping"}"#, Self.blockStop(0),
            Self.messageDelta("end_turn"), Self.messageStop,
        ]) + "event: surprise\ndata: not json at all\n\n"
        let (response, progress) = try Self.accumulate(wire)
        #expect(response.content == [.text("kept")])
        #expect(progress == [.textDelta(index: 0, text: "kept")])
    }

    @Test func eventsAfterMessageStopAreIgnored() throws {
        var accumulator = MessageStreamAccumulator()
        #expect(!accumulator.hasStarted)
        _ = try accumulator.consume(Self.event(Self.messageStart))
        #expect(accumulator.hasStarted && !accumulator.isComplete)
        _ = try accumulator.consume(Self.event(Self.messageStop))
        #expect(try accumulator.consume(Self.event(Self.blockStart(0, #"{"type":"text","text":"late"}"#))) == [])
        #expect(try accumulator.finish().content.isEmpty)
    }

    // MARK: - Errors

    @Test func midStreamErrorEventThrowsTypedError() throws {
        var accumulator = MessageStreamAccumulator(requestID: "req_header")
        _ = try accumulator.consume(Self.event(Self.messageStart))
        _ = try accumulator.consume(Self.event(Self.blockStart(0, #"{"type":"text","text":""}"#)))
        _ = try accumulator.consume(Self.event(Self.delta(0, #"{"type":"text_delta","text":"partial"}"#)))
        let expected = ModelError(kind: .overloaded, message: "Overloaded", status: 200, requestID: "req_011CSHoEeqs5C35K2UUqR7Fy", duringStream: true)
        #expect(throws: expected) {
            _ = try accumulator.consume(Self.event(#"{"type":"error","error":{"details":null,"type":"overloaded_error","message":"Overloaded"},"request_id":"req_011CSHoEeqs5C35K2UUqR7Fy"}"#))
        }
        #expect(expected.isTransient)
        // The error is terminal: later calls report it again.
        #expect(throws: expected) { _ = try accumulator.consume(Self.event(Self.messageStop)) }
        #expect(throws: expected) { _ = try accumulator.finish() }
    }

    @Test func errorEventWithoutRequestIDUsesTheHeader() throws {
        var accumulator = MessageStreamAccumulator(requestID: "req_header")
        #expect(throws: ModelError(kind: .api, message: "Internal server error", status: 200, requestID: "req_header", duringStream: true)) {
            _ = try accumulator.consume(ServerSentEvent(event: "error", data: #"{"type":"error","error":{"type":"api_error","message":"Internal server error"}}"#))
        }
    }

    @Test func missingMessageStopIsStreamInterrupted() throws {
        let truncated = String(StreamFixtures.example.split(separator: "event: message_stop")[0])
        do {
            _ = try Self.accumulate(truncated, requestID: "req_cut")
            Issue.record("expected an error")
        } catch let error as ModelError {
            #expect(error.kind == .streamInterrupted)
            #expect(error.requestID == "req_cut")
            #expect(error.isTransient)
        }
    }

    @Test func emptyStreamIsStreamInterrupted() {
        do {
            _ = try MessageStreamAccumulator(requestID: nil).finish()
            Issue.record("expected an error")
        } catch {
            #expect(error.kind == .streamInterrupted)
        }
    }

    @Test(arguments: [
        [blockStart(0, #"{"type":"text","text":""}"#)],  // before message_start
        [messageStart, messageStart],
        [messageStart, blockStart(1, #"{"type":"text","text":""}"#)],  // index gap
        [messageStart, blockStart(0, #"{"type":"tool_use","name":"no_id"}"#)],
        [messageStart, delta(0, #"{"type":"text_delta","text":"x"}"#)],  // no open block
        [messageStart, blockStart(0, #"{"type":"text","text":""}"#), blockStop(0), blockStop(0)],
        [messageStart, #"{"type":"content_block_delta","index":0}"#],
        [messageDelta("end_turn")],
        [messageStop],
    ])
    func protocolViolationsAreInvalidResponses(payloads: [String]) throws {
        var accumulator = MessageStreamAccumulator(requestID: "req_bad")
        do {
            for payload in payloads { _ = try accumulator.consume(Self.event(payload)) }
            Issue.record("expected an error")
        } catch {
            #expect(error.kind == .invalidResponse)
            #expect(error.requestID == "req_bad")
        }
    }

    @Test func unparsableDataOfAKnownEventIsInvalidResponse() {
        var accumulator = MessageStreamAccumulator()
        #expect(throws: ModelError.self) {
            _ = try accumulator.consume(ServerSentEvent(event: "content_block_delta", data: #"{"type":"content_block_delta","#))
        }
    }
}
