import AgentHTTP
import Testing

@Suite("HTTPServer: requests and responses", .timeLimit(.minutes(1)))
struct HTTPServerTests {
    @Test func keepAliveServesSeveralRequestsOnOneConnection() async throws {
        try await withServer { port, _ in
            let client = try RawHTTPClient(port: port)
            for index in 1...3 {
                try await client.send(get("/r\(index)"))
                let response = try await client.response()
                #expect(response.status == 200)
                #expect(response.text == "GET /r\(index) ")
                #expect(response.header("Connection") == nil)
                #expect(response.header("Server") == "agentd")
                #expect(response.header("Date")?.hasSuffix(" GMT") == true)
            }
        }
    }

    @Test func pipelinedRequestsAreAnsweredInOrder() async throws {
        // The first request is slowest, so an out-of-order server would answer /b first.
        let handler = ClosureHandler { request in
            if request.path == "/a" { try? await Task.sleep(for: .milliseconds(50)) }
            return HTTPResponse(status: 200, body: .bytes(Array(request.path.utf8)))
        }
        try await withServer(handler: handler) { port, _ in
            let client = try RawHTTPClient(port: port)
            try await client.send(get("/a") + get("/b") + get("/c", close: true))
            var paths: [String] = []
            for _ in 0..<3 { paths.append(try await client.response().text) }
            #expect(paths == ["/a", "/b", "/c"])
            #expect(try await client.closedWithin(seconds: 2))
        }
    }

    @Test func chunkedRequestBodyIsDechunked() async throws {
        try await withServer { port, _ in
            let client = try RawHTTPClient(port: port)
            try await client.send("POST /upload HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"
                                  + "5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n")
            let response = try await client.response()
            #expect(response.text == "POST /upload hello world")
        }
    }

    @Test func expectContinueGetsInterimResponseBeforeBody() async throws {
        try await withServer { port, _ in
            let client = try RawHTTPClient(port: port)
            try await client.send("POST /c HTTP/1.1\r\nHost: t\r\nContent-Length: 4\r\nExpect: 100-continue\r\n\r\n")
            let interim = try await client.response()
            #expect(interim.status == 100)
            try await client.send("data")
            let final = try await client.response()
            #expect(final.status == 200)
            #expect(final.text == "POST /c data")
        }
    }

    @Test func bodyLimitOverrideAnswers413WithoutContinue() async throws {
        let handler = ClosureHandler(limit: { $0.path == "/small" ? 8 : nil }) { request in
            HTTPResponse(status: 200, body: .bytes(request.body))
        }
        try await withServer(handler: handler) { port, _ in
            // Within the default limit on another route.
            let ok = try RawHTTPClient(port: port)
            try await ok.send("POST /big HTTP/1.1\r\nHost: t\r\nContent-Length: 20\r\n\r\n01234567890123456789")
            #expect(try await ok.response().status == 200)

            let client = try RawHTTPClient(port: port)
            try await client.send("POST /small HTTP/1.1\r\nHost: t\r\nContent-Length: 20\r\nExpect: 100-continue\r\n\r\n")
            let response = try await client.response()
            #expect(response.status == 413)
            #expect(response.header("Connection") == "close")
            #expect(response.text.contains("\"status_code\":413"))
            #expect(try await client.closedWithin(seconds: 2))
        }
    }

    @Test func parseErrorAnswersJSONAndCloses() async throws {
        try await withServer { port, _ in
            let client = try RawHTTPClient(port: port)
            try await client.send("GET / HTTP/1.1\r\nHost: t\r\nBad Header: x\r\n\r\n")
            let response = try await client.response()
            #expect(response.status == 400)
            #expect(response.header("Content-Type") == "application/json")
            #expect(response.header("Connection") == "close")
            #expect(response.text.hasPrefix("{\"detail\":\""))
            #expect(response.text.hasSuffix("\"status_code\":400}"))
            #expect(try await client.closedWithin(seconds: 2))
        }
    }

    @Test func headResponseHasLengthButNoBody() async throws {
        try await withServer { port, _ in
            let client = try RawHTTPClient(port: port)
            try await client.send("HEAD /h HTTP/1.1\r\nHost: t\r\n\r\n")
            let head = try await client.response(forHEAD: true)
            #expect(head.status == 200)
            #expect(head.header("Content-Length") == "\("HEAD /h ".utf8.count)")
            // Had the body been sent, it would be read as the next status line.
            try await client.send(get("/after"))
            #expect(try await client.response().text == "GET /after ")
        }
    }

    @Test func http10RequestClosesAfterResponse() async throws {
        try await withServer { port, _ in
            let client = try RawHTTPClient(port: port)
            try await client.send("GET /old HTTP/1.0\r\n\r\n")
            let response = try await client.response()
            #expect(response.text == "GET /old ")
            #expect(response.header("Connection") == "close")
            #expect(try await client.closedWithin(seconds: 2))
        }
    }

    @Test func takenPortGivesClearError() async throws {
        try await withServer { port, _ in
            let second = HTTPServer(configuration: HTTPServerConfiguration(host: "127.0.0.1", port: port),
                                    handler: echoHandler)
            let error = #expect(throws: HTTPServerError.self) { try second.start() }
            #expect(error?.description == "127.0.0.1:\(port) is already in use")
        }
    }

    @Test func connectionsBeyondTheCapAreClosed() async throws {
        try await withServer({ $0.maxConnections = 1; $0.eventLoopCount = 1 }) { port, _ in
            let first = try RawHTTPClient(port: port)
            try await first.send(get("/1"))
            #expect(try await first.response().status == 200)
            let second = try RawHTTPClient(port: port)
            #expect(try await second.closedWithin(seconds: 2))
        }
    }
}
