import AgentCore
import CCrypto

/// The server side of the opening handshake (RFC 6455 §4.2): checks an upgrade request and
/// produces either the `101 Switching Protocols` response or the error response to send instead.
///
/// ```swift
/// let handshake = WebSocketHandshake(subprotocols: ["agentd.v1"]) { origin in
///     origin == nil || origin == "https://console.example.com"
/// }
/// func handle(_ request: HTTPRequest) async -> HTTPResponse {
///     handshake.response(to: request.head) { upgraded, subprotocol in
///         await WebSocketConnection.serve(upgraded) { socket in
///             for await message in socket.messages { try? await socket.send(message) }
///         }
///     }
/// }
/// ```
///
/// Refusals carry a JSON body `{"detail": "…", "status_code": N}`:
/// - 405 (with `Allow: GET`) for another method, 400 for HTTP/1.0 (§4.2.1 items 1).
/// - 426 (with `Upgrade: websocket`) when `Upgrade` lacks the `websocket` token or `Connection`
///   lacks `upgrade` (§4.2.1 items 3–4; RFC 9110 §15.5.22).
/// - 400 for a missing or malformed `Sec-WebSocket-Key` (§4.2.1 item 5) or a missing version.
/// - 426 with `Sec-WebSocket-Version: 13` for any other version (§4.2.2 item 4).
/// - 403 when the origin check refuses the `Origin` (§4.2.2 item 4; §10.2; stops cross-site
///   WebSocket hijacking from browsers).
///
/// Extensions are never accepted (`Sec-WebSocket-Extensions` is ignored, so no
/// `permessage-deflate` and no decompression bombs).
public struct WebSocketHandshake: Sendable {
    /// The subprotocols this server speaks, most preferred first.
    public var subprotocols: [String]
    /// Decides whether a request from this `Origin` may connect; nil means the request had no
    /// `Origin` (non-browser clients). Called for every handshake.
    public var isOriginAllowed: @Sendable (_ origin: String?) -> Bool

    /// The only version this server speaks (RFC 6455 §4.1).
    public static let version = "13"

    /// - Parameters:
    ///   - subprotocols: the subprotocols to offer, most preferred first (matched case-sensitively).
    ///   - isOriginAllowed: the origin policy; there is deliberately no default.
    public init(subprotocols: [String] = [], isOriginAllowed: @escaping @Sendable (_ origin: String?) -> Bool) {
        self.subprotocols = subprotocols
        self.isOriginAllowed = isOriginAllowed
    }

    /// A successful negotiation: what the 101 response carries.
    public struct Acceptance: Sendable, Hashable {
        /// The `Sec-WebSocket-Accept` value.
        public let acceptValue: String
        /// The chosen subprotocol, if the client offered one this server speaks.
        public let subprotocol: String?

        /// The `101 Switching Protocols` response (RFC 6455 §4.2.2 item 5), handing the connection to `body`.
        public func response(_ body: @escaping @Sendable (any UpgradedConnection) async -> Void) -> HTTPResponse {
            var headers: HTTPHeaders = ["Upgrade": "websocket", "Connection": "Upgrade",
                                        "Sec-WebSocket-Accept": acceptValue]
            if let subprotocol { headers.append(name: "Sec-WebSocket-Protocol", value: subprotocol) }
            return HTTPResponse(status: 101, headers: headers, body: .upgrade(body))
        }
    }

    /// A refused handshake: the status and the response to send.
    public struct Refusal: Error, Sendable, Hashable {
        public let status: Int
        /// A short fixed explanation (never echoes the request).
        public let detail: String
        /// Extra headers the status calls for (`Allow`, `Upgrade`, `Sec-WebSocket-Version`).
        public let headers: HTTPHeaders

        /// The error response with a JSON body `{"detail": …, "status_code": …}`.
        public var response: HTTPResponse {
            var headers = self.headers
            headers.append(name: "Content-Type", value: "application/json")
            let body = "{\"detail\": \"\(Self.jsonEscaped(detail))\", \"status_code\": \(status)}"
            return HTTPResponse(status: status, headers: headers, body: .bytes(Array(body.utf8)))
        }

        static func jsonEscaped(_ text: String) -> String {
            var escaped = ""
            for scalar in text.unicodeScalars {
                switch scalar {
                case "\"": escaped += "\\\""
                case "\\": escaped += "\\\\"
                case "\u{0}"..."\u{1F}":
                    let hex = String(scalar.value, radix: 16)
                    escaped += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                default: escaped.unicodeScalars.append(scalar)
                }
            }
            return escaped
        }
    }

    // MARK: - Negotiation

    /// Checks `head` as an opening handshake (RFC 6455 §4.2.1) and computes the acceptance.
    public func negotiate(_ head: HTTPRequestHead) -> Result<Acceptance, Refusal> {
        // §4.2.1 item 1: an HTTP/1.1 or higher GET request.
        guard head.method == "GET" else {
            return .failure(.init(status: 405, detail: "WebSocket handshakes use GET", headers: ["Allow": "GET"]))
        }
        guard head.version.major > 1 || head.version.minor >= 1 else {
            return .failure(.bad("WebSocket needs HTTP/1.1"))
        }
        let upgradeRequired = HTTPHeaders([("Upgrade", "websocket")])
        // §4.2.1 item 3: Upgrade includes "websocket" (ASCII case-insensitive).
        guard head.headers.values(for: "Upgrade").flatMap(HTTPSyntax.listMembers).contains("websocket") else {
            return .failure(.init(status: 426, detail: "missing Upgrade: websocket", headers: upgradeRequired))
        }
        // §4.2.1 item 4: Connection includes the "Upgrade" token (ASCII case-insensitive).
        guard head.headers.values(for: "Connection").flatMap(HTTPSyntax.listMembers).contains("upgrade") else {
            return .failure(.init(status: 426, detail: "missing Connection: upgrade", headers: upgradeRequired))
        }
        // §4.2.1 item 5: exactly one Sec-WebSocket-Key, base64 of 16 bytes.
        let keys = head.headers.values(for: "Sec-WebSocket-Key")
        guard keys.count == 1, let key = keys.first, Self.isValidKey(key) else {
            return .failure(.bad("missing or invalid Sec-WebSocket-Key"))
        }
        // §4.2.1 item 6 and §4.2.2 item 4: version 13, else 426 naming the versions we speak.
        let versions = head.headers.values(for: "Sec-WebSocket-Version")
        guard !versions.isEmpty else { return .failure(.bad("missing Sec-WebSocket-Version")) }
        guard versions.allSatisfy({ $0 == Self.version }) else {
            return .failure(.init(status: 426, detail: "unsupported WebSocket version",
                                  headers: HTTPHeaders([("Sec-WebSocket-Version", Self.version)])))
        }
        // §4.2.1 item 7, §10.2: the Origin check protects browser users from other sites.
        let origins = head.headers.values(for: "Origin")
        guard origins.count <= 1, isOriginAllowed(origins.first) else {
            return .failure(.init(status: 403, detail: "origin not allowed", headers: [:]))
        }
        return .success(Acceptance(acceptValue: Self.acceptValue(forKey: key),
                                   subprotocol: selectSubprotocol(head.headers)))
    }

    /// The 101 response handing the connection to `body` (with the chosen subprotocol), or the
    /// refusal's error response.
    public func response(
        to head: HTTPRequestHead,
        _ body: @escaping @Sendable (any UpgradedConnection, _ subprotocol: String?) async -> Void
    ) -> HTTPResponse {
        switch negotiate(head) {
        case .success(let acceptance):
            let subprotocol = acceptance.subprotocol
            return acceptance.response { upgraded in await body(upgraded, subprotocol) }
        case .failure(let refusal):
            return refusal.response
        }
    }

    /// RFC 6455 §4.2.2 item 5.4: base64(SHA-1(key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11")).
    public static func acceptValue(forKey key: String) -> String {
        let input = Array((key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").utf8)
        var digest = [UInt8](repeating: 0, count: 20)
        var length: UInt32 = 0
        input.withUnsafeBytes { bytes in
            _ = EVP_Digest(bytes.baseAddress, bytes.count, &digest, &length, EVP_sha1(), nil)
        }
        return Base64.encode(digest)
    }

    // MARK: - Helpers

    /// A base64 string decoding to exactly 16 bytes: 22 symbols, the last carrying only 2 data
    /// bits (so one of `AQgw`), then `==` (RFC 4648 §4; RFC 6455 §4.1 item 7).
    static func isValidKey(_ key: String) -> Bool {
        let bytes = Array(key.utf8)
        guard bytes.count == 24, bytes[22] == UInt8(ascii: "="), bytes[23] == UInt8(ascii: "=") else { return false }
        guard bytes[..<22].allSatisfy(isBase64Symbol) else { return false }
        return [UInt8(ascii: "A"), UInt8(ascii: "Q"), UInt8(ascii: "g"), UInt8(ascii: "w")].contains(bytes[21])
    }

    private static func isBase64Symbol(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "+"), UInt8(ascii: "/"): true
        default: false
        }
    }

    /// §4.2.2 item 5.4 (subprotocol): the first of ours, in our order, that the client offered.
    /// Tokens compare exactly: they may carry credentials, so no case folding.
    private func selectSubprotocol(_ headers: HTTPHeaders) -> String? {
        let offered = headers.values(for: "Sec-WebSocket-Protocol").flatMap { value in
            value.split(separator: ",").map { String(decoding: HTTPSyntax.trimmed(Array($0.utf8)), as: UTF8.self) }
        }
        return subprotocols.first { offered.contains($0) }
    }
}

extension WebSocketHandshake.Refusal {
    /// 400 Bad Request (RFC 6455 §4.2.1: "an appropriate error code (such as 400 Bad Request)").
    static func bad(_ detail: String) -> Self { .init(status: 400, detail: detail, headers: [:]) }
}
