import AgentHTTP
import Testing

extension HTTPParserTests {
    /// Framing and syntax attacks (request smuggling and friends): each is refused with the
    /// stated status, however the bytes are split.
    @Suite struct Attacks {
        typealias H = ParserHarness

        static func status(_ raw: String) -> Int? { H.error(H.parse(raw))?.status }
        static func status(_ bytes: [UInt8]) -> Int? { H.error(H.parse(bytes))?.status }

        @Test(arguments: [
            // RFC 9112 §6.3 item 3: both Content-Length and Transfer-Encoding.
            "POST / HTTP/1.1\nHost: a\nContent-Length: 3\nTransfer-Encoding: chunked\n\n",
            "POST / HTTP/1.1\nHost: a\nTransfer-Encoding: chunked\nContent-Length: 0\n\n",
            // Conflicting Content-Length values (RFC 9112 §6.3 item 5).
            "POST / HTTP/1.1\nHost: a\nContent-Length: 3\nContent-Length: 4\n\nabcd",
            "POST / HTTP/1.1\nHost: a\nContent-Length: 3, 4\n\nabcd",
            // Invalid Content-Length: sign, hex, empty, space inside, overflow, empty list member.
            "POST / HTTP/1.1\nHost: a\nContent-Length: -1\n\n",
            "POST / HTTP/1.1\nHost: a\nContent-Length: +3\n\nabc",
            "POST / HTTP/1.1\nHost: a\nContent-Length: 0x10\n\n",
            "POST / HTTP/1.1\nHost: a\nContent-Length:\n\n",
            "POST / HTTP/1.1\nHost: a\nContent-Length: 1 2\n\n",
            "POST / HTTP/1.1\nHost: a\nContent-Length: 99999999999999999999999\n\n",
            "POST / HTTP/1.1\nHost: a\nContent-Length: 3,,3\n\nabc",
            // RFC 9112 §6.3 item 4: chunked must be the final coding.
            "POST / HTTP/1.1\nHost: a\nTransfer-Encoding: gzip\n\n",
            "POST / HTTP/1.1\nHost: a\nTransfer-Encoding: chunked, gzip\n\n",
            "POST / HTTP/1.1\nHost: a\nTransfer-Encoding: identity\n\n",
            "POST / HTTP/1.1\nHost: a\nTransfer-Encoding: \n\n",
            "POST / HTTP/1.1\nHost: a\nTransfer-Encoding: xchunked\n\n",
            "POST / HTTP/1.1\nHost: a\nTransfer-Encoding: chunked\nTransfer-Encoding: chunked\n\n",
            // RFC 9112 §6.1: Transfer-Encoding in HTTP/1.0.
            "POST / HTTP/1.0\nTransfer-Encoding: chunked\n\n0\n\n",
            // RFC 9112 §5.1: whitespace between field name and colon (the classic smuggling vector).
            "POST / HTTP/1.1\nHost: a\nTransfer-Encoding : chunked\n\n0\n\n",
            "POST / HTTP/1.1\nHost: a\nContent-Length\t: 3\n\nabc",
            // RFC 9112 §5.2: obs-fold; §2.2: whitespace before the first field line.
            "GET / HTTP/1.1\nHost: a\nX-A: b\n c\n\n",
            "GET / HTTP/1.1\n Host: a\n\n",
            "GET / HTTP/1.1\nHost: a\nTransfer-Encoding: gzip,\n\tchunked\n\n",
            // Field syntax.
            "GET / HTTP/1.1\nHost: a\nNoColon\n\n",
            "GET / HTTP/1.1\nHost: a\n: empty name\n\n",
            "GET / HTTP/1.1\nHost: a\nBad(Name): x\n\n",
            "GET / HTTP/1.1\nHost: a\nBad\"Name: x\n\n",
            // Host (RFC 9112 §3.2): missing in 1.1, twice, invalid.
            "GET / HTTP/1.1\n\n",
            "GET / HTTP/1.1\nHost: a\nHost: b\n\n",
            "GET / HTTP/1.1\nHost: a b\n\n",
            "GET / HTTP/1.1\nHost: user@evil\n\n",
            "GET / HTTP/1.1\nHost: a/b\n\n",
            // Request line (RFC 9112 §3).
            "GET  / HTTP/1.1\nHost: a\n\n",
            "GET / HTTP/1.1 \nHost: a\n\n",
            "GET /  HTTP/1.1\nHost: a\n\n",
            "GET\t/ HTTP/1.1\nHost: a\n\n",
            "GET /\n\n",
            "GET / http/1.1\nHost: a\n\n",
            "GET / HTTP/1\nHost: a\n\n",
            "GET / HTTP/1.10\nHost: a\n\n",
            "G(T / HTTP/1.1\nHost: a\n\n",
            "G@T / HTTP/1.1\nHost: a\n\n",
            " GET / HTTP/1.1\nHost: a\n\n",
            // Request-target forms (RFC 9112 §3.2).
            "GET * HTTP/1.1\nHost: a\n\n",
            "GET example.com HTTP/1.1\nHost: a\n\n",
            "GET http:/x HTTP/1.1\nHost: a\n\n",
            "GET http:///x HTTP/1.1\nHost: a\n\n",
            "GET http://user@host/ HTTP/1.1\nHost: a\n\n",
            "CONNECT /x HTTP/1.1\nHost: a\n\n",
        ])
        func refusedWith400(raw: String) {
            #expect(Self.status(raw) == 400)
        }

        @Test func unsupportedCodingBeforeChunkedIs501() {
            // RFC 9112 §6.1: a transfer coding the server does not understand gets 501.
            #expect(Self.status("POST / HTTP/1.1\nHost: a\nTransfer-Encoding: gzip, chunked\n\n") == 501)
            #expect(Self.status("POST / HTTP/1.1\nHost: a\nTransfer-Encoding: gzip\nTransfer-Encoding: chunked\n\n") == 501)
        }

        @Test func otherMajorVersionIs505() {
            #expect(Self.status("GET / HTTP/2.0\nHost: a\n\n") == 505)
            #expect(Self.status("GET / HTTP/0.9\n\n") == 505)
        }

        @Test(arguments: [UInt8(0x00), 0x01, 0x0B, 0x0C, 0x0D, 0x1F, 0x7F])
        func controlCharactersInValuesAreRefused(byte: UInt8) {
            let bytes = H.crlf("GET / HTTP/1.1\nHost: a\nX-A: b") + [byte] + H.crlf("c\n\n")
            #expect(Self.status(bytes) == 400)
        }

        @Test(arguments: [UInt8(0x00), 0x09, 0x0D, 0x20, 0x7F, 0x80])
        func controlAndNonASCIICharactersInTargetOrNameAreRefused(byte: UInt8) {
            let target = H.crlf("GET /a") + [byte] + H.crlf("b HTTP/1.1\nHost: a\n\n")
            #expect(Self.status(target) == 400)
            let name = H.crlf("GET / HTTP/1.1\nHost: a\nX-") + [byte] + H.crlf("A: b\n\n")
            #expect(Self.status(name) == 400)
        }

        @Test func bareLFIsRefusedEverywhere() {
            // Documented policy: CRLF only (RFC 9112 §2.2 leaves the choice to us).
            let cases: [[UInt8]] = [
                Array("GET / HTTP/1.1\nHost: a\r\n\r\n".utf8),
                Array("GET / HTTP/1.1\r\nHost: a\n\r\n".utf8),
                Array("GET / HTTP/1.1\r\nHost: a\r\n\n".utf8),
                Array("GET / HTTP/1.1\n\n".utf8),
                Array("\nGET / HTTP/1.1\r\nHost: a\r\n\r\n".utf8),
                Array("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3\nabc\r\n0\r\n\r\n".utf8),
                Array("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\n0\r\n\r\n".utf8),
                Array("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nX: y\n\r\n".utf8),
                Array("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\n".utf8),
            ]
            for bytes in cases {
                #expect(Self.status(bytes) == 400)
            }
        }

        @Test func bareCRIsRefused() {
            #expect(Self.status(Array("GET / HTTP/1.1\r\nHost: a\rX: y\r\n\r\n".utf8)) == 400)
            #expect(Self.status(Array("GET / HTTP/1.1\rHost: a\r\n\r\n".utf8)) == 400)
        }

        @Test(arguments: [
            "g\n",                       // non-hex
            "-1\n",                      // negative
            "\n",                        // empty
            " 5\nhello\n",               // leading whitespace
            "5 \nhello\n",               // whitespace without an extension
            "5x\nhello\n",               // junk after the size
            "0x5\nhello\n",              // C-style prefix
            "ffffffffffffffff0\n",       // overflows 64 bits
            "10000000000000000\n",       // 2^64
            "3\nabcX\n",                 // data longer than the size
            "3\nab\n\n",                 // data shorter than the size
            "3\nabc\n0\nBad Name: x\n\n", // invalid trailer
            "3\nabc\n0\n folded\n\n",     // obs-fold in trailers
        ])
        func badChunksAreRefused(chunks: String) {
            let raw = "POST / HTTP/1.1\nHost: a\nTransfer-Encoding: chunked\n\n" + chunks
            #expect(Self.status(raw) == 400)
        }

        @Test func chunkExtensionWithControlCharacterIsRefused() {
            let bytes = H.crlf("POST / HTTP/1.1\nHost: a\nTransfer-Encoding: chunked\n\n1;a") + [0x00] + H.crlf("\nx\n0\n\n")
            #expect(Self.status(bytes) == 400)
        }

        @Test func hugeButRepresentableChunkSizeIs413() {
            let raw = "POST / HTTP/1.1\nHost: a\nTransfer-Encoding: chunked\n\n7fffffffffffffff\n"
            #expect(Self.status(raw) == 413)
        }

        @Test func smugglingAttemptNeverYieldsASecondHead() {
            // A CL.TE / TE.CL payload must fail before any of the embedded request is parsed.
            let raw = "POST / HTTP/1.1\nHost: a\nContent-Length: 13\nTransfer-Encoding: chunked\n\n0\n\nGET /admin HTTP/1.1\nHost: a\n\n"
            let outcome = H.parse(raw)
            #expect(outcome.count == 1)
            #expect(H.error(outcome)?.status == 400)
        }

        @Test func errorReasonsNeverEchoInput() {
            let secret = String(repeating: "S3CRET", count: 10)
            let inputs = [
                "GET /\(secret) HTTP/9.9\nHost: a\n\n",
                "GET / HTTP/1.1\nHost: a\n\(secret) : x\n\n",
                "POST / HTTP/1.1\nHost: a\nContent-Length: \(secret)\n\n",
                "POST / HTTP/1.1\nHost: a\nTransfer-Encoding: \(secret)\n\n",
            ]
            for raw in inputs {
                let error = H.error(H.parse(raw))
                #expect(error != nil)
                #expect(error.map { !$0.reason.contains("S3CRET") && $0.reason.utf8.count < 80 } == true)
            }
        }
    }
}
