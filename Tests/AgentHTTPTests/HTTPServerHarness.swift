import AgentHTTP

/// A handler built from closures.
struct ClosureHandler: HTTPHandler {
    var limit: @Sendable (HTTPRequestHead) -> Int? = { _ in nil }
    var body: @Sendable (HTTPRequest) async -> HTTPResponse

    init(limit: @escaping @Sendable (HTTPRequestHead) -> Int? = { _ in nil },
         _ body: @escaping @Sendable (HTTPRequest) async -> HTTPResponse) {
        self.limit = limit
        self.body = body
    }

    func handle(_ request: HTTPRequest) async -> HTTPResponse { await body(request) }
    func bodyLimit(for head: HTTPRequestHead) -> Int? { limit(head) }
}

/// Answers `METHOD path body` as text, for checking which request a response belongs to.
let echoHandler = ClosureHandler { request in
    HTTPResponse(status: 200, headers: ["Content-Type": "text/plain"],
                 body: .bytes(Array("\(request.method) \(request.path) ".utf8) + request.body))
}

/// Starts a server on 127.0.0.1 with an ephemeral port, runs `body`, then shuts the server down.
func withServer(_ configure: (inout HTTPServerConfiguration) -> Void = { _ in },
                handler: some HTTPHandler = echoHandler,
                _ body: (_ port: Int, _ server: HTTPServer) async throws -> Void) async throws {
    var configuration = HTTPServerConfiguration(host: "127.0.0.1", port: 0)
    configure(&configuration)
    let server = HTTPServer(configuration: configuration, handler: handler)
    let port = try server.start()
    do {
        try await body(port, server)
    } catch {
        await server.shutdown(gracePeriod: .zero)
        throw error
    }
    await server.shutdown(gracePeriod: .seconds(1))
}

/// A GET request for `path`.
func get(_ path: String, close: Bool = false) -> String {
    "GET \(path) HTTP/1.1\r\nHost: test\r\n" + (close ? "Connection: close\r\n" : "") + "\r\n"
}
