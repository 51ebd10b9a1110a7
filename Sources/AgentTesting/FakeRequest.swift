public import AgentCore

/// One request the fake server received, recorded as it arrived.
public struct FakeRequest: Sendable, Hashable {
    /// `POST`, `GET`, …
    public var method: String
    /// The request target: path plus query (`/v1/messages?beta=true`).
    public var path: String
    /// Header fields in arrival order, names as sent.
    public var headers: [HTTPField]
    /// The raw body (de-chunked).
    public var body: [UInt8]
    /// The body parsed as JSON; nil when empty or malformed.
    public var json: JSONValue?

    /// A request as recorded; `json` is the parsed body when it was valid JSON.
    public init(method: String, path: String, headers: [HTTPField], body: [UInt8], json: JSONValue? = nil) {
        self.method = method
        self.path = path
        self.headers = headers
        self.body = body
        self.json = json
    }

    /// The first value of the named header, compared case-insensitively.
    public func header(_ name: String) -> String? {
        let lower = name.lowercased()
        return headers.first { $0.name.lowercased() == lower }?.value
    }

    /// The body's `messages`, decoded; empty when absent or not decodable.
    public var messages: [Message] {
        guard let items = json?["messages"]?.arrayValue else { return [] }
        return (try? items.map(Message.init(json:))) ?? []
    }

    /// The body's `model`.
    public var model: String? { json?["model"]?.stringValue }

    /// Whether the body asks for an SSE stream (`"stream": true`).
    public var isStreaming: Bool { json?["stream"]?.boolValue ?? false }

    /// The body's `tools` entries.
    public var tools: [JSONValue] { json?["tools"]?.arrayValue ?? [] }

    /// The body's `system` prompt as text: a string, or the text blocks joined.
    public var systemText: String? {
        switch json?["system"] {
        case .string(let s)?: s
        case .array(let blocks)?: blocks.compactMap { $0["text"]?.stringValue }.joined()
        default: nil
        }
    }
}
