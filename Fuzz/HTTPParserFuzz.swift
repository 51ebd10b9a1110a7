// libFuzzer harness for `HTTPRequestParser` (build and run: `make fuzz`).
//
// Each input is parsed three ways: whole, split in two at a point chosen by the first byte,
// and byte by byte. Any trap is a finding: a crash inside the parser, outcomes that differ
// between splits, a body larger than the limit, or input buffered beyond what was appended.

import AgentHTTP

/// Small limits so that the fuzzer reaches every limit check quickly.
let fuzzLimits = HTTPParserLimits(maxRequestLineBytes: 256, maxHeaderBytes: 512, maxHeaderCount: 8,
                                  maxBodyBytes: 1024, maxChunkSizeLineBytes: 32, maxTrailerBytes: 128)

enum FuzzOutcome: Equatable {
    case head(HTTPRequestHead)
    case body([UInt8])
    case end(HTTPHeaders)
    case error(HTTPParseError)
}

func parse(_ pieces: [ArraySlice<UInt8>]) -> [FuzzOutcome] {
    var parser = HTTPRequestParser(limits: fuzzLimits)
    var outcomes: [FuzzOutcome] = []
    var bodyBytes = 0
    for piece in pieces {
        parser.append(piece)
        precondition(parser.bufferedByteCount <= pieces.reduce(0) { $0 + $1.count })
        do {
            while let event = try parser.next() {
                switch event {
                case .head(let head):
                    outcomes.append(.head(head))
                    bodyBytes = 0
                case .body(let bytes):
                    precondition(!bytes.isEmpty, "empty body event")
                    bodyBytes += bytes.count
                    precondition(bodyBytes <= fuzzLimits.maxBodyBytes, "body beyond the limit")
                    if case .body(let previous) = outcomes.last {
                        outcomes[outcomes.count - 1] = .body(previous + bytes)
                    } else {
                        outcomes.append(.body(bytes))
                    }
                case .end(let trailers):
                    outcomes.append(.end(trailers))
                }
            }
        } catch {
            precondition([400, 413, 414, 431, 501, 505].contains(error.status), "unexpected status")
            outcomes.append(.error(error))
            return outcomes
        }
    }
    return outcomes
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzHTTPRequestParser(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    checkSplitInvariance(data, size, parse: parse)
    return 0
}
