import AgentHTTP
import Testing

extension WebSocketTests {
    /// The opening handshake (RFC 6455 §4.2).
    @Suite struct Handshake {
        static let allowAll = WebSocketHandshake { _ in true }

        /// A parsed request head; `extra` lines are added to (or, when named in `without`, replace) a valid handshake.
        static func head(method: String = "GET", version: String = "HTTP/1.1", without: [String] = [],
                         _ extra: String = "") throws -> HTTPRequestHead {
            var lines = ["Host: localhost:8080", "Upgrade: websocket", "Connection: Upgrade",
                         "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==", "Sec-WebSocket-Version: 13"]
            lines.removeAll { line in without.contains { line.lowercased().hasPrefix($0.lowercased() + ":") } }
            let text = "\(method) /v1/ws \(version)\n" + lines.map { $0 + "\n" }.joined() + extra + "\n"
            return try #require(ParserHarness.head(ParserHarness.run([ParserHarness.crlf(text)[...]])))
        }

        static func refusal(_ head: HTTPRequestHead, _ handshake: WebSocketHandshake = allowAll) -> WebSocketHandshake.Refusal? {
            if case .failure(let refusal) = handshake.negotiate(head) { return refusal }
            return nil
        }

        @Test func acceptValueMatchesTheRFCExample() {
            // §1.3: the key "dGhlIHNhbXBsZSBub25jZQ==" gives "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=".
            #expect(WebSocketHandshake.acceptValue(forKey: "dGhlIHNhbXBsZSBub25jZQ==") == "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=")
        }

        @Test func validRequestGets101() throws {
            let response = Self.allowAll.response(to: try Self.head()) { _, _ in }
            #expect(response.status == 101)
            #expect(response.headers["Upgrade"] == "websocket")
            #expect(response.headers["Connection"] == "Upgrade")
            #expect(response.headers["Sec-WebSocket-Accept"] == "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=")
            #expect(!response.headers.contains("Sec-WebSocket-Protocol"))
            guard case .upgrade = response.body else {
                Issue.record("expected an upgrade body")
                return
            }
        }

        @Test func tokensAreCaseInsensitiveAndListsAreSearched() throws {
            let head = try Self.head(without: ["Upgrade", "Connection"], "Upgrade: h2c, WebSocket\nConnection: keep-alive, UPGRADE\n")
            #expect(Self.refusal(head) == nil)
        }

        @Test func otherMethodsGet405() throws {
            let refusal = try #require(Self.refusal(try Self.head(method: "POST")))
            #expect(refusal.status == 405)
            #expect(refusal.headers["Allow"] == "GET")
        }

        @Test func http10Gets400() throws {
            #expect(Self.refusal(try Self.head(version: "HTTP/1.0"))?.status == 400)
        }

        @Test func missingUpgradeOrConnectionGets426() throws {
            for missing in ["Upgrade", "Connection"] {
                let refusal = try #require(Self.refusal(try Self.head(without: [missing])))
                #expect(refusal.status == 426)
                #expect(refusal.headers["Upgrade"] == "websocket")
            }
            #expect(Self.refusal(try Self.head(without: ["Upgrade"], "Upgrade: websockets\n"))?.status == 426)
            #expect(Self.refusal(try Self.head(without: ["Connection"], "Connection: keep-alive\n"))?.status == 426)
        }

        @Test(arguments: [
            nil, "", "dGhlIHNhbXBsZSBub25jZQ", "dGhlIHNhbXBsZSBub25jZR==", "dGhlIHNhbXBsZSBub25jZQ=",
            "dGhlIHNhbXBsZSBub25jZQ===", "dGhlIHNhbXBsZSBub25j!Q==", "dGhlIHNhbXBsZSBub25jZSBh",
        ] as [String?])
        func badKeyGets400(_ key: String?) throws {
            let head = try Self.head(without: ["Sec-WebSocket-Key"], key.map { "Sec-WebSocket-Key: \($0)\n" } ?? "")
            #expect(Self.refusal(head)?.status == 400)
        }

        @Test func twoKeysGet400() throws {
            #expect(Self.refusal(try Self.head("Sec-WebSocket-Key: AAAAAAAAAAAAAAAAAAAAAA==\n"))?.status == 400)
        }

        @Test func missingVersionGets400() throws {
            #expect(Self.refusal(try Self.head(without: ["Sec-WebSocket-Version"]))?.status == 400)
        }

        @Test(arguments: ["8", "12", "14", "13, 8", ""])
        func otherVersionGets426NamingVersion13(_ version: String) throws {
            let head = try Self.head(without: ["Sec-WebSocket-Version"], "Sec-WebSocket-Version: \(version)\n")
            let refusal = try #require(Self.refusal(head))
            #expect(refusal.status == 426)
            #expect(refusal.headers["Sec-WebSocket-Version"] == "13")
            #expect(refusal.response.headers["Sec-WebSocket-Version"] == "13")
        }

        @Test func originPolicyIsAskedAndCanRefuse() throws {
            let handshake = WebSocketHandshake { origin in origin == nil || origin == "https://app.example" }
            #expect(Self.refusal(try Self.head(), handshake) == nil)   // no Origin: not a browser
            #expect(Self.refusal(try Self.head("Origin: https://app.example\n"), handshake) == nil)
            let refusal = try #require(Self.refusal(try Self.head("Origin: https://evil.example\n"), handshake))
            #expect(refusal.status == 403)
            let twoOrigins = try Self.head("Origin: https://app.example\nOrigin: https://evil.example\n")
            #expect(Self.refusal(twoOrigins, handshake)?.status == 403)
        }

        @Test func refusalHasAJSONBody() throws {
            let handshake = WebSocketHandshake { _ in false }
            let response = handshake.response(to: try Self.head("Origin: https://evil.example\n")) { _, _ in }
            #expect(response.status == 403)
            #expect(response.headers["Content-Type"] == "application/json")
            guard case .bytes(let body) = response.body else {
                Issue.record("expected a complete body")
                return
            }
            #expect(String(decoding: body, as: UTF8.self) == #"{"detail": "origin not allowed", "status_code": 403}"#)
        }

        @Test func subprotocolIsChosenByServerPreference() throws {
            let handshake = WebSocketHandshake(subprotocols: ["agentd.v2", "agentd.v1"]) { _ in true }
            let offered = try Self.head("Sec-WebSocket-Protocol: chat, agentd.v1\nSec-WebSocket-Protocol: agentd.v2\n")
            guard case .success(let acceptance) = handshake.negotiate(offered) else {
                Issue.record("refused")
                return
            }
            #expect(acceptance.subprotocol == "agentd.v2")
            #expect(acceptance.response { _ in }.headers["Sec-WebSocket-Protocol"] == "agentd.v2")

            let caseDiffers = try Self.head("Sec-WebSocket-Protocol: AGENTD.V1\n")
            guard case .success(let none) = handshake.negotiate(caseDiffers) else {
                Issue.record("refused")
                return
            }
            #expect(none.subprotocol == nil)
            #expect(!none.response { _ in }.headers.contains("Sec-WebSocket-Protocol"))
        }
    }
}
