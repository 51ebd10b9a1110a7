import AgentHTTP
import Testing

/// The request parser: features. Attacks and limits are in the nested suites of the other files.
/// Every input goes through `ParserHarness.parse`, which also feeds it at every split point.
@Suite struct HTTPParserTests {
    typealias H = ParserHarness

    @Test func simpleGetGivesHeadThenEnd() throws {
        let outcome = H.parse("GET /health?verbose=1 HTTP/1.1\nHost: localhost:8080\nAccept: */*\n\n")
        #expect(outcome.count == 2)
        let head = try #require(H.head(outcome))
        #expect(head.method == "GET")
        #expect(head.target == "/health?verbose=1")
        #expect(head.path == "/health")
        #expect(head.query == "verbose=1")
        #expect(head.version == .http1_1)
        #expect(head.authority == "localhost:8080")
        #expect(head.bodyFraming == .none)
        #expect(head.keepAlive)
        #expect(!head.expectsContinue)
        #expect(Array(head.headers.map(\.name)) == ["Host", "Accept"])
        #expect(outcome.last == .end([:]))
    }

    @Test func headersKeepOrderAndRepeatsAndLookUpCaseInsensitively() throws {
        let outcome = H.parse("GET / HTTP/1.1\nHost: a\nX-Tag: one\nx-tag:two\nX-TAG:   three  \t\nEmpty:\n\n")
        let head = try #require(H.head(outcome))
        #expect(head.headers.values(for: "x-tag") == ["one", "two", "three"])
        #expect(head.headers["X-Tag"] == "one")
        #expect(head.headers["HOST"] == "a")
        #expect(head.headers["empty"] == "")
        #expect(head.headers["missing"] == nil)
        #expect(head.headers.count == 5)
        #expect(head.headers[3].name == "x-tag" || head.headers[3].name == "X-TAG")
    }

    @Test func contentLengthBodyIsDelivered() throws {
        let outcome = H.parse("POST /echo HTTP/1.1\nHost: a\nContent-Length: 11\n\nhello world")
        #expect(H.head(outcome)?.bodyFraming == .length(11))
        #expect(outcome.dropFirst() == [.body(Array("hello world".utf8)), .end([:])])
    }

    @Test func identicalRepeatedContentLengthIsAccepted() {
        // RFC 9110 §8.6 allows a list of identical values to be read as one.
        let outcome = H.parse("POST / HTTP/1.1\nHost: a\nContent-Length: 3, 3\nContent-Length: 3\n\nabc")
        #expect(outcome.dropFirst() == [.body(Array("abc".utf8)), .end([:])])
    }

    @Test func zeroContentLengthHasNoBodyEvent() {
        let outcome = H.parse("POST / HTTP/1.1\nHost: a\nContent-Length: 0\n\n")
        #expect(outcome.count == 2)
        #expect(outcome.last == .end([:]))
    }

    @Test func chunkedBodyIsDecodedWithExtensionsIgnoredAndTrailersReturned() throws {
        let raw = "POST /up HTTP/1.1\nHost: a\nTransfer-Encoding: chunked\n\n"
            + "5;name=value\nhello\n1 ; x ; y=\"q\"\n \n00A\n0123456789\n0\nX-Checksum: abc\nX-Other: 1\n\n"
        let outcome = H.parse(raw)
        #expect(H.head(outcome)?.bodyFraming == .chunked)
        #expect(outcome.dropFirst() == [.body(Array("hello 0123456789".utf8)),
                                        .end(["X-Checksum": "abc", "X-Other": "1"])])
    }

    @Test func transferEncodingIsCaseInsensitiveListOfChunked() {
        let outcome = H.parse("POST / HTTP/1.1\nHost: a\nTransfer-Encoding: , CHUNKED\n\n3\nabc\n0\n\n")
        #expect(outcome.dropFirst() == [.body(Array("abc".utf8)), .end([:])])
    }

    @Test func expectContinueIsExposedForHTTP11Only() throws {
        let v11 = H.parse("PUT / HTTP/1.1\nHost: a\nExpect: 100-Continue\nContent-Length: 1\n\nx")
        #expect(H.head(v11)?.expectsContinue == true)
        // RFC 9110 §10.1.1: a 100-continue expectation in an HTTP/1.0 request MUST be ignored.
        let v10 = H.parse("PUT / HTTP/1.0\nExpect: 100-continue\nContent-Length: 1\n\nx")
        #expect(H.head(v10)?.expectsContinue == false)
        let none = H.parse("PUT / HTTP/1.1\nHost: a\nContent-Length: 1\n\nx")
        #expect(H.head(none)?.expectsContinue == false)
    }

    @Test(arguments: [
        ("GET / HTTP/1.1\nHost: a\n\n", true),
        ("GET / HTTP/1.1\nHost: a\nConnection: close\n\n", false),
        ("GET / HTTP/1.1\nHost: a\nConnection: Upgrade, CLOSE\n\n", false),
        ("GET / HTTP/1.1\nHost: a\nConnection: keep-alive\n\n", true),
        ("GET / HTTP/1.0\n\n", false),
        ("GET / HTTP/1.0\nConnection: Keep-Alive\n\n", true),
        ("GET / HTTP/1.0\nConnection: keep-alive, close\n\n", false),
        ("GET / HTTP/1.9\nHost: a\n\n", true),
    ])
    func keepAliveFollowsVersionAndConnection(raw: String, keepAlive: Bool) {
        #expect(H.head(H.parse(raw))?.keepAlive == keepAlive)
    }

    @Test func higherMinorVersionIsTreatedAsHTTP11() {
        #expect(H.head(H.parse("GET / HTTP/1.9\nHost: a\n\n"))?.version == .http1_1)
    }

    @Test func http10NeedsNoHost() {
        let head = H.head(H.parse("GET /x HTTP/1.0\n\n"))
        #expect(head?.authority == nil)
        #expect(head?.version == .http1_0)
    }

    @Test func absoluteFormAuthorityOverridesHost() throws {
        let outcome = H.parse("GET http://example.com:81/a/b?c=d HTTP/1.1\nHost: other\n\n")
        let head = try #require(H.head(outcome))
        #expect(head.path == "/a/b")
        #expect(head.query == "c=d")
        #expect(head.authority == "example.com:81")
        let bare = try #require(H.head(H.parse("GET https://example.com HTTP/1.1\nHost: example.com\n\n")))
        #expect(bare.path == "/")
        #expect(bare.query == nil)
    }

    @Test func asteriskAndAuthorityForms() throws {
        let options = try #require(H.head(H.parse("OPTIONS * HTTP/1.1\nHost: a\n\n")))
        #expect(options.path == "*")
        let connect = try #require(H.head(H.parse("CONNECT example.com:443 HTTP/1.1\nHost: example.com:443\n\n")))
        #expect(connect.authority == "example.com:443")
        #expect(connect.path == "")
    }

    @Test func emptyLinesBeforeRequestLineAreSkipped() {
        // RFC 9112 §2.2: ignore at least one empty line before the request-line.
        let outcome = H.parse("\n\nGET / HTTP/1.1\nHost: a\n\n")
        #expect(H.head(outcome)?.path == "/")
        #expect(H.error(H.parse("\n\n\n\n\nGET / HTTP/1.1\nHost: a\n\n"))?.status == 400)
    }

    @Test func obsTextInValuesIsKept() throws {
        let bytes = H.crlf("GET / HTTP/1.1\nHost: a\nX-Name: caf") + [0xC3, 0xA9] + H.crlf("\n\n")
        #expect(H.head(H.parse(bytes))?.headers["x-name"] == "café")
    }

    // MARK: - Pipelining

    @Test func pipelinedRequestsComeOutInOrder() {
        let raw = "GET /1 HTTP/1.1\nHost: a\n\n"
            + "POST /2 HTTP/1.1\nHost: a\nContent-Length: 3\n\nabc"
            + "POST /3 HTTP/1.1\nHost: a\nTransfer-Encoding: chunked\n\n2\nxy\n0\n\n"
            + "\nGET /4 HTTP/1.1\nHost: a\nConnection: close\n\n"
        let outcome = H.parse(raw)
        let paths = outcome.compactMap { if case .head(let head) = $0 { head.path } else { nil } }
        #expect(paths == ["/1", "/2", "/3", "/4"])
        let bodies = outcome.compactMap { if case .body(let bytes) = $0 { String(decoding: bytes, as: UTF8.self) } else { nil } }
        #expect(bodies == ["abc", "xy"])
        #expect(outcome.filter { if case .end = $0 { true } else { false } }.count == 4)
        #expect(H.head(Array(outcome.suffix(2)))?.keepAlive == false)
    }

    @Test func errorInSecondPipelinedRequestComesAfterTheFirstCompletes() {
        let outcome = H.parse("GET /1 HTTP/1.1\nHost: a\n\nGET /2 HTTP/1.1\n\n")
        #expect(outcome.count == 3)
        #expect(H.error(outcome) == HTTPParseError.missingHostForTests)
    }

    @Test func parserStaysFailedAfterAnError() {
        var parser = HTTPRequestParser()
        parser.append(Array("GET / HTTP/1.1\r\nHost : a\r\n\r\n".utf8))
        #expect(throws: HTTPParseError.self) { try parser.next() }
        parser.append(Array("GET / HTTP/1.1\r\nHost: a\r\n\r\n".utf8))
        #expect(throws: HTTPParseError.self) { try parser.next() }
    }

    @Test func idleOnlyBetweenMessages() throws {
        var parser = HTTPRequestParser()
        #expect(parser.isIdle)
        parser.append(Array("GET / HTTP/1.1\r\nHost: a\r\n".utf8))
        #expect(try parser.next() == nil)
        #expect(!parser.isIdle)
        parser.append(Array("\r\n".utf8))
        #expect(try parser.next() != nil)
        #expect(!parser.isIdle)
        #expect(try parser.next() == .end(trailers: [:]))
        #expect(parser.isIdle)
    }

    @Test func acceptsUnsafeRawBufferPointers() throws {
        var parser = HTTPRequestParser()
        let bytes = Array("GET / HTTP/1.1\r\nHost: a\r\n\r\n".utf8)
        bytes.withUnsafeBytes { parser.append($0) }
        guard case .head(let head) = try parser.next() else { Issue.record("no head"); return }
        #expect(head.path == "/")
    }

    // MARK: - Streaming

    @Test func largeContentLengthBodyStreamsWithoutBuffering() throws {
        var limits = HTTPParserLimits()
        limits.maxBodyBytes = 8 << 20
        var parser = HTTPRequestParser(limits: limits)
        let size = 8 << 20
        parser.append(Array("PUT /f HTTP/1.1\r\nHost: a\r\nContent-Length: \(size)\r\n\r\n".utf8))
        guard case .head = try parser.next() else { Issue.record("no head"); return }
        let piece = [UInt8](repeating: 0x61, count: 64 * 1024)
        var received = 0
        var ended = false
        while received < size || !ended {
            if received < size { parser.append(piece) }
            while let event = try parser.next() {
                switch event {
                case .body(let bytes): received += bytes.count
                case .end: ended = true
                case .head: Issue.record("unexpected head")
                }
            }
            #expect(parser.bufferedByteCount == 0)   // everything appended was handed out
        }
        #expect(received == size)
    }

    @Test func largeChunkedBodyStreamsAndStopsAtTheLimit() throws {
        var parser = HTTPRequestParser()      // 1 MiB default
        parser.append(Array("PUT /f HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n".utf8))
        guard case .head = try parser.next() else { Issue.record("no head"); return }
        let chunk = Array("10000\r\n".utf8) + [UInt8](repeating: 0x62, count: 0x10000) + Array("\r\n".utf8)
        var received = 0
        var failure: HTTPParseError?
        for _ in 0..<32 where failure == nil {
            parser.append(chunk)
            do {
                while let event = try parser.next() {
                    if case .body(let bytes) = event { received += bytes.count }
                }
            } catch {
                failure = error
            }
            #expect(parser.bufferedByteCount <= chunk.count)
        }
        #expect(received == 1 << 20)          // 16 chunks of 64 KiB fit exactly
        #expect(failure?.status == 413)
    }

    @Test func bodyLimitCanBeRaisedForOneRequest() throws {
        var limits = HTTPParserLimits()
        limits.maxBodyBytes = 4
        var parser = HTTPRequestParser(limits: limits)
        let two = "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 6\r\n\r\nabcdef"
        parser.append(Array((two + two).utf8))
        guard case .head = try parser.next() else { Issue.record("no head"); return }
        parser.overrideBodyLimit(6)
        #expect(try parser.next() == .body(Array("abcdef".utf8)))
        #expect(try parser.next() == .end(trailers: [:]))
        guard case .head = try parser.next() else { Issue.record("no head"); return }
        #expect(throws: HTTPParseError.self) { try parser.next() }   // back to 4 bytes
    }
}

extension HTTPParseError {
    static var missingHostForTests: HTTPParseError? {
        ParserHarness.error(ParserHarness.run([Array("GET / HTTP/1.1\r\n\r\n".utf8)[...]]))
    }
}
