import AgentHTTP
import Testing

/// What a parser produced for one input, with body pieces merged so that results of
/// different splits of the same bytes compare equal.
enum Outcome: Equatable, CustomStringConvertible {
    case head(HTTPRequestHead)
    case body([UInt8])
    case end(HTTPHeaders)
    case error(HTTPParseError)

    var description: String {
        switch self {
        case .head(let head): "head(\(head.method) \(head.target) \(head.version))"
        case .body(let bytes): "body(\(bytes.count) bytes)"
        case .end(let trailers): "end(\(trailers.count) trailers)"
        case .error(let error): "error(\(error))"
        }
    }
}

enum ParserHarness {
    /// Feeds `pieces` one after another, pulling every event after each, and stops at the first error.
    static func run(_ pieces: [ArraySlice<UInt8>], limits: HTTPParserLimits = HTTPParserLimits()) -> [Outcome] {
        var parser = HTTPRequestParser(limits: limits)
        var outcomes: [Outcome] = []
        for piece in pieces {
            parser.append(piece)
            do {
                while let event = try parser.next() {
                    switch event {
                    case .head(let head): outcomes.append(.head(head))
                    case .body(let bytes):
                        #expect(!bytes.isEmpty)
                        if case .body(let previous) = outcomes.last {
                            outcomes[outcomes.count - 1] = .body(previous + bytes)
                        } else {
                            outcomes.append(.body(bytes))
                        }
                    case .end(let trailers): outcomes.append(.end(trailers))
                    }
                }
            } catch {
                outcomes.append(.error(error))
                return outcomes
            }
        }
        return outcomes
    }

    /// Parses `bytes` whole, then at every split point (two pieces) and byte by byte, expects
    /// the same outcome each time, and returns it. Long inputs use a sample of split points.
    static func parse(_ bytes: [UInt8], limits: HTTPParserLimits = HTTPParserLimits(),
                      sourceLocation: SourceLocation = #_sourceLocation) -> [Outcome] {
        let whole = run([bytes[...]], limits: limits)
        let step = max(1, bytes.count / 512)
        for split in stride(from: 1, to: bytes.count, by: step) {
            let pieces = [bytes[..<split], bytes[split...]]
            let outcome = run(pieces, limits: limits)
            #expect(outcome == whole, "split at \(split)", sourceLocation: sourceLocation)
            if outcome != whole { break }
        }
        let byteByByte = run(bytes.indices.map { bytes[$0...$0] }, limits: limits)
        #expect(byteByByte == whole, "byte by byte", sourceLocation: sourceLocation)
        return whole
    }

    /// `parse` for text where "\n" stands for CRLF (write "\\LF" nowhere; use bytes for bare LF).
    static func parse(_ text: String, limits: HTTPParserLimits = HTTPParserLimits(),
                      sourceLocation: SourceLocation = #_sourceLocation) -> [Outcome] {
        parse(crlf(text), limits: limits, sourceLocation: sourceLocation)
    }

    /// The UTF-8 bytes of `text` with every "\n" turned into CRLF.
    static func crlf(_ text: String) -> [UInt8] {
        Array(text.replacingOccurrences("\n", with: "\r\n").utf8)
    }

    /// The error, if the outcome ended in one.
    static func error(_ outcomes: [Outcome]) -> HTTPParseError? {
        if case .error(let error) = outcomes.last { return error }
        return nil
    }

    /// The first head in the outcome.
    static func head(_ outcomes: [Outcome]) -> HTTPRequestHead? {
        for case .head(let head) in outcomes { return head }
        return nil
    }
}

extension String {
    /// Foundation-free replacement of every occurrence of `target`.
    func replacingOccurrences(_ target: Character, with replacement: String) -> String {
        var result = ""
        for character in self {
            if character == target { result += replacement } else { result.append(character) }
        }
        return result
    }
}
