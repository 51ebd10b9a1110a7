import AgentCore
import AgentHTTP
import AgentStore
import AgentTesting
import Foundation

/// agentd's HTTP stack with seed 001 at the root, on a real session service (SQLite, real
/// desktops) whose model is the fake Messages API server, listening on an ephemeral port.
///
/// The stack is built as `Daemon.handler` builds it: the native API, `/metrics`, seed 001, the
/// WebSocket tally, seed 001's rate limits, metrics by route.
final class CambioServer: Sendable {
    let model: FakeMessagesServer
    let directory: String
    let store: SQLiteSessionStore
    let service: SessionService
    let server: HTTPServer
    let port: Int
    let connections: WebSocketTally

    init(configuration: CambioConfiguration = CambioConfiguration()) async throws {
        model = try FakeMessagesServer()
        directory = NSTemporaryDirectory() + "agentd-s1-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        store = try SQLiteSessionStore(path: directory + "/agentd.db")
        service = SessionService(
            store: store, model: AnthropicClient(apiKey: "test-key", baseURL: model.baseURL),
            environments: StandardEnvironmentProvider(),
            configuration: SessionServiceConfiguration(inactivityTimeout: nil, workingDirectoryRoot: directory + "/work",
                                                       desktopWidth: 800, desktopHeight: 600))
        try await service.start()
        var router = Router()
        NativeAPI(service: service).register(on: &router)
        let metrics = HTTPMetrics()
        MetricsEndpoint(metrics: metrics, service: service).register(on: &router)
        connections = WebSocketTally()
        let cambio = CambioAPI(service: service, configuration: configuration, connections: connections)
        cambio.register(on: &router)
        let counted = WebSocketTallyMiddleware(wrapping: cambio.rateLimited(router), tally: connections)
        server = HTTPServer(configuration: HTTPServerConfiguration(host: "127.0.0.1", port: 0),
                            handler: MetricsMiddleware(wrapping: counted, metrics: metrics, routes: router))
        port = try server.start()
    }

    /// Starts a server, runs `body` with it, and shuts it down (desktops included) before
    /// returning, whether `body` succeeded or threw.
    static func run(_ configuration: CambioConfiguration = CambioConfiguration(),
                    _ body: (CambioServer) async throws -> Void) async throws {
        let server = try await CambioServer(configuration: configuration)
        do {
            try await body(server)
        } catch {
            await server.finish()
            throw error
        }
        await server.finish()
    }

    func finish() async {
        await server.shutdown(gracePeriod: .seconds(1))
        await service.shutdown()
        store.close()
        model.stop()
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// One request on its own connection.
    func request(_ method: String, _ target: String, json: JSONValue? = nil, headers: [(String, String)] = [])
        async throws -> CambioResponse
    {
        let client = try RawHTTPClient(port: port)
        let body = json.map { $0.serialized() } ?? ""
        var text = "\(method) \(target) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nConnection: close\r\n"
        if json != nil { text += "Content-Type: application/json\r\n" }
        for (name, value) in headers { text += "\(name): \(value)\r\n" }
        text += "Content-Length: \(body.utf8.count)\r\n\r\n" + body
        try await client.send(text)
        return CambioResponse(raw: try await client.response())
    }

    /// A created session's id.
    func createSession(_ body: JSONValue = ["name": "test"]) async throws -> String {
        let response = try await request("POST", "/sessions", json: body)
        guard response.status == 200, let id = response.json["id"]?.stringValue else {
            throw ClientError("create failed: \(response.status) \(response.raw.text)")
        }
        return id
    }
}

/// A response with its JSON read.
struct CambioResponse {
    let raw: RawResponse
    var status: Int { raw.status }
    var json: JSONValue { (try? JSONValue(parsing: raw.body)) ?? .null }
    func header(_ name: String) -> String? { raw.header(name) }
}

/// A WebSocket client over a real TCP connection (RFC 6455 client side: masked frames).
final class LiveWebSocket: Sendable {
    let client: RawHTTPClient
    /// The 101 response (or the refusal).
    let handshake: RawResponse

    /// Opens `path` on `port`; check `handshake.status` for 101.
    init(port: Int, path: String, protocols: [String] = [], origin: String? = nil) async throws {
        client = try RawHTTPClient(port: port)
        var text = "GET \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
        if !protocols.isEmpty { text += "Sec-WebSocket-Protocol: \(protocols.joined(separator: ", "))\r\n" }
        if let origin { text += "Origin: \(origin)\r\n" }
        try await client.send(text + "\r\n")
        handshake = try await client.run { client in
            let head = try client.readHead()
            if head.status == 101 { return head }
            var full = head
            if let length = head.header("content-length"), let count = Int(length) { full.body = try client.readExactly(count) }
            return full
        }
    }

    func send(text: String) async throws {
        try await client.run { try $0.sendNow(WebSocketFrame.text(text).encoded(maskingKey: 0x1234_5678)) }
    }

    func send(binary: [UInt8]) async throws {
        try await client.run { try $0.sendNow(WebSocketFrame.binary(binary).encoded(maskingKey: 0x0BAD_CAFE)) }
    }

    func close() async throws {
        try await client.run { try $0.sendNow(WebSocketFrame.close(code: .normalClosure).encoded(maskingKey: 1)) }
    }

    /// The next data or close frame (pings are skipped), as opcode and payload.
    func receive() async throws -> (opcode: UInt8, payload: [UInt8]) {
        try await client.run { client in
            while true {
                let head = try client.readExactly(2)
                var length = Int(head[1] & 0x7F)
                if length == 126 {
                    length = try client.readExactly(2).reduce(0) { $0 << 8 | Int($1) }
                } else if length == 127 {
                    length = try client.readExactly(8).reduce(0) { $0 << 8 | Int($1) }
                }
                let payload = try client.readExactly(length)
                let opcode = head[0] & 0x0F
                if opcode == 0x9 || opcode == 0xA { continue }
                return (opcode, payload)
            }
        }
    }

    /// The next text message as JSON.
    func receiveJSON() async throws -> JSONValue {
        let frame = try await receive()
        guard frame.opcode == 0x1 else { throw ClientError("expected a text frame, got opcode \(frame.opcode)") }
        return try JSONValue(parsing: frame.payload)
    }

    /// Text messages until one satisfies `stop` (returned last), at most `limit`.
    func receive(until stop: (JSONValue) -> Bool, limit: Int = 200) async throws -> [JSONValue] {
        var seen: [JSONValue] = []
        for _ in 0..<limit {
            let message = try await receiveJSON()
            seen.append(message)
            if stop(message) { return seen }
        }
        throw ClientError("no matching message in \(limit): \(seen.map { $0["type"]?.stringValue ?? "?" })")
    }
}
