import AgentCore
import Synchronization

/// Wire-format helpers shared by the fake server's pieces: ids, ordered JSON objects, HTTP framing.
enum FakeWire {
    private static let alphabet = Array("0123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz")

    /// Per-process random seed and a counter: ids are unique without a syscall per character.
    private static let seed: UInt64 = {
        var generator = SystemRandomNumberGenerator()
        return generator.next()
    }()
    private static let counter = Atomic<UInt64>(0)

    private static func randomTail(_ count: Int) -> String {
        // splitmix64 over a state derived from (seed, counter): ids never share runs.
        func mix(_ value: UInt64) -> UInt64 {
            var z = value
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        var state = mix(seed ^ counter.add(1, ordering: .relaxed).newValue)
        var characters: [Character] = []
        characters.reserveCapacity(count)
        var bits: UInt64 = 0
        for i in 0..<count {
            if i % 8 == 0 {
                state = state &+ 0x9E37_79B9_7F4A_7C15
                bits = mix(state)
            }
            characters.append(alphabet[Int(bits % UInt64(alphabet.count))])
            bits /= UInt64(alphabet.count)
        }
        return String(characters)
    }

    /// A fresh `req_011C…` request id.
    static func requestID() -> String { "req_011C" + randomTail(20) }

    /// A fresh `msg_01…` message id.
    static func messageID() -> String { "msg_01" + randomTail(22) }

    /// A fresh `toolu_01…` tool-use id.
    static func toolUseID() -> String { "toolu_01" + randomTail(22) }

    /// A JSON string literal.
    static func string(_ s: String) -> String { JSONValue.string(s).serialized() }

    /// A compact JSON object whose keys keep the given order; values are JSON text already.
    static func object(_ members: [(String, String)]) -> String {
        var out = "{"
        for (i, (key, value)) in members.enumerated() {
            if i > 0 { out += "," }
            out += string(key)
            out += ":"
            out += value
        }
        return out + "}"
    }

    /// `{"type":"error","error":{"type":…,"message":…},"request_id":…}`
    static func errorBody(type: String, message: String, requestID: String, details: Bool = false) -> [UInt8] {
        var error: [(String, String)] = details ? [("details", "null")] : []
        error += [("type", string(type)), ("message", string(message))]
        return Array(object([("type", "\"error\""), ("error", object(error)), ("request_id", string(requestID))]).utf8)
    }

    static func usage(_ usage: Usage, outputTokens: Int) -> String {
        object([
            ("input_tokens", String(usage.inputTokens)),
            ("cache_creation_input_tokens", String(usage.cacheCreationInputTokens)),
            ("cache_read_input_tokens", String(usage.cacheReadInputTokens)),
            (
                "cache_creation",
                object([
                    ("ephemeral_5m_input_tokens", String(usage.cacheCreationInputTokens)),
                    ("ephemeral_1h_input_tokens", "0"),
                ])
            ),
            ("output_tokens", String(outputTokens)),
            ("service_tier", "\"standard\""),
        ])
    }

    /// A whole message object: the non-streaming body, or (with empty content, null stop reason and
    /// placeholder output tokens) the `message_start` payload.
    static func message(
        id: String, model: String, content: [ContentBlock], stopReason: StopReason?, stopSequence: String? = nil,
        usage: Usage, outputTokens: Int
    ) -> String {
        object([
            ("id", string(id)), ("type", "\"message\""), ("role", "\"assistant\""), ("model", string(model)),
            ("content", "[" + content.map { $0.json.serialized() }.joined(separator: ",") + "]"),
            ("stop_reason", stopReason.map { string($0.rawValue) } ?? "null"),
            ("stop_sequence", stopSequence.map(string) ?? "null"),
            ("usage", self.usage(usage, outputTokens: outputTokens)),
        ])
    }

    /// Example rate-limit headers, as the real API sends on every response.
    static func rateLimitHeaders() -> [HTTPField] { rateLimitFields }

    private static let rateLimitFields: [HTTPField] = {
        let reset = "2026-01-01T00:00:00Z"
        var fields: [HTTPField] = []
        for (kind, limit) in [("requests", "4000"), ("input-tokens", "2000000"), ("output-tokens", "400000"), ("tokens", "2400000")] {
            fields.append(HTTPField("anthropic-ratelimit-\(kind)-limit", limit))
            fields.append(HTTPField("anthropic-ratelimit-\(kind)-remaining", limit))
            fields.append(HTTPField("anthropic-ratelimit-\(kind)-reset", reset))
        }
        return fields
    }()

    static func reason(_ status: Int) -> String {
        switch status {
        case 100: "Continue"
        case 200: "OK"
        case 201: "Created"
        case 204: "No Content"
        case 400: "Bad Request"
        case 401: "Unauthorized"
        case 402: "Payment Required"
        case 403: "Forbidden"
        case 404: "Not Found"
        case 405: "Method Not Allowed"
        case 408: "Request Timeout"
        case 409: "Conflict"
        case 413: "Payload Too Large"
        case 422: "Unprocessable Entity"
        case 429: "Too Many Requests"
        case 431: "Request Header Fields Too Large"
        case 500: "Internal Server Error"
        case 502: "Bad Gateway"
        case 503: "Service Unavailable"
        case 504: "Gateway Timeout"
        case 529: "Overloaded"
        default: "Status \(status)"
        }
    }

    /// The status line and header block (ends with the blank line).
    static func head(status: Int, headers: [HTTPField]) -> [UInt8] {
        var text = "HTTP/1.1 \(status) \(reason(status))\r\n"
        for field in headers { text += "\(field.name): \(field.value)\r\n" }
        text += "\r\n"
        return Array(text.utf8)
    }

    /// A complete response with `content-length` (added unless present).
    static func response(status: Int, headers: [HTTPField], body: [UInt8]) -> [UInt8] {
        var all = headers
        if !headers.contains(where: { $0.name.lowercased() == "content-length" }) {
            all.append(HTTPField("content-length", String(body.count)))
        }
        return head(status: status, headers: all) + body
    }

    /// One chunk of a chunked body.
    static func chunk(_ bytes: some Collection<UInt8>) -> [UInt8] {
        Array((String(bytes.count, radix: 16) + "\r\n").utf8) + bytes + [13, 10]
    }

    /// The terminating chunk.
    static let lastChunk: [UInt8] = Array("0\r\n\r\n".utf8)

    /// The HTTP status the real API uses for an error type.
    static func status(forErrorType type: String) -> Int {
        switch type {
        case "invalid_request_error": 400
        case "authentication_error": 401
        case "billing_error": 402
        case "permission_error": 403
        case "not_found_error": 404
        case "request_too_large": 413
        case "rate_limit_error": 429
        case "timeout_error": 504
        case "overloaded_error": 529
        default: 500
        }
    }
}
