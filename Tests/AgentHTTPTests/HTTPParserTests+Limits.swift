import AgentHTTP
import Testing

extension HTTPParserTests {
    /// Size limits: each is refused with its status as soon as it is crossed, and inputs just
    /// under it pass.
    @Suite struct Limits {
        typealias H = ParserHarness

        @Test func defaultsMatchTheSecurityNotes() {
            let limits = HTTPParserLimits()
            #expect(limits.maxRequestLineBytes == 8192)
            #expect(limits.maxHeaderBytes == 16384)
            #expect(limits.maxHeaderCount == 100)
            #expect(limits.maxBodyBytes == 1 << 20)
        }

        @Test func requestLineLimitIs414() {
            let prefix = "GET /"
            let suffix = " HTTP/1.1"
            let fits = prefix + String(repeating: "a", count: 8192 - prefix.count - suffix.count) + suffix
            #expect(H.head(H.parse(fits + "\nHost: a\n\n")) != nil)
            let tooLong = prefix + String(repeating: "a", count: 8193 - prefix.count - suffix.count) + suffix
            #expect(H.error(H.parse(tooLong + "\nHost: a\n\n"))?.status == 414)
            // Refused before the line ends: an endless target is not buffered.
            #expect(H.error(H.parse(prefix + String(repeating: "a", count: 9000)))?.status == 414)
        }

        @Test func headerSectionLimitIs431() {
            var limits = HTTPParserLimits()
            limits.maxHeaderBytes = 64
            // "Host: a" CRLF is 9 bytes; "X: " and CRLF are 5 more.
            let fits = "GET / HTTP/1.1\nHost: a\nX: " + String(repeating: "v", count: 64 - 9 - 5) + "\n\n"
            #expect(H.head(H.parse(fits, limits: limits)) != nil)
            let over = "GET / HTTP/1.1\nHost: a\nX: " + String(repeating: "v", count: 64 - 9 - 5 + 1) + "\n\n"
            #expect(H.error(H.parse(over, limits: limits))?.status == 431)
            #expect(H.error(H.parse("GET / HTTP/1.1\nHost: a\nX: " + String(repeating: "v", count: 100),
                                    limits: limits))?.status == 431)
        }

        @Test func defaultHeaderSectionLimitIs431() {
            let big = (0..<40).map { "X-\($0): " + String(repeating: "v", count: 500) + "\n" }.joined()
            #expect(H.error(H.parse("GET / HTTP/1.1\nHost: a\n" + big + "\n"))?.status == 431)
        }

        @Test func headerCountLimitIs431() {
            let ninetyNine = (0..<99).map { "X-\($0): v\n" }.joined()
            #expect(H.head(H.parse("GET / HTTP/1.1\nHost: a\n" + ninetyNine + "\n")) != nil)
            let hundred = (0..<100).map { "X-\($0): v\n" }.joined()
            #expect(H.error(H.parse("GET / HTTP/1.1\nHost: a\n" + hundred + "\n"))?.status == 431)
        }

        @Test func contentLengthOverLimitIs413BeforeAnyBody() {
            var limits = HTTPParserLimits()
            limits.maxBodyBytes = 10
            let ok = H.parse("POST / HTTP/1.1\nHost: a\nContent-Length: 10\n\n0123456789", limits: limits)
            #expect(ok.last == .end([:]))
            let over = H.parse("POST / HTTP/1.1\nHost: a\nContent-Length: 11\n\n01234567890", limits: limits)
            #expect(over.count == 2)          // the head (so the server can answer 413), then the error
            #expect(H.error(over)?.status == 413)
        }

        @Test func chunkedTotalOverLimitIs413() {
            var limits = HTTPParserLimits()
            limits.maxBodyBytes = 10
            let ok = H.parse("POST / HTTP/1.1\nHost: a\nTransfer-Encoding: chunked\n\n5\n01234\n5\n56789\n0\n\n", limits: limits)
            #expect(ok.last == .end([:]))
            let over = H.parse("POST / HTTP/1.1\nHost: a\nTransfer-Encoding: chunked\n\n5\n01234\n6\n567890\n0\n\n",
                               limits: limits)
            #expect(over.dropFirst().first == .body(Array("01234".utf8)))
            #expect(H.error(over)?.status == 413)
        }

        @Test func chunkSizeLineLimitIs400() {
            var limits = HTTPParserLimits()
            limits.maxChunkSizeLineBytes = 16
            let head = "POST / HTTP/1.1\nHost: a\nTransfer-Encoding: chunked\n\n"
            #expect(H.parse(head + "1;abcdefghijklmn\nx\n0\n\n", limits: limits).last == .end([:]))
            #expect(H.error(H.parse(head + "1;abcdefghijklmno\nx\n0\n\n", limits: limits))?.status == 400)
            #expect(H.error(H.parse(head + String(repeating: "0", count: 40), limits: limits))?.status == 400)
        }

        @Test func trailerLimitsAre431() {
            var limits = HTTPParserLimits()
            limits.maxTrailerBytes = 32
            let head = "POST / HTTP/1.1\nHost: a\nTransfer-Encoding: chunked\n\n0\n"
            let fits = H.parse(head + "X: " + String(repeating: "t", count: 27) + "\n\n", limits: limits)
            #expect(fits.last == .end(["X": String(repeating: "t", count: 27)]))
            let over = H.parse(head + "X: " + String(repeating: "t", count: 28) + "\n\n", limits: limits)
            #expect(H.error(over)?.status == 431)
            limits = HTTPParserLimits(maxHeaderCount: 2)
            #expect(H.error(H.parse(head + "A: 1\nB: 2\nC: 3\n\n", limits: limits))?.status == 431)
        }
    }
}
