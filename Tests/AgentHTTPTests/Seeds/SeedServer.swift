import AgentCore
import AgentHTTP
import AgentStore
import AgentTesting
import Foundation

/// agentd's HTTP routes (native API, S0, S4) on a live server bound to an ephemeral port, over a
/// real session service (SQLite, real bash and editor) whose model is the fake Messages API. With
/// `daemonStack`, the whole stack agentd serves (`AgentdStack`: seed 001, `/openapi.json`,
/// `/metrics` and the middleware too).
struct SeedServer: Sendable {
    let fake: FakeMessagesServer
    let directory: TemporaryDirectory
    let store: SQLiteSessionStore
    let service: SessionService
    let server: HTTPServer
    let port: Int
    /// The key the service's own model client sends.
    static let daemonKey = "sk-ant-daemon-default-key"

    /// Starts everything.
    /// - Parameters:
    ///   - heartbeat: S4's heartbeat interval.
    ///   - now: S4's clock for browser tokens.
    ///   - daemonStack: serve `AgentdStack` instead (S4 then has its default heartbeat and clock).
    static func start(heartbeat: Duration = .seconds(30), now: (@Sendable () -> Double)? = nil,
                      daemonStack: Bool = false) async throws -> SeedServer {
        let fake = try FakeMessagesServer()
        let directory = try TemporaryDirectory(prefix: "agentd-seeds")
        let store = try SQLiteSessionStore(path: directory.file("agentd.db"))
        let service = SessionService(
            store: store, model: AnthropicClient(apiKey: daemonKey, baseURL: fake.baseURL, retryPolicy: RetryPolicy(maxRetries: 0)),
            environments: StandardEnvironmentProvider(),
            configuration: SessionServiceConfiguration(inactivityTimeout: nil, workingDirectoryRoot: directory.file("work")))
        try await service.start()
        let handler: any HTTPHandler
        if daemonStack {
            handler = try AgentdStack(service: service, corsOrigins: [], settingsFile: directory.file(Self.settingsFileName)).handler
        } else {
            var router = Router()
            NativeAPI(service: service).register(on: &router)
            AnthropicComputerUseAPI(service: service).register(on: &router)
            try OpenBrowserAPI(service: service, heartbeat: heartbeat, now: now,
                               settingsFile: directory.file(Self.settingsFileName)) {
                AnthropicClient(apiKey: $0, baseURL: $1, retryPolicy: RetryPolicy(maxRetries: 0))
            }.register(on: &router)
            handler = router
        }
        let server = HTTPServer(configuration: HTTPServerConfiguration(host: "127.0.0.1", port: 0), handler: handler)
        let port = try server.start()
        return SeedServer(fake: fake, directory: directory, store: store, service: service, server: server, port: port)
    }

    func stop() async {
        await server.shutdown(gracePeriod: .seconds(1))
        await service.shutdown()
        store.close()
        fake.stop()
        directory.remove()
    }

    /// One request on a fresh connection; the body is JSON unless `rawBody` is given.
    func request(_ method: String, _ path: String, json: JSONValue? = nil, rawBody: String? = nil,
                 headers: [(String, String)] = []) async throws -> SeedResponse {
        let client = try RawHTTPClient(port: port)
        let body = rawBody ?? json.map { $0.serialized() } ?? ""
        var text = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nConnection: close\r\n"
        if json != nil || rawBody != nil, !headers.contains(where: { $0.0.lowercased() == "content-type" }) {
            text += "Content-Type: application/json\r\n"
        }
        for (name, value) in headers { text += "\(name): \(value)\r\n" }
        text += "Content-Length: \(body.utf8.count)\r\n\r\n" + body
        try await client.send(text)
        return SeedResponse(raw: try await client.response())
    }

    /// Where the S4 dialect keeps its `/api/config` settings, in `directory`.
    static let settingsFileName = "openbrowser-settings.json"

    func get(_ path: String) async throws -> SeedResponse { try await request("GET", path) }
    func post(_ path: String, _ json: JSONValue) async throws -> SeedResponse { try await request("POST", path, json: json) }
    func delete(_ path: String) async throws -> SeedResponse { try await request("DELETE", path) }

    /// Opens an SSE stream: sends the request and reads the response head.
    func stream(_ method: String, _ path: String, json: JSONValue? = nil, headers: [(String, String)] = []) async throws
        -> SSEClient
    {
        let client = try RawHTTPClient(port: port)
        let body = json?.serialized() ?? ""
        var text = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\n"
        if json != nil { text += "Content-Type: application/json\r\n" }
        for (name, value) in headers { text += "\(name): \(value)\r\n" }
        text += "Content-Length: \(body.utf8.count)\r\n\r\n" + body
        try await client.send(text)
        let head = try await client.run { try $0.readHead() }
        return SSEClient(client: client, head: head)
    }

    /// Opens a WebSocket at `path` (with extra `headers`) and completes the handshake.
    func webSocket(_ path: String, headers: [(String, String)] = []) async throws -> WSClient {
        let client = try RawHTTPClient(port: port)
        let extra = headers.map { "\($0.0): \($0.1)\r\n" }.joined()
        try await client.send("GET \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\(extra)\r\n")
        let head = try await client.run { try $0.readHead() }
        return WSClient(client: client, status: head.status)
    }

    /// Waits until the session is not running (through the service, not by sleeping).
    func settle(_ id: String) async throws -> SessionRecord {
        try await service.waitUntilSettled(id, timeout: 30)
    }
}

/// A response with its body as JSON.
struct SeedResponse: Sendable {
    let status: Int
    let headers: [String: String]
    let text: String
    /// The body as received (images).
    let body: [UInt8]
    var json: JSONValue { (try? JSONValue(parsing: Array(text.utf8))) ?? .null }

    init(raw: RawResponse) {
        status = raw.status
        headers = Dictionary(raw.headers.map { ($0.name.lowercased(), $0.value) }, uniquingKeysWith: { first, _ in first })
        text = raw.text
        body = raw.body
    }

    func header(_ name: String) -> String? { headers[name.lowercased()] }
}

/// One Server-Sent Event as a client parses it.
struct SSEEvent: Sendable {
    var type: String
    var data: JSONValue
}

/// Reads a chunked `text/event-stream` body event by event.
final class SSEClient: @unchecked Sendable {
    let client: RawHTTPClient
    let status: Int
    let contentType: String?
    private var pending = ""
    private var ended = false

    init(client: RawHTTPClient, head: RawResponse) {
        self.client = client
        status = head.status
        contentType = head.header("content-type")
    }

    /// The next event, or nil when the stream ended.
    func next() async throws -> SSEEvent? {
        try await client.run { _ in try self.nextNow() }
    }

    /// Every event until the stream ends.
    func all() async throws -> [SSEEvent] {
        var events: [SSEEvent] = []
        while let event = try await next() { events.append(event) }
        return events
    }

    /// Events until one of type `type` (included).
    func until(_ type: String) async throws -> [SSEEvent] {
        var events: [SSEEvent] = []
        while let event = try await next() {
            events.append(event)
            if event.type == type { break }
        }
        return events
    }

    /// Hangs up.
    func close() { client.shutdownWrite(); shutdown(client.fd, Int32(SHUT_RDWR)) }

    private func nextNow() throws -> SSEEvent? {
        while true {
            if let range = pending.range(of: "\n\n") {
                let block = String(pending[..<range.lowerBound])
                pending.removeSubrange(..<range.upperBound)
                var type = "message", data = ""
                for line in block.split(separator: "\n") {
                    if line.hasPrefix("event: ") { type = String(line.dropFirst(7)) }
                    if line.hasPrefix("data: ") { data += line.dropFirst(6) }
                }
                if data.isEmpty { continue }  // comments, `retry:`
                return SSEEvent(type: type, data: (try? JSONValue(parsing: Array(data.utf8))) ?? .string(data))
            }
            if ended { return nil }
            guard let chunk = try client.readChunk() else {
                ended = true
                continue
            }
            pending += String(decoding: chunk, as: UTF8.self)
        }
    }
}

/// A WebSocket client over a raw socket: masked frames out, the server's frames in.
final class WSClient: @unchecked Sendable {
    let client: RawHTTPClient
    /// The handshake's status (101 when upgraded).
    let status: Int

    init(client: RawHTTPClient, status: Int) {
        self.client = client
        self.status = status
    }

    func send(_ json: JSONValue) async throws {
        let bytes = WebSocketFrame.text(json.serialized()).encoded(maskingKey: 0x1234_5678)
        try await client.run { try $0.sendNow(bytes) }
    }

    /// The next frame, or nil when the connection ended.
    func frame() async throws -> WebSocketFrame? {
        try await client.run { client in
            do {
                let header = try client.readExactly(2)
                var length = Int(header[1] & 0x7F)
                if length == 126 { length = try client.readExactly(2).reduce(0) { $0 << 8 | Int($1) } }
                if length == 127 { length = try client.readExactly(8).reduce(0) { $0 << 8 | Int($1) } }
                let payload = try client.readExactly(length)
                return WebSocketFrame(fin: header[0] & 0x80 != 0, opcode: .init(rawValue: header[0]), payload: payload)
            } catch {
                return nil
            }
        }
    }

    /// The next JSON text message (nil once the server closed).
    func message() async throws -> JSONValue? {
        while let frame = try await frame() {
            if frame.opcode == .close { return nil }
            if frame.opcode == .text { return try JSONValue(parsing: frame.payload) }
        }
        return nil
    }

    /// Messages until one of `type` (included), or until the connection ends.
    func messages(until type: String, where condition: (JSONValue) -> Bool = { _ in true }) async throws -> [JSONValue] {
        var seen: [JSONValue] = []
        while let message = try await message() {
            seen.append(message)
            if message["type"]?.stringValue == type, condition(message) { break }
        }
        return seen
    }

    func close() async throws {
        let bytes = WebSocketFrame.close(code: .normalClosure).encoded(maskingKey: 0x0102_0304)
        try await client.run { try $0.sendNow(bytes) }
    }
}
