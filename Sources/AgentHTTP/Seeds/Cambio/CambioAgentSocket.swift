import AgentCore

/// One client of `ws /ws/{session_id}` (seed 001, "Real-time Agent Communication").
///
/// On connect it sends the session's `status`, then live messages for what happens from then on
/// (``CambioMessages``), and a `heartbeat` every ``CambioConfiguration/heartbeatInterval``. Each
/// text message from the client, `{"content": …, "metadata": {…}}`, is sent to the session as a
/// user message (queued while a run is in progress); a message that is not such an object, or
/// that the session refuses, is answered with an `error` message. The socket closes when the
/// session is deleted.
struct CambioAgentSocket: Sendable {
    /// The sessions of the principal that opened the socket.
    let sessions: OwnedSessions
    let sessionID: String
    let socket: WebSocketConnection
    let heartbeat: Duration

    func run() async {
        guard let session = try? await sessions.session(sessionID),
              let subscription = try? await sessions.subscribe(sessionID, after: session.lastSeq) else { return }
        let first = CambioMessages.status(session.status, reason: session.statusReason, sessionID: sessionID,
                                          timestamp: .string(CambioTime.now()))
        try? await socket.send(text: first.serialized())
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                var mapper = CambioMessages(sessionID: sessionID)
                for await item in subscription {
                    switch item {
                    case .event(let event):
                        for message in mapper.messages(for: event) {
                            do { try await socket.send(text: message.serialized()) } catch { return }
                        }
                    case .closed(let reason, _):
                        await socket.close(code: .normalClosure, reason: String(reason.utf8.prefix(100)) ?? "")
                        return
                    }
                }
            }
            group.addTask {
                while true {
                    do { try await Task.sleep(for: heartbeat) } catch { return }
                    let beat: JSONValue = ["type": "heartbeat", "timestamp": .string(CambioTime.now())]
                    do { try await socket.send(text: beat.serialized()) } catch { return }
                }
            }
            group.addTask {
                for await message in socket.messages { await handle(message) }
            }
            await group.next()
            subscription.cancel()
            group.cancelAll()
        }
    }

    /// Sends one client message to the session, or answers why not.
    private func handle(_ message: WebSocketMessage) async {
        guard case .text(let text) = message, let json = try? JSONValue(parsing: text), json.objectValue != nil else {
            await reply(CambioMessages.error("Invalid message", details: "send a JSON object: {\"content\": \"…\", \"metadata\": {}}"))
            return
        }
        guard let content = json["content"]?.stringValue, !content.isEmpty else {
            await reply(CambioMessages.error("Invalid message", details: "'content' is required: the message text"))
            return
        }
        do {
            _ = try await sessions.send(sessionID, Message.user(content))
        } catch {
            let refused = CambioError(any: error)
            await reply(CambioMessages.error(refused.type, details: refused.message))
        }
    }

    private func reply(_ message: JSONValue) async {
        try? await socket.send(text: message.serialized())
    }
}

extension CambioAPI {
    /// `ws /ws/{session_id}` (seed 001, "WebSocket API"): 404 for an unknown session before the upgrade.
    func registerAgentSocket(on router: inout Router) {
        let service = self.service
        let allowed = configuration.allowedOrigins
        let heartbeat = configuration.heartbeatInterval
        router.add("GET", "/ws/{session_id}", errors: Self.errors) { request in
            let id = request.parameter("session_id")
            _ = try await request.sessions(of: service).session(id)
            let handshake = WebSocketHandshake(
                isOriginAllowed: Self.originPolicy(allowed: allowed, host: request.http.headers["Host"]))
            return handshake.response(to: request.http.head) { upgraded, _ in
                await WebSocketConnection.serve(upgraded) { socket in
                    await CambioAgentSocket(sessions: request.sessions(of: service), sessionID: id, socket: socket, heartbeat: heartbeat).run()
                }
            }
        }
    }
}
