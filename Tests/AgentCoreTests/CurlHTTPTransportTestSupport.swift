import AgentCore
import AgentTesting

/// A whole response as the transport delivered it.
struct CollectedResponse {
    var heads: [HTTPClientResponseHead] = []
    var chunks: [[UInt8]] = []

    var head: HTTPClientResponseHead? { heads.first }
    var status: Int { head?.status ?? 0 }
    var body: [UInt8] { chunks.flatMap { $0 } }
    var text: String { String(decoding: body, as: UTF8.self) }
    var json: JSONValue? { try? JSONValue(parsing: body) }
}

/// Reads a stream to its end.
func collect(_ stream: AsyncThrowingStream<HTTPClientResponsePart, any Error>) async throws -> CollectedResponse {
    var response = CollectedResponse()
    for try await part in stream {
        switch part {
        case .head(let head): response.heads.append(head)
        case .body(let bytes): response.chunks.append(bytes)
        }
    }
    return response
}

/// Sends a request and reads the whole response.
func fetch(_ transport: some HTTPTransport, _ request: HTTPClientRequest) async throws -> CollectedResponse {
    try await collect(transport.stream(request))
}

/// The transport error a request ends with, or nil when it succeeded.
func transportError(_ transport: some HTTPTransport, _ request: HTTPClientRequest) async -> HTTPTransportError? {
    do {
        _ = try await fetch(transport, request)
        return nil
    } catch let error as HTTPTransportError {
        return error
    } catch {
        return HTTPTransportError(kind: .other, message: "unexpected \(error)")
    }
}

/// The standard headers of a Messages API call.
func apiHeaders(key: String? = "test-key", version: String? = "2023-06-01") -> [HTTPField] {
    var headers = [HTTPField("content-type", "application/json")]
    if let key { headers.append(HTTPField("x-api-key", key)) }
    if let version { headers.append(HTTPField("anthropic-version", version)) }
    return headers
}

/// A minimal valid Messages body.
func messagesBody(stream: Bool = false, messages: [Message] = [.user("Hi")], model: String = "claude-sonnet-4-5")
    -> JSONValue
{
    var body: JSONValue = ["model": .string(model), "max_tokens": 1024, "messages": .array(messages.map(\.json))]
    if stream, case .object(var fields) = body {
        fields["stream"] = true
        body = .object(fields)
    }
    return body
}

/// A POST to the server's Messages endpoint.
func messagesRequest(
    _ server: FakeMessagesServer, body: JSONValue? = nil, stream: Bool = false, headers: [HTTPField] = apiHeaders(),
    path: String = "/v1/messages", idleTimeout: Double = 30
) -> HTTPClientRequest {
    let body = body ?? messagesBody(stream: stream)
    return HTTPClientRequest(
        method: "POST", url: server.baseURL + path, headers: headers, body: body.serializedBytes(), connectTimeout: 5,
        idleTimeout: idleTimeout)
}

/// One parsed SSE event (name and JSON payload), for checking the fake server's streams.
struct ParsedEvent {
    var name: String
    var rawData: String
    var data: JSONValue?
}

/// A strict little SSE splitter for the fake server's own output (`event:`/`data:` lines, blank line ends).
func parseSSE(_ text: String) -> [ParsedEvent] {
    text.split(separator: "\n\n").compactMap { block in
        var name: String?
        var data: String?
        for line in block.split(separator: "\n") {
            if line.hasPrefix("event: ") { name = String(line.dropFirst(7)) }
            if line.hasPrefix("data: ") { data = String(line.dropFirst(6)) }
        }
        guard let name, let data else { return nil }
        return ParsedEvent(name: name, rawData: data, data: try? JSONValue(parsing: data))
    }
}
