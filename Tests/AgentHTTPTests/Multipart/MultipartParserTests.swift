@testable import AgentHTTP
import Foundation
import Testing

/// What the parser produced for one body, parts whole, so different splits compare equal.
enum MultipartOutcome: Equatable, CustomStringConvertible {
    case part(name: String, filename: String?, contentType: String?, content: [UInt8])
    case end
    case error(MultipartError.Code)

    var description: String {
        switch self {
        case .part(let name, let filename, _, let content):
            "part(\(name), \(filename ?? "-"), \(content.count) bytes: \(String(decoding: content.prefix(40), as: UTF8.self)))"
        case .end: "end"
        case .error(let code): "error(\(code))"
        }
    }
}

enum MultipartHarness {
    /// Feeds `pieces` in turn, pulling every event after each, then ends the input.
    static func run(_ pieces: [ArraySlice<UInt8>], boundary: String,
                    limits: MultipartLimits = MultipartLimits()) -> [MultipartOutcome] {
        var parser = MultipartParser(boundary: try! MultipartBoundary(boundary), limits: limits)
        var outcomes: [MultipartOutcome] = []
        var current: (head: MultipartPartHead, content: [UInt8])?
        func drain() -> Bool {
            do {
                while let event = try parser.next() {
                    switch event {
                    case .partStart(let head):
                        #expect(current == nil)
                        current = (head, [])
                    case .content(let bytes):
                        #expect(!bytes.isEmpty)
                        current?.content += bytes
                    case .partEnd:
                        if let part = current {
                            outcomes.append(.part(name: part.head.name, filename: part.head.filename,
                                                  contentType: part.head.contentType, content: part.content))
                        }
                        current = nil
                    case .end:
                        outcomes.append(.end)
                        return false
                    }
                }
                return true
            } catch {
                outcomes.append(.error(error.code))
                return false
            }
        }
        for piece in pieces {
            parser.append(piece)
            guard drain() else { return outcomes }
        }
        parser.finishInput()
        _ = drain()
        return outcomes
    }

    /// Parses `bytes` whole, split in two at every offset, and byte by byte; expects one outcome.
    static func parse(_ bytes: [UInt8], boundary: String, limits: MultipartLimits = MultipartLimits(),
                      sourceLocation: SourceLocation = #_sourceLocation) -> [MultipartOutcome] {
        let whole = run([bytes[...]], boundary: boundary, limits: limits)
        for split in 0...bytes.count {
            let outcome = run([bytes[..<split], bytes[split...]], boundary: boundary, limits: limits)
            #expect(outcome == whole, "split at \(split)", sourceLocation: sourceLocation)
        }
        let single = run(bytes.indices.map { bytes[$0...$0] }, boundary: boundary, limits: limits)
        #expect(single == whole, "byte by byte", sourceLocation: sourceLocation)
        return whole
    }
}

@Suite("Multipart: parser")
struct MultipartParserTests {
    let boundary = "XyZ-boundary"

    private func body(_ text: String) -> [UInt8] { Array(text.replacingOccurrences(of: "B", with: boundary).utf8) }

    private func part(_ name: String, _ content: String, filename: String? = nil,
                      type: String? = nil) -> MultipartOutcome {
        .part(name: name, filename: filename, contentType: type, content: Array(content.utf8))
    }

    @Test func fieldsAndFileInOrder() {
        var builder = MultipartBody(boundary: boundary)
        builder.field("name", "demo")
        builder.file(Array("tarball bytes".utf8))
        builder.field("note", "")
        builder.close()
        let outcome = MultipartHarness.parse(builder.bytes, boundary: boundary)
        #expect(outcome == [
            part("name", "demo"),
            part("file", "tarball bytes", filename: "agent.tar.gz", type: "application/gzip"),
            part("note", ""),
            .end,
        ])
    }

    @Test func preambleAndEpilogueAreIgnored() {
        let text = "This is the preamble.\r\n--B\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\none\r\n"
            + "--B--\r\nThis is the epilogue, even with --B\r\n in it.\r\n"
        #expect(MultipartHarness.parse(body(text), boundary: boundary) == [part("a", "one"), .end])
    }

    @Test func bodyMayStartWithCRLFBeforeTheFirstDelimiter() {
        let text = "\r\n--B\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\none\r\n--B--"
        #expect(MultipartHarness.parse(body(text), boundary: boundary) == [part("a", "one"), .end])
    }

    @Test func preambleLookingLikeBoundaryWithoutCRLFIsPreamble() {
        // "x--B" is not a delimiter: a delimiter starts a line.
        let text = "x--B\r\n--B\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\none\r\n--B--"
        #expect(MultipartHarness.parse(body(text), boundary: boundary) == [part("a", "one"), .end])
    }

    @Test func closeDelimiterWithoutFinalCRLFEndsTheBody() {
        let text = "--B\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\none\r\n--B--"
        #expect(MultipartHarness.parse(body(text), boundary: boundary) == [part("a", "one"), .end])
    }

    @Test func transportPaddingAfterBoundaries() {
        // RFC 2046 §5.1.1: delimiter transport-padding CRLF; close-delimiter transport-padding.
        let text = "--B \t \r\nContent-Disposition: form-data; name=\"a\"\r\n\r\none\r\n--B\t\r\n"
            + "Content-Disposition: form-data; name=\"b\"\r\n\r\ntwo\r\n--B--  \r\n"
        #expect(MultipartHarness.parse(body(text), boundary: boundary) == [part("a", "one"), part("b", "two"), .end])
    }

    @Test func almostBoundariesInContentAreContent() {
        let tricky = "--XyZ-boundar\r\n--XyZ-boundar\r\n--XyZ-boundaryX\r\n--XyZ-boundary-x\r\n--XyZ-boundary\rx"
            + "--XyZ-boundary\r\nline\r\r\n\r\n-\r\n--\r\n--X"
        var builder = MultipartBody(boundary: boundary)
        builder.file(Array(tricky.utf8))
        builder.file(named: "other", filename: "b.bin", Array("\r\n\r\n--".utf8))
        builder.close()
        let outcome = MultipartHarness.parse(builder.bytes, boundary: boundary)
        #expect(outcome == [
            part("file", tricky, filename: "agent.tar.gz", type: "application/gzip"),
            part("other", "\r\n\r\n--", filename: "b.bin", type: "application/gzip"),
            .end,
        ])
    }

    @Test func contentEndingInCRorDashesBeforeDelimiter() {
        for content in ["\r", "\r\n", "-", "--", "\r\n-", "\r\n--", "\r\n--XyZ", "\r\r\r"] {
            var builder = MultipartBody(boundary: boundary)
            builder.field("a", content)
            builder.close()
            #expect(MultipartHarness.parse(builder.bytes, boundary: boundary) == [part("a", content), .end],
                    "content \(Array(content.utf8))")
        }
    }

    @Test func emptyContentAndEmptyBody() {
        let text = "--B\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n\r\n--B--\r\n"
        #expect(MultipartHarness.parse(body(text), boundary: boundary) == [part("a", ""), .end])
        // A body whose only delimiter is the close delimiter has no parts.
        #expect(MultipartHarness.parse(body("--B--\r\n"), boundary: boundary) == [.end])
    }

    @Test func headerNamesAreCaseInsensitiveAndOtherHeadersIgnored() {
        let text = "--B\r\ncontent-disposition: FORM-DATA; NAME=\"a\"; FileName=\"x.bin\"\r\n"
            + "X-Extra: 1\r\nCONTENT-TYPE: text/plain;charset=utf-8\r\n\r\none\r\n--B--"
        #expect(MultipartHarness.parse(body(text), boundary: boundary)
            == [part("a", "one", filename: "x.bin", type: "text/plain;charset=utf-8"), .end])
    }

    @Test func truncatedBodiesAreRefused() {
        let cases = [
            "",                                                                    // nothing at all
            "no delimiter here\r\n",
            "--B\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\none",      // no closing delimiter
            "--B\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\none\r\n--B",
            "--B\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\none\r\n--B-",
            "--B\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\none\r\n--B\r\n",
            "--B\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\none\r\n--B  ",
            "--B\r\nContent-Disposition: form-data; na",                          // inside the headers
            "--B\r\nContent-Disposition: form-data; name=\"a\"\r\n",
        ]
        for text in cases {
            let outcome = MultipartHarness.parse(body(text), boundary: boundary)
            #expect(outcome.last == .error(.truncated), "\(text.debugDescription) → \(outcome)")
        }
    }

    @Test func malformedPartHeadersAreRefused() {
        let cases = [
            "--B\r\nContent-Disposition form-data\r\n\r\nx\r\n--B--",               // no colon
            "--B\r\n\r\nx\r\n--B--",                                                // no headers at all
            "--B\r\nContent-Type: text/plain\r\n\r\nx\r\n--B--",                    // no Content-Disposition
            "--B\r\nContent-Disposition: attachment; name=\"a\"\r\n\r\nx\r\n--B--", // not form-data
            "--B\r\nContent-Disposition: form-data; filename=\"a\"\r\n\r\nx\r\n--B--", // no name
            "--B\r\nContent-Disposition: form-data; name=\"a\r\n\r\nx\r\n--B--",    // unterminated quote
            "--B\r\nContent-Disposition: form-data; =\"a\"\r\n\r\nx\r\n--B--",     // parameter without a name
            "--B\r\nContent-Disposition: form-data; name=\"a\"\n\r\nx\r\n--B--",    // bare LF
            "--B\r\nContent-Disposition: form-data;\r\n name=\"a\"\r\n\r\nx\r\n--B--", // obs-fold
            "--B\r\nContent-Disposition: form-data; name=\"a\"; filename*=UTF-8''%E2%82\r\n\r\nx\r\n--B--",
            "--B  x\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nx\r\n--B--", // junk after padding
        ]
        for text in cases {
            let outcome = MultipartHarness.parse(body(text), boundary: boundary)
            #expect(outcome.last == .error(.malformedPartHeaders), "\(text.debugDescription) → \(outcome)")
        }
    }

    @Test func tooManyPartsAreRefused() {
        var builder = MultipartBody(boundary: boundary)
        for index in 0..<4 { builder.field("f\(index)", "v") }
        builder.close()
        let limits = MultipartLimits(maxParts: 3)
        let outcome = MultipartHarness.run([builder.bytes[...]], boundary: boundary, limits: limits)
        #expect(outcome.count == 4)
        #expect(outcome.last == .error(.tooManyParts))
        #expect(MultipartHarness.run([builder.bytes[...]], boundary: boundary, limits: MultipartLimits(maxParts: 4)).last
            == .end)
    }

    @Test func oversizedHeaderBlockIsRefusedWhateverTheSplit() {
        let padding = String(repeating: "a", count: 200)
        let text = "--B\r\nContent-Disposition: form-data; name=\"a\"\r\nX-Pad: \(padding)\r\n\r\nx\r\n--B--"
        let limits = MultipartLimits(maxPartHeaderBytes: 128)
        let outcome = MultipartHarness.parse(body(text), boundary: boundary, limits: limits)
        #expect(outcome == [.error(.partHeadersTooLarge)])
        // Exactly at the limit is fine: the line and its CRLF, then the empty line's CRLF.
        let line = "Content-Disposition: form-data; name=\"abcdefghi\""
        let exact = body("--B\r\n\(line)\r\n\r\nx\r\n--B--")
        let fits = MultipartLimits(maxPartHeaderBytes: line.utf8.count + 4)
        #expect(MultipartHarness.parse(exact, boundary: boundary, limits: fits).last == .end)
        let oneShort = MultipartLimits(maxPartHeaderBytes: line.utf8.count + 3)
        #expect(MultipartHarness.parse(exact, boundary: boundary, limits: oneShort) == [.error(.partHeadersTooLarge)])
    }

    @Test func bufferStaysBoundedWhileContentStreams() throws {
        var parser = MultipartParser(boundary: try MultipartBoundary(boundary))
        parser.append(Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\n".utf8))
        var generator = ByteGenerator(seed: 7)
        var delivered = 0
        let piece = 4096
        for _ in 0..<256 {
            parser.append(generator.bytes(piece))
            while let event = try parser.next() {
                if case .content(let bytes) = event { delivered += bytes.count }
            }
            // Held back at most: a possible delimiter (CRLF--boundary plus two bytes).
            #expect(parser.bufferedByteCount <= boundary.utf8.count + 6)
        }
        parser.append(Array("\r\n--\(boundary)--".utf8))
        parser.finishInput()
        var events: [MultipartParser.Event] = []
        while let event = try parser.next() {
            if case .content(let bytes) = event { delivered += bytes.count } else { events.append(event) }
        }
        #expect(events == [.partEnd, .end])
        #expect(delivered == 256 * piece)
    }
}

@Suite("Multipart: part headers and file names")
struct MultipartPartHeadTests {
    private func head(_ disposition: String, type: String? = nil) throws -> MultipartPartHead {
        var fields = [(name: "content-disposition", value: disposition)]
        if let type { fields.append((name: "content-type", value: type)) }
        return try MultipartPartHead(fields: fields, part: 1)
    }

    @Test func quotedFilenameResolvesBackslashEscapes() throws {
        // RFC 9110 §5.6.4 quoted-pair.
        let parsed = try head(#"form-data; name="file"; filename="my \"agent\" \\ v2.tar.gz""#)
        #expect(parsed.name == "file")
        #expect(parsed.filename == #"my "agent" \ v2.tar.gz"#)
    }

    @Test func extendedFilenameIsPercentDecodedUTF8AndPreferred() throws {
        let parsed = try head("form-data; name=\"file\"; filename=\"fallback.tgz\"; filename*=UTF-8''%E2%82%AC%20agent.tar.gz")
        #expect(parsed.filename == "€ agent.tar.gz")
        let lowercase = try head("form-data; name=\"file\"; filename*=utf-8'en'r%C3%A9sum%C3%A9.tgz")
        #expect(lowercase.filename == "résumé.tgz")
    }

    @Test func extendedFilenameInLatin1AndUnknownCharset() throws {
        #expect(try head("form-data; name=\"f\"; filename*=ISO-8859-1''caf%E9.tgz").filename == "café.tgz")
        // A charset we do not read falls back to `filename`.
        #expect(try head("form-data; name=\"f\"; filename=\"plain.tgz\"; filename*=KOI8-R''%C1").filename == "plain.tgz")
    }

    @Test func malformedExtendedFilenameIsRefused() {
        for value in ["UTF-8%E2", "UTF-8''%G1", "UTF-8''%E2%82"] {
            #expect(throws: MultipartError.self) { try head("form-data; name=\"f\"; filename*=\(value)") }
        }
    }

    @Test func rawUTF8FilenameAndUnquotedValues() throws {
        #expect(try head("form-data; name=\"f\"; filename=\"日本語.tar.gz\"").filename == "日本語.tar.gz")
        // Unquoted values run to the next ";", spaces included (lenient).
        let unquoted = try head("form-data; name=file ; filename=my agent.tar.gz")
        #expect(unquoted.name == "file")
        #expect(unquoted.filename == "my agent.tar.gz")
        #expect(try head("form-data; name=\"a;b\"").name == "a;b")
    }

    @Test func textFieldHasNoFilenameAndKeepsType() throws {
        let parsed = try head("form-data; name=\"note\"", type: "text/plain")
        #expect(parsed.filename == nil)
        #expect(parsed.contentType == "text/plain")
        // RFC 7578 §4.2: an empty filename is still a (file) part with an empty name.
        #expect(try head("form-data; name=\"file\"; filename=\"\"").filename == "")
    }
}
