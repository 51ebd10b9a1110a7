import AgentCore
import AgentHTTP
import AgentStore
import AgentTesting
import Foundation
import Synchronization
import Testing

/// The native API on a real session service and SQLite file, called without sockets.
struct APIHarness {
    let sessions: ScriptedSessions
    var service: SessionService { sessions.service }
    let router: Router

    init(script: String = "[]", tools: [any Tool] = []) async throws {
        sessions = try await ScriptedSessions(script: script, tools: tools, prefix: "agentd-api")
        var router = Router()
        NativeAPI(service: sessions.service).register(on: &router)
        self.router = router
    }

    func finish() async { await sessions.finish() }

    /// Sends a request built from its parts, as a client would put it on the wire.
    func send(_ method: String, _ target: String, json: JSONValue? = nil, headers: [(String, String)] = [],
              rawBody: String? = nil) async throws -> Answer {
        let body = rawBody.map { Array($0.utf8) } ?? json?.serializedBytes() ?? []
        var text = "\(method) \(target) HTTP/1.1\r\nHost: localhost\r\n"
        if json != nil, !headers.contains(where: { $0.0 == "Content-Type" }) { text += "Content-Type: application/json\r\n" }
        for (name, value) in headers { text += "\(name): \(value)\r\n" }
        text += "Content-Length: \(body.count)\r\n\r\n"
        var parser = HTTPRequestParser()
        parser.append(Array(text.utf8) + body)
        guard case .head(let head)? = try parser.next() else { throw CancellationError() }
        var received: [UInt8] = []
        while let event = try parser.next() {
            if case .body(let bytes) = event { received += bytes }
            if case .end = event { break }
        }
        return Answer(response: await router.handle(HTTPRequest(head: head, body: received)))
    }

    /// A response with its body read.
    struct Answer {
        let response: HTTPResponse
        var status: Int { response.status }
        var bytes: [UInt8] {
            if case .bytes(let bytes) = response.body { return bytes }
            return []
        }
        var json: JSONValue { (try? JSONValue(parsing: bytes)) ?? .null }
        func header(_ name: String) -> String? { response.headers[name] }
    }
}

/// Collects what a streamed body writes, and fails once it has `limit` writes (as a client that
/// hangs up would).
final class CollectingWriter: HTTPBodyWriter {
    private let chunks = Mutex<[[UInt8]]>([])
    let limit: Int
    init(limit: Int) { self.limit = limit }

    struct HungUp: Error {}

    func write(_ bytes: [UInt8]) async throws {
        let count = chunks.withLock { $0.append(bytes); return $0.count }
        if count >= limit { throw HungUp() }
    }

    var text: String { chunks.withLock { $0.map { String(decoding: $0, as: UTF8.self) }.joined() } }
}
