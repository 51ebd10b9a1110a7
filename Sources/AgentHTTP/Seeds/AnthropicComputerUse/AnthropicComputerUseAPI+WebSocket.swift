import AgentCore

extension AnthropicComputerUseAPI {
    /// `ws /api/ws/{session_id}` (seed 000 "WebSocket API").
    func registerWebSocket(on router: inout Router) {
        let service = self.service
        let allowedOrigins = self.allowedOrigins
        Self.add(&router, "GET", "/api/ws/{session_id}") { request in
            let id = request.parameter("session_id")
            let host = request.http.headers["Host"]
            // Cross-site WebSocket hijacking: browsers connect only from an allowed origin or agentd's own.
            let handshake = WebSocketHandshake { origin in
                guard let origin else { return true }
                return allowedOrigins.contains("*") || allowedOrigins.contains(origin)
                    || host.map { origin == "http://\($0)" || origin == "https://\($0)" } == true
            }
            return handshake.response(to: request.http.head) { upgraded, _ in
                await WebSocketConnection.serve(upgraded) { socket in
                    await ComputerUseSocket(sessions: request.sessions(of: service), sessionID: id, socket: socket).run()
                }
            }
        }
    }
}

/// One S0 WebSocket client: the session's events from now on as S0 messages; `message` and
/// `stop` commands in.
struct ComputerUseSocket: Sendable {
    /// The sessions of the principal that opened the socket.
    let sessions: OwnedSessions
    let sessionID: String
    let socket: WebSocketConnection

    func run() async {
        let subscription: EventSubscription
        do {
            let after = try await sessions.session(sessionID).lastSeq
            subscription = try await sessions.subscribe(sessionID, after: after)
        } catch {
            let api = APIError(any: error).unprocessableAsBadRequest
            let code = api.status == 404 ? "SESSION_NOT_FOUND" : ComputerUseError.code(api)
            await send(ComputerUseProgress.error(api.message, code: code))
            await socket.close(code: .policyViolation, reason: code)
            return
        }
        // seed 000 "Connection Message".
        await send(ComputerUseProgress.connection(sessionID: sessionID))
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                var progress = ComputerUseProgress(sessionID: sessionID)
                for await item in subscription {
                    switch item {
                    case .event(let event):
                        for message in progress.map(event) {
                            do { try await socket.send(text: message.serialized()) } catch { return }
                        }
                    case .closed(let reason, let kind):
                        await socket.close(code: SessionSocket.closeCode(kind), reason: String(reason.utf8.prefix(100)) ?? "")
                        return
                    }
                }
            }
            group.addTask {
                for await message in socket.messages {
                    guard case .text(let text) = message else {
                        await send(ComputerUseProgress.error("messages are JSON text", code: "INVALID_REQUEST"))
                        continue
                    }
                    await handle(text)
                }
                subscription.cancel()
            }
            await group.next()
            subscription.cancel()
            group.cancelAll()
        }
    }

    /// `{"type": "message", "content": …}` (or just `{"content": …}`) sends a message;
    /// `{"type": "stop"}` stops the run; `{"type": "ping"}` is answered with `pong`.
    private func handle(_ text: String) async {
        guard let command = try? JSONValue(parsing: text), command.objectValue != nil else {
            await send(ComputerUseProgress.error("a message is a JSON object", code: "INVALID_REQUEST"))
            return
        }
        do {
            switch command["type"]?.stringValue ?? "message" {
            case "message", "user_message":
                guard let content = command["content"]?.stringValue ?? command["message"]?.stringValue, !content.isEmpty else {
                    throw APIError.badRequest("'content' is required: the message text")
                }
                _ = try await sessions.send(sessionID, Message.user(content))
            case "stop", "cancel":
                _ = try await sessions.stop(sessionID)
            case "ping":
                await send(["type": "pong", "data": [:]])
            case let other:
                throw APIError.badRequest("unknown message type '\(other)' (known: message, stop, ping)")
            }
        } catch {
            let api = APIError(any: error).unprocessableAsBadRequest
            await send(ComputerUseProgress.error(api.message, code: ComputerUseError.code(api)))
        }
    }

    private func send(_ message: JSONValue) async {
        try? await socket.send(text: message.serialized())
    }
}
