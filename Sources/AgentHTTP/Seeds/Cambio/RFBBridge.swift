import AgentCore

/// Bridges a WebSocket viewer (noVNC and the like: RFB bytes in binary messages) to a desktop's
/// RFB server, authenticating on the viewer's behalf.
///
/// The server (x11vnc) asks for VNC Authentication with a per-desktop password that never leaves
/// agentd. The bridge completes that handshake itself (RFC 6143 §7.1.1 ProtocolVersion, §7.1.2
/// Security, §7.2.2 VNC Authentication, §7.1.3 SecurityResult), then offers the viewer RFB 3.8 with
/// the single security type None (1), and from the viewer's ClientInit on relays bytes both ways
/// unchanged. Who may open the WebSocket is decided before the upgrade (the session must exist, the
/// Origin must be allowed), as for every other route.
///
/// ```swift
/// await RFBBridge(endpoint: endpoint).run(socket)
/// ```
struct RFBBridge: Sendable {
    let endpoint: LiveViewEndpoint

    /// Why the bridge ended early, for the WebSocket close reason.
    struct Failure: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }

    /// The version both sides are spoken to in (RFC 6143 §7.1.1).
    static let version = Array("RFB 003.008\n".utf8)

    /// Runs the bridge until either side ends; closes the WebSocket with 1011 and a reason when the
    /// server cannot be reached or refuses, or the viewer breaks the handshake.
    func run(_ socket: WebSocketConnection) async {
        let server: RFBServerConnection
        do {
            server = try RFBServerConnection(host: endpoint.host, port: endpoint.port)
        } catch {
            await socket.close(code: .internalError, reason: "live view unavailable")
            return
        }
        defer { server.close() }
        // The viewer's binary messages as one byte stream (text messages have no meaning in RFB).
        let (viewerBytes, feed) = AsyncStream.makeStream(of: [UInt8].self)
        let forward = Task {
            for await message in socket.messages {
                if case .binary(let bytes) = message { feed.yield(bytes) }
            }
            feed.finish()
        }
        defer { forward.cancel() }
        var fromServer = ChunkReader(server.inbound)
        var fromViewer = ChunkReader(viewerBytes)
        do {
            try await authenticate(&fromServer, server)
            try await greet(&fromViewer, socket)
        } catch {
            let reason = String(String(describing: error).utf8.prefix(120)) ?? "live view handshake failed"
            await socket.close(code: .internalError, reason: reason)
            return
        }
        await relay(&fromServer, &fromViewer, server, socket)
    }

    /// The server side of the handshake: version, security type 2 (or 1), the DES response, and
    /// the SecurityResult.
    private func authenticate(_ reader: inout ChunkReader, _ server: RFBServerConnection) async throws {
        guard let version = await reader.read(12), version.starts(with: Array("RFB 003.".utf8)) else {
            throw Failure("the live view server did not speak RFB")
        }
        try await server.write(Self.version)
        guard let count = await reader.read(1)?.first else { throw Failure("the live view server closed") }
        if count == 0 { throw Failure("the live view server refused: \(await reason(&reader))") }
        guard let types = await reader.read(Int(count)) else { throw Failure("the live view server closed") }
        if types.contains(2) {
            try await server.write([2])
            guard let challenge = await reader.read(16),
                  let response = VNCAuthentication.response(to: challenge, password: endpoint.password) else {
                throw Failure("the live view server sent no challenge")
            }
            try await server.write(response)
        } else if types.contains(1) {
            try await server.write([1])
        } else {
            throw Failure("the live view server offers no supported security type")
        }
        guard let result = await reader.read(4) else { throw Failure("the live view server closed") }
        guard result == [0, 0, 0, 0] else { throw Failure("the live view server refused: \(await reason(&reader))") }
    }

    /// The viewer side: our version, its version, security type None, and (3.8) the SecurityResult.
    private func greet(_ reader: inout ChunkReader, _ socket: WebSocketConnection) async throws {
        try await socket.send(binary: Self.version)
        guard let version = await reader.read(12), version.starts(with: Array("RFB 003.".utf8)),
              let minor = Int(String(decoding: version[8..<11], as: UTF8.self)) else {
            throw Failure("the viewer did not speak RFB")
        }
        if minor >= 7 {
            try await socket.send(binary: [1, 1])   // one security type: None
            guard let choice = await reader.read(1), choice == [1] else { throw Failure("the viewer chose no security type") }
            if minor >= 8 { try await socket.send(binary: [0, 0, 0, 0]) }   // SecurityResult OK (§7.1.3)
        } else {
            try await socket.send(binary: [0, 0, 0, 1])   // RFB 3.3: the server picks None (§7.1.2 note)
        }
    }

    /// Copies bytes both ways until either side ends.
    private func relay(_ fromServer: inout ChunkReader, _ fromViewer: inout ChunkReader, _ server: RFBServerConnection,
                       _ socket: WebSocketConnection) async {
        let serverLeft = fromServer.drain(), viewerLeft = fromViewer.drain()
        let serverReader = fromServer, viewerReader = fromViewer
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                var reader = serverReader
                if !serverLeft.isEmpty { try? await socket.send(binary: serverLeft) }
                while let chunk = await reader.next() {
                    do { try await socket.send(binary: chunk) } catch { break }
                }
            }
            group.addTask {
                var reader = viewerReader
                if !viewerLeft.isEmpty { try? await server.write(viewerLeft) }
                while let chunk = await reader.next() {
                    do { try await server.write(chunk) } catch { break }
                }
            }
            await group.next()
            server.close()
            await socket.close()
            group.cancelAll()
        }
    }

    /// A failure reason (u32 length, then text) from the server.
    private func reason(_ reader: inout ChunkReader) async -> String {
        guard let length = await reader.read(4) else { return "no reason given" }
        let count = length.reduce(0) { $0 << 8 | Int($1) }
        guard count <= 1024, let text = await reader.read(count) else { return "no reason given" }
        return String(decoding: text, as: UTF8.self)
    }
}
