/// An outgoing HTTP request.
public struct HTTPClientRequest: Sendable, Hashable {
    public var method: String
    public var url: String
    /// Header fields in order; names as given.
    public var headers: [HTTPField]
    public var body: [UInt8]
    /// Seconds allowed to connect.
    public var connectTimeout: Double
    /// Seconds allowed with no byte received before the transfer fails (a stalled stream).
    public var idleTimeout: Double

    public init(
        method: String, url: String, headers: [HTTPField] = [], body: [UInt8] = [], connectTimeout: Double = 10,
        idleTimeout: Double = 600
    ) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.connectTimeout = connectTimeout
        self.idleTimeout = idleTimeout
    }
}

/// One header field.
public struct HTTPField: Sendable, Hashable {
    public var name: String
    public var value: String
    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }
}

/// A response's status line and headers.
public struct HTTPClientResponseHead: Sendable, Hashable {
    public var status: Int
    public var headers: [HTTPField]
    public init(status: Int, headers: [HTTPField]) {
        self.status = status
        self.headers = headers
    }

    /// The first value of the named header, compared case-insensitively.
    public func header(_ name: String) -> String? {
        let lower = name.lowercased()
        return headers.first { $0.name.lowercased() == lower }?.value
    }
}

/// A piece of a response, in arrival order: the head once, then body chunks.
public enum HTTPClientResponsePart: Sendable, Hashable {
    case head(HTTPClientResponseHead)
    case body([UInt8])
}

/// Why a transfer failed before a complete response arrived.
public struct HTTPTransportError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Kind: Sendable, Hashable {
        /// Could not connect (refused, DNS, TLS).
        case connect
        /// No progress within the idle timeout, or the connect timeout passed.
        case timeout
        /// The connection broke after it was established (reset, truncated body).
        case connectionLost
        /// Anything else the transport reports.
        case other
    }
    public let kind: Kind
    public let message: String
    public init(kind: Kind, message: String) {
        self.kind = kind
        self.message = message
    }
    public var description: String { message }
}

/// Performs HTTP requests, streaming each response as it arrives.
public protocol HTTPTransport: Sendable {
    /// Starts the request. The stream yields `.head` once, then `.body` chunks, and finishes when the
    /// response is complete; it throws `HTTPTransportError` when the transfer fails. Ending iteration
    /// early (or cancelling the consuming task) aborts the transfer at once.
    func stream(_ request: HTTPClientRequest) -> AsyncThrowingStream<HTTPClientResponsePart, any Error>
}
