// libFuzzer harness for `WebSocketFrameParser` (build and run: `make fuzz`).
//
// Each input is parsed three ways: whole, split in two at a point chosen by the first byte,
// and byte by byte. Any trap is a finding: a crash inside the parser, outcomes that differ
// between splits, a message or control frame beyond its limit, a close code other than
// 1002/1007/1009, or input buffered beyond what was appended.

import AgentHTTP

/// Small limits so that the fuzzer reaches every limit check quickly.
let fuzzLimits = WebSocketParserLimits(maxFrameBytes: 200, maxMessageBytes: 500)

enum FuzzOutcome: Equatable {
    case event(WebSocketParserEvent)
    case error(WebSocketProtocolError)
}

func parse(_ pieces: [ArraySlice<UInt8>]) -> [FuzzOutcome] {
    var parser = WebSocketFrameParser(limits: fuzzLimits)
    var outcomes: [FuzzOutcome] = []
    let total = pieces.reduce(0) { $0 + $1.count }
    for piece in pieces {
        parser.append(piece)
        precondition(parser.bufferedByteCount <= total)
        do {
            while let event = try parser.next() {
                switch event {
                case .message(.text(let text)):
                    precondition(text.utf8.count <= fuzzLimits.maxMessageBytes, "text beyond the limit")
                case .message(.binary(let bytes)):
                    precondition(bytes.count <= fuzzLimits.maxMessageBytes, "binary beyond the limit")
                case .ping(let payload), .pong(let payload):
                    precondition(payload.count <= 125, "control frame beyond 125 bytes")
                case .close(let code, let reason):
                    precondition(code?.isValidOnTheWire ?? true, "invalid close code accepted")
                    precondition(reason.utf8.count <= 123, "close reason beyond 123 bytes")
                }
                outcomes.append(.event(event))
            }
        } catch {
            precondition([1002, 1007, 1009].contains(error.closeCode.rawValue), "unexpected close code")
            outcomes.append(.error(error))
            return outcomes
        }
    }
    return outcomes
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzWebSocketFrameParser(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    checkSplitInvariance(data, size, parse: parse)
    return 0
}
