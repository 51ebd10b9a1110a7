import AgentCore

extension CambioAPI {
    /// `ws /vnc/{session_id}` (seed 001, "VNC WebSocket"): the session's desktop over RFB, as noVNC
    /// speaks it (binary messages; the `binary` subprotocol is accepted when offered).
    ///
    /// Before the upgrade: 404 for an unknown session, 409 when its environment has no screen, 503
    /// when its desktop or x11vnc cannot start (the desktop starts here when no run has started it
    /// yet). After: ``RFBBridge`` authenticates to x11vnc on the viewer's behalf and offers the
    /// viewer security type None.
    func registerLiveView(on router: inout Router) {
        let service = self.service
        let allowed = configuration.allowedOrigins
        router.add("GET", "/vnc/{session_id}", errors: Self.errors) { request in
            let id = request.parameter("session_id")
            let handshake = WebSocketHandshake(
                subprotocols: ["binary"],
                isOriginAllowed: Self.originPolicy(allowed: allowed, host: request.http.headers["Host"]))
            if case .failure(let refusal) = handshake.negotiate(request.http.head) {
                throw CambioError(refusal.status, "websocket_handshake_failed", refusal.detail)
            }
            guard let endpoint = try await request.sessions(of: service).liveView(id, start: true) else {
                throw CambioError(409, "conflict", "Session \(id) has no desktop to view (its environment has no screen)")
            }
            return handshake.response(to: request.http.head) { upgraded, _ in
                await WebSocketConnection.serve(upgraded) { socket in
                    await RFBBridge(endpoint: endpoint).run(socket)
                }
            }
        }
    }
}
