import AgentCore
import Foundation

/// A small JSON client for agentd's API over libcurl (`CurlHTTPTransport`).
struct APIClient: Sendable {
    /// `http://127.0.0.1:PORT`.
    let baseURL: String
    private let transport = CurlHTTPTransport(maxIdleConnections: 2)

    init(baseURL: String) {
        self.baseURL = baseURL
    }

    /// A response: its status and its body as JSON (`null` when empty or not JSON).
    struct Response: Sendable {
        var status: Int
        var json: JSONValue
        var text: String
    }

    func get(_ path: String) async throws -> Response { try await send("GET", path) }

    func post(_ path: String, _ body: JSONValue) async throws -> Response { try await send("POST", path, body) }

    /// Sends one request (with extra `headers`) and reads the whole response.
    func send(_ method: String, _ path: String, _ body: JSONValue? = nil, headers extra: [HTTPField] = []) async throws -> Response {
        var headers = [HTTPField("accept", "application/json")] + extra
        if body != nil { headers.append(HTTPField("content-type", "application/json")) }
        let request = HTTPClientRequest(
            method: method, url: baseURL + path, headers: headers, body: body?.serializedBytes() ?? [], connectTimeout: 5,
            idleTimeout: 60)
        var status = 0
        var bytes: [UInt8] = []
        for try await part in transport.stream(request) {
            switch part {
            case .head(let head): status = head.status
            case .body(let chunk): bytes += chunk
            }
        }
        return Response(
            status: status, json: (try? JSONValue(parsing: bytes)) ?? .null, text: String(decoding: bytes, as: UTF8.self))
    }
}
