import AgentCore
import AgentHTTP
import AgentTesting
import Foundation
import Testing

/// agentd's whole HTTP stack (`AgentdStack`, middleware included) on an ephemeral loopback port,
/// driven over real sockets, with the checks every refused request shares: the status, the error
/// envelope, a message naming the field, and nothing stored changed.
struct LiveNativeAPI: Sendable {
    let seed: SeedServer

    /// Starts a server, runs `body` with it, and stops it whether `body` succeeded or threw.
    static func run(_ body: (LiveNativeAPI) async throws -> Void) async throws {
        let live = LiveNativeAPI(seed: try await SeedServer.start(daemonStack: true))
        do {
            try await body(live)
        } catch {
            await live.seed.stop()
            throw error
        }
        await live.seed.stop()
    }

    var fake: FakeMessagesServer { seed.fake }

    /// One request on its own connection; `json` is sent as `application/json`.
    func send(_ method: String, _ path: String, json: JSONValue? = nil, rawBody: String? = nil,
              headers: [(String, String)] = []) async throws -> SeedResponse {
        try await seed.request(method, path, json: json, rawBody: rawBody, headers: headers)
    }

    /// Creates a session and returns its id.
    func create(_ json: JSONValue = [:], sourceLocation: SourceLocation = #_sourceLocation) async throws -> String {
        let created = try await send("POST", "/api/v1/sessions", json: json)
        #expect(created.status == 201, "\(created.text)", sourceLocation: sourceLocation)
        return try #require(created.json["id"]?.stringValue, sourceLocation: sourceLocation)
    }

    /// Waits (through the API's own long poll) until the session is not running, and returns it.
    func settle(_ id: String) async throws -> JSONValue {
        let settled = try await send("GET", "/api/v1/sessions/\(id)/wait?timeout=30")
        #expect(settled.status == 200)
        return settled.json
    }

    /// Everything stored that a client can see: every session (labels, configuration, status,
    /// `last_seq`, queue length, usage) and each one's conversation length.
    func stored() async throws -> JSONValue {
        let list = try await send("GET", "/api/v1/sessions?limit=500&sort=created_at&order=asc")
        #expect(list.status == 200)
        var messages: [String: JSONValue] = [:]
        for session in list.json["sessions"]?.arrayValue ?? [] {
            guard let id = session["id"]?.stringValue else { continue }
            messages[id] = try await send("GET", "/api/v1/sessions/\(id)/messages?limit=5000").json["total"] ?? .null
        }
        return ["list": list.json, "messages": .object(messages)]
    }

    /// Sends a request that must be refused with `status` in the API's envelope, its message naming
    /// `field` (when given), and checks that nothing stored changed.
    @discardableResult
    func refuse(
        _ status: Int, _ type: String? = nil, naming field: String? = nil, _ method: String, _ path: String,
        json: JSONValue? = nil, rawBody: String? = nil, headers: [(String, String)] = [],
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> SeedResponse {
        let before = try await stored()
        let response = try await send(method, path, json: json, rawBody: rawBody, headers: headers)
        let what = "\(method) \(path) \(json?.serialized() ?? rawBody ?? "")"
        #expect(response.status == status, "\(what): \(response.text)", sourceLocation: sourceLocation)
        #expect(response.json["status_code"] == .int(status), "\(what)", sourceLocation: sourceLocation)
        #expect(response.json["detail"] == response.json["message"], "\(what)", sourceLocation: sourceLocation)
        #expect(response.header("X-Request-ID") == response.json["request_id"]?.stringValue, sourceLocation: sourceLocation)
        if let type { #expect(response.json["error"] == .string(type), "\(what): \(response.text)", sourceLocation: sourceLocation) }
        if let field {
            let detail = response.json["detail"]?.stringValue ?? ""
            #expect(detail.contains(field), "\(what): '\(detail)' does not name \(field)", sourceLocation: sourceLocation)
        }
        let after = try await stored()
        #expect(after == before, "\(what) changed what is stored: \(before.serialized()) became \(after.serialized())",
                sourceLocation: sourceLocation)
        return response
    }

    /// A wrong method on `path` is a 405 whose `Allow` lists the methods the path has.
    func refuseMethod(_ method: String, _ path: String, allow: String,
                      sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let response = try await refuse(405, "method_not_allowed", method, path, sourceLocation: sourceLocation)
        #expect(response.header("Allow") == allow, "\(method) \(path)", sourceLocation: sourceLocation)
    }

    /// A body over the server's 1 MiB limit is refused from its `Content-Length` alone (a client
    /// sending `Expect: 100-continue` never uploads it) with 413, and the connection closes.
    func refuseOversized(_ method: String, _ path: String, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let before = try await stored()
        let client = try RawHTTPClient(port: seed.port)
        try await client.send("\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(seed.port)\r\nContent-Type: application/json\r\n"
            + "Content-Length: \((1 << 20) + 1)\r\nExpect: 100-continue\r\n\r\n")
        let response = SeedResponse(raw: try await client.response())
        #expect(response.status == 413, "\(method) \(path): \(response.text)", sourceLocation: sourceLocation)
        #expect(response.json["status_code"] == 413, sourceLocation: sourceLocation)
        #expect(response.header("Connection") == "close", sourceLocation: sourceLocation)
        #expect(try await stored() == before, "\(method) \(path) with an oversized body changed what is stored",
                sourceLocation: sourceLocation)
    }

    /// The refusals every JSON body shares: not JSON (400), not an object (400), not declared as
    /// JSON (415), too large (413).
    func refuseBadBodies(_ method: String, _ path: String, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        try await refuse(400, "invalid_request", naming: "JSON", method, path, rawBody: "{oops",
                         sourceLocation: sourceLocation)
        try await refuse(400, "invalid_request", naming: "object", method, path, json: [1, 2], sourceLocation: sourceLocation)
        try await refuse(415, "unsupported_media_type", naming: "Content-Type", method, path, rawBody: "content=hi",
                         headers: [("Content-Type", "application/x-www-form-urlencoded")], sourceLocation: sourceLocation)
        try await refuseOversized(method, path, sourceLocation: sourceLocation)
    }
}
