import AgentCore

/// agentd's API over HTTP: JSON requests, and the raw response for streams, images and uploads,
/// each carrying the caller's credential when there is one.
///
/// ```swift
/// let client = AgentdClient(server: "http://127.0.0.1:8000", credential: try Credential.resolve(server: url, environment: env))
/// let session = try await client.json("GET", "/api/v1/sessions/\(id)")
/// ```
struct AgentdClient: Sendable {
    /// The server's base URL, without a trailing slash.
    let server: String
    /// Sent with every request: `X-API-Key` or `Authorization: Bearer`.
    let credential: Credential?
    let transport: any HTTPTransport

    init(server: String, credential: Credential? = nil, transport: any HTTPTransport = CurlHTTPTransport(maxIdleConnections: 2)) {
        var server = server
        while server.hasSuffix("/") { server.removeLast() }
        self.server = server
        self.credential = credential
        self.transport = transport
    }

    /// The headers that carry the credential (none without one).
    var credentialHeaders: [HTTPField] { credential.map { [$0.header] } ?? [] }

    /// A complete response.
    struct Response: Sendable {
        var head: HTTPClientResponseHead
        var body: [UInt8]
        var status: Int { head.status }
    }

    /// Sends a request and returns the JSON answer.
    /// - Returns: the body parsed as JSON (`null` for an empty body, as a 204 has).
    /// - Throws: `RemoteError.api` for an error status, `.unreachable` when nothing answers.
    func json(_ method: String, _ path: String, body: JSONValue? = nil) async throws(RemoteError) -> JSONValue {
        let response = try await send(method, path, body: body)
        try Self.check(response)
        guard !response.body.isEmpty else { return .null }
        do {
            return try JSONValue(parsing: response.body)
        } catch {
            throw .failed("agentd answered \(method) \(path) with something that is not JSON")
        }
    }

    /// Sends a request and returns the whole response, whatever its status.
    func send(_ method: String, _ path: String, body: JSONValue? = nil) async throws(RemoteError) -> Response {
        try await send(method, path, contentType: body == nil ? nil : "application/json", body: body?.serializedBytes() ?? [])
    }

    /// Sends a request with a body of any type and returns the whole response, whatever its status.
    func send(_ method: String, _ path: String, contentType: String?, body: [UInt8]) async throws(RemoteError) -> Response {
        var headers = [HTTPField("Accept", "application/json")] + credentialHeaders
        if let contentType { headers.append(HTTPField("Content-Type", contentType)) }
        let request = HTTPClientRequest(method: method, url: server + path, headers: headers,
                                        body: body, connectTimeout: 10, idleTimeout: 330)
        var head: HTTPClientResponseHead?
        var bytes: [UInt8] = []
        do {
            for try await part in transport.stream(request) {
                switch part {
                case .head(let h): head = h
                case .body(let chunk): bytes += chunk
                }
            }
        } catch {
            throw mapped(error)
        }
        guard let head else { throw .failed("agentd closed the connection without answering \(method) \(path)") }
        return Response(head: head, body: bytes)
    }

    /// Throws the error an error status carries, with the envelope's `detail`; a 401 is
    /// `.unauthorized`, which tells the user to log in.
    static func check(_ response: Response) throws(RemoteError) {
        guard response.status >= 400 else { return }
        let detail = detail(of: response)
        if response.status == 401 { throw .unauthorized(detail: detail) }
        throw .api(status: response.status, type: (try? JSONValue(parsing: response.body))?["error"]?.stringValue, detail: detail)
    }

    /// What an error response says: the envelope's `detail` (a string, or FastAPI's list of
    /// `{loc, msg}`), else its `message`, else the start of the body.
    static func detail(of response: Response) -> String {
        let envelope = try? JSONValue(parsing: response.body)
        if let detail = envelope?["detail"]?.stringValue ?? envelope?["message"]?.stringValue { return detail }
        if let problems = envelope?["detail"]?.arrayValue, !problems.isEmpty {
            return problems.map { problem in
                let location = (problem["loc"]?.arrayValue ?? []).map { $0.stringValue ?? $0.serialized() }.joined(separator: ".")
                return (location.isEmpty ? "" : location + ": ") + (problem["msg"]?.stringValue ?? problem.serialized())
            }.joined(separator: "; ")
        }
        return response.body.isEmpty ? "agentd answered HTTP \(response.status)" : String(decoding: response.body.prefix(500), as: UTF8.self)
    }

    /// A transport failure as the command reports it.
    func mapped(_ error: any Error) -> RemoteError {
        if let error = error as? RemoteError { return error }
        if let error = error as? HTTPTransportError {
            if error.kind == .connect { return .unreachable(url: server, reason: error.message) }
            return .failed("the connection to agentd at \(server) failed: \(error.message)")
        }
        return .failed("\(error)")
    }

    /// `value` percent-encoded for a path segment or query value.
    static func escape(_ value: String) -> String {
        var out = ""
        for byte in value.utf8 {
            let c = Character(Unicode.Scalar(byte))
            if c.isASCII, c.isLetter || c.isNumber || "-._~".contains(c) {
                out.append(c)
            } else {
                out += "%" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2)
            }
        }
        return out
    }
}

extension String {
    /// The string with zeros in front up to `width` characters.
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
