import AgentCore
@testable import AgentHTTP
import AgentTesting
import Testing

/// `ws /vnc/{session_id}`: a real Xvfb desktop, a real x11vnc, and the RFB handshake through
/// agentd's bridge (RFC 6143 §7.1–7.3, §7.5.3, §7.6.1).
@Suite(.serialized, .timeLimit(.minutes(2)))
struct S1LiveViewTests {
    /// RFB bytes across the viewer's binary WebSocket messages.
    struct RFBReader {
        let socket: LiveWebSocket
        var buffer: [UInt8] = []

        mutating func read(_ count: Int) async throws -> [UInt8] {
            while buffer.count < count {
                let frame = try await socket.receive()
                guard frame.opcode == 0x2 else { throw ClientError("expected binary, got opcode \(frame.opcode)") }
                buffer += frame.payload
            }
            defer { buffer.removeFirst(count) }
            return Array(buffer[0..<count])
        }
    }

    static func u16(_ bytes: ArraySlice<UInt8>) -> Int { bytes.reduce(0) { $0 << 8 | Int($1) } }

    @Test func aViewerCompletesTheRFBHandshakeAndReceivesAFramebufferUpdate() async throws {
        try await CambioServer.run { server in
            let id = try await server.createSession(["name": "view", "config": ["environment": ["kind": "desktop", "width": 640, "height": 480]]])
            let socket = try await LiveWebSocket(port: server.port, path: "/vnc/\(id)", protocols: ["binary", "base64"])
            #expect(socket.handshake.status == 101)
            #expect(socket.handshake.header("Sec-WebSocket-Protocol") == "binary")
            var rfb = RFBReader(socket: socket)

            // §7.1.1 ProtocolVersion, §7.1.2 Security (the bridge offers None), §7.1.3 SecurityResult.
            #expect(try await rfb.read(12) == Array("RFB 003.008\n".utf8))
            try await socket.send(binary: Array("RFB 003.008\n".utf8))
            #expect(try await rfb.read(2) == [1, 1])
            try await socket.send(binary: [1])
            #expect(try await rfb.read(4) == [0, 0, 0, 0])

            // §7.3.1 ClientInit (shared), §7.3.2 ServerInit: the desktop's size and a name.
            try await socket.send(binary: [1])
            let initHead = try await rfb.read(24)
            #expect(Self.u16(initHead[0..<2]) == 640 && Self.u16(initHead[2..<4]) == 480)
            let nameLength = initHead[20..<24].reduce(0) { $0 << 8 | Int($1) }
            _ = try await rfb.read(nameLength)

            // §7.5.3 FramebufferUpdateRequest (not incremental, whole screen) → §7.6.1 FramebufferUpdate.
            try await socket.send(binary: [3, 0, 0, 0, 0, 0, 0x02, 0x80, 0x01, 0xE0])
            var type = try await rfb.read(1)[0]
            // x11vnc may first send other server messages (SetColourMapEntries 1, Bell 2, ServerCutText 3); only 0 is asked for.
            var skipped = 0
            while type != 0, skipped < 8 {
                if type == 3 {
                    let head = try await rfb.read(7)
                    _ = try await rfb.read(head[3..<7].reduce(0) { $0 << 8 | Int($1) })
                }
                type = try await rfb.read(1)[0]
                skipped += 1
            }
            #expect(type == 0)
            let update = try await rfb.read(3)
            #expect(Self.u16(update[1..<3]) >= 1)   // at least one rectangle

            // While the viewer is connected, the session shows the live view's loopback port.
            let details = try await server.request("GET", "/sessions/\(id)").json
            #expect(details["vnc_port"]?.intValue.map { (5900...65535).contains($0) } == true)
            try await socket.close()
        }
    }

    @Test func aSessionWithoutAScreenIs409AndAnUnknownOne404() async throws {
        try await CambioServer.run { server in
            let id = try await server.createSession(["config": ["environment": "none", "tools": ["bash"]]])
            let refused = try await LiveWebSocket(port: server.port, path: "/vnc/\(id)")
            #expect(refused.handshake.status == 409)
            #expect(S1ConformanceTests.isEnvelope(try JSONValue(parsing: refused.handshake.body)))
            #expect(try await LiveWebSocket(port: server.port, path: "/vnc/nope").handshake.status == 404)
        }
    }

    @Test func vncAuthenticationKeysAreBitReversed() {
        #expect(VNCAuthentication.reversedBits(0b0000_0001) == 0b1000_0000)
        #expect(VNCAuthentication.reversedBits(0b1100_1010) == 0b0101_0011)
        #expect(VNCAuthentication.response(to: [UInt8](repeating: 0, count: 15), password: "x") == nil)
        let a = VNCAuthentication.response(to: Array(0..<16), password: "secret")
        #expect(a?.count == 16 && a != VNCAuthentication.response(to: Array(0..<16), password: "secreT"))
    }
}
