/// A status code carried by a Close frame (RFC 6455 §7.4).
///
/// An open set, so codes the application defines (4000–4999) and codes registered later fit:
///
/// ```swift
/// await connection.close(code: .normalClosure)
/// await connection.close(code: WebSocketCloseCode(rawValue: 4001), reason: "session ended")
/// ```
public struct WebSocketCloseCode: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
    public let rawValue: UInt16

    public init(rawValue: UInt16) { self.rawValue = rawValue }

    public var description: String { String(rawValue) }

    // MARK: - Defined codes (RFC 6455 §7.4.1)

    /// 1000: the purpose of the connection has been fulfilled.
    public static let normalClosure = WebSocketCloseCode(rawValue: 1000)
    /// 1001: the endpoint is going away (server shutdown, page navigation).
    public static let goingAway = WebSocketCloseCode(rawValue: 1001)
    /// 1002: the peer broke the protocol (unmasked frame, RSV bits, bad opcode, bad fragmentation…).
    public static let protocolError = WebSocketCloseCode(rawValue: 1002)
    /// 1003: the endpoint cannot accept this type of data.
    public static let unsupportedData = WebSocketCloseCode(rawValue: 1003)
    /// 1005: no status code was present. Reported locally only; never sent (§7.4.1).
    public static let noStatusReceived = WebSocketCloseCode(rawValue: 1005)
    /// 1006: the connection was lost without a Close frame. Reported locally only; never sent (§7.4.1).
    public static let abnormalClosure = WebSocketCloseCode(rawValue: 1006)
    /// 1007: a text message (or close reason) was not valid UTF-8 (§8.1).
    public static let invalidPayload = WebSocketCloseCode(rawValue: 1007)
    /// 1008: the message violates the endpoint's policy (e.g. a refused origin, a flooding client).
    public static let policyViolation = WebSocketCloseCode(rawValue: 1008)
    /// 1009: a frame or message is too big to process.
    public static let messageTooBig = WebSocketCloseCode(rawValue: 1009)
    /// 1010: the client expected an extension the server did not negotiate.
    public static let mandatoryExtension = WebSocketCloseCode(rawValue: 1010)
    /// 1011: the server hit an unexpected condition (also: a keep-alive ping went unanswered).
    public static let internalError = WebSocketCloseCode(rawValue: 1011)
    /// The server is overloaded or the client fell behind: try again later (IANA registry, §11.7).
    public static let tryAgainLater = WebSocketCloseCode(rawValue: 1013)

    /// Whether a peer may put this code in a Close frame: 1000–1003 and 1007–1014 (RFC 6455 §7.4.1
    /// plus the IANA registry, §11.7), and 3000–4999 (§7.4.2). Anything else in a received Close
    /// frame is a protocol error. 1005, 1006 and 1015 are reserved for local reporting.
    public var isValidOnTheWire: Bool {
        switch rawValue {
        case 1000...1003, 1007...1014, 3000...4999: true
        default: false
        }
    }
}
