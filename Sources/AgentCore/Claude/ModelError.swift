/// A failed model call, typed: the API's `error.type`, the HTTP status and the `request-id`.
///
/// Transport failures use the same type with their own `type` values (`connection_error`,
/// `stream_interrupted`, `timeout`), so callers switch on one thing.
public struct ModelError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The error's kind. An open set: the API adds types over time.
    public struct Kind: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        // The API's error types (reference §4.1).
        public static let invalidRequest = Kind(rawValue: "invalid_request_error")
        public static let authentication = Kind(rawValue: "authentication_error")
        public static let billing = Kind(rawValue: "billing_error")
        public static let permission = Kind(rawValue: "permission_error")
        public static let notFound = Kind(rawValue: "not_found_error")
        public static let requestTooLarge = Kind(rawValue: "request_too_large")
        public static let rateLimit = Kind(rawValue: "rate_limit_error")
        public static let api = Kind(rawValue: "api_error")
        public static let timeout = Kind(rawValue: "timeout_error")
        public static let overloaded = Kind(rawValue: "overloaded_error")
        // Ours.
        /// The connection failed or dropped before a response arrived.
        public static let connection = Kind(rawValue: "connection_error")
        /// The stream ended before `message_stop` after bytes were consumed.
        public static let streamInterrupted = Kind(rawValue: "stream_interrupted")
        /// The response could not be understood.
        public static let invalidResponse = Kind(rawValue: "invalid_response")
        /// No API key is configured.
        public static let missingAPIKey = Kind(rawValue: "missing_api_key")
    }

    public let kind: Kind
    public let message: String
    /// The HTTP status, when a response arrived (200 for a mid-stream `error` event).
    public let status: Int?
    public let requestID: String?
    /// True when the error came as an `event: error` after the stream had started.
    public let duringStream: Bool

    public init(kind: Kind, message: String, status: Int? = nil, requestID: String? = nil, duringStream: Bool = false) {
        self.kind = kind
        self.message = message
        self.status = status
        self.requestID = requestID
        self.duringStream = duringStream
    }

    public var description: String {
        var s = "\(kind.rawValue)"
        if let status { s += " (HTTP \(status))" }
        s += ": \(message)"
        if let requestID { s += " [request-id \(requestID)]" }
        return s
    }

    /// Whether retrying the whole turn can help (the agent loop's decision; the client itself never
    /// retries a stream whose bytes were consumed).
    public var isTransient: Bool {
        switch kind {
        case .overloaded, .api, .rateLimit, .timeout, .connection, .streamInterrupted: true
        default: (status ?? 0) >= 500
        }
    }

    /// Decodes an error body: the Anthropic envelope, or Vertex's array form (reference §7.2).
    public init(status: Int, body: [UInt8], requestID: String?) {
        let json = try? JSONValue(parsing: body)
        let envelope = json?[0] ?? json
        let error = envelope?["error"]
        let type = error?["type"]?.stringValue ?? Self.defaultKind(forStatus: status).rawValue
        let message = error?["message"]?.stringValue
            ?? (body.isEmpty ? "HTTP \(status)" : String(decoding: body.prefix(500), as: UTF8.self))
        self.init(
            kind: Kind(rawValue: type), message: message, status: status,
            requestID: requestID ?? envelope?["request_id"]?.stringValue)
    }

    static func defaultKind(forStatus status: Int) -> Kind {
        switch status {
        case 400: .invalidRequest
        case 401: .authentication
        case 402: .billing
        case 403: .permission
        case 404: .notFound
        case 413: .requestTooLarge
        case 429: .rateLimit
        case 504: .timeout
        case 529: .overloaded
        case 500...: .api
        default: .invalidRequest
        }
    }
}
