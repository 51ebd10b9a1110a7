import AgentCore
import Foundation

/// A JSON client of one agentd for the platform benchmark: every request carries the credential
/// (`X-API-Key`, else `Authorization: Bearer`), and answers are parsed as JSON.
///
/// ```swift
/// let client = PlatformClient(port: daemon.port, apiKey: key)
/// let agent = try client.call("POST", "/api/v1/agents", json: ["name": "bench"], expect: 201)
/// ```
struct PlatformClient: Sendable {
    let port: Int
    var apiKey: String?
    var token: String?

    /// The credential header, if any.
    var headers: [(String, String)] {
        if let apiKey { return [("X-API-Key", apiKey)] }
        if let token { return [("Authorization", "Bearer \(token)")] }
        return []
    }

    /// One request on `socket` (a fresh connection when nil); the answer's status and JSON body.
    func send(_ method: String, _ path: String, json: JSONValue? = nil, on socket: BlockingSocket? = nil) throws
        -> (status: Int, json: JSONValue) {
        let connection = try socket ?? BlockingSocket(port: port)
        defer { if socket == nil { connection.close() } }
        let answer = try connection.request(method, path, headers: headers, body: json.map { $0.serializedBytes() })
        let body = answer.body.isEmpty ? JSONValue.null : ((try? JSONValue(parsing: answer.body)) ?? .string(answer.body))
        return (answer.status, body)
    }

    /// Like `send`, but an answer other than `expect` is an error naming the request.
    @discardableResult
    func call(_ method: String, _ path: String, json: JSONValue? = nil, expect: Int = 200, on socket: BlockingSocket? = nil) throws
        -> JSONValue {
        let answer = try send(method, path, json: json, on: socket)
        guard answer.status == expect else {
            throw BenchError("\(method) \(path): \(answer.status) \(answer.json.serialized().prefix(300))")
        }
        return answer.json
    }
}
