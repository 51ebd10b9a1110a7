import AgentCore

extension NativeAPI {
    /// `GET /api/v1/sessions/{id}/ws`: the session's events as WebSocket text frames (from `after`,
    /// then live), and commands from the client: `message`, `stop`, `pause`, `resume`, `approve`,
    /// `deny`, each answered with a `reply` (or an `error` in the API's envelope).
    func registerWebSocket(on router: inout Router) {
        let service = self.service
        let allowedOrigins = self.allowedOrigins
        router.add("GET", "/api/v1/sessions/{id}/ws") { request in
            let id = request.parameter("id")
            let after = try request.integer("after", in: 0...Int.max, default: 0)
            let sessions = request.sessions(of: service)
            _ = try await sessions.session(id)
            let host = request.http.headers["Host"]
            // Cross-site WebSocket hijacking: a browser page may connect only from an allowed origin
            // or from agentd's own (no Origin header: not a browser).
            let handshake = WebSocketHandshake { origin in
                guard let origin else { return true }
                return allowedOrigins.contains(origin) || host.map { origin == "http://\($0)" || origin == "https://\($0)" } == true
            }
            return handshake.response(to: request.http.head) { upgraded, _ in
                await WebSocketConnection.serve(upgraded) { socket in
                    await SessionSocket(sessions: sessions, sessionID: id, socket: socket).run(after: after)
                }
            }
        }
    }
}

/// One WebSocket client of a session: events out, commands in.
struct SessionSocket: Sendable {
    /// The sessions of the principal that opened the socket.
    let sessions: OwnedSessions
    let sessionID: String
    let socket: WebSocketConnection

    func run(after: Int) async {
        guard let subscription = try? await sessions.subscribe(sessionID, after: after) else { return }
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                for await item in subscription {
                    switch item {
                    case .event(let event):
                        do { try await socket.send(text: event.json.serialized()) } catch { return }
                    case .closed(let reason, let kind):
                        await socket.close(code: Self.closeCode(kind), reason: String(reason.utf8.prefix(100)) ?? "")
                        return
                    }
                }
            }
            group.addTask {
                for await message in socket.messages {
                    guard case .text(let text) = message else {
                        await reply(error: APIError.badRequest("commands are JSON text messages"))
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

    /// Runs one command and answers it.
    private func handle(_ text: String) async {
        guard let command = try? JSONValue(parsing: text), let type = command["type"]?.stringValue else {
            await reply(error: APIError.badRequest("a command is a JSON object with a 'type'"))
            return
        }
        do {
            let session: SessionRecord
            switch type {
            case "message":
                guard let content = command["content"]?.stringValue else {
                    throw APIError.badRequest("'content' is required: the message text")
                }
                guard !content.isEmpty else { throw APIError.invalidValue("'content' must not be empty") }
                _ = try await sessions.send(sessionID, Message.user(content))
                session = try await sessions.session(sessionID)
            case "stop": session = try await sessions.stop(sessionID)
            case "pause": session = try await sessions.pause(sessionID)
            case "resume": session = try await sessions.resume(sessionID, instruction: command["instruction"]?.stringValue)
            case "approve": session = try await sessions.approve(sessionID, toolUseID: command["tool_use_id"]?.stringValue)
            case "deny":
                session = try await sessions.deny(sessionID, toolUseID: command["tool_use_id"]?.stringValue,
                                                  message: command["message"]?.stringValue)
            default:
                throw APIError.invalidValue("'type': unknown command '\(type)' (known: message, stop, pause, resume, approve, deny)")
            }
            let answer: JSONValue = ["type": "reply", "command": .string(type), "session": session.json]
            try? await socket.send(text: answer.serialized())
        } catch {
            await reply(error: APIError(any: error))
        }
    }

    private func reply(error: APIError) async {
        let body: JSONValue = ["type": "error", "detail": .string(error.message), "error": .string(error.type),
                               "status_code": .int(error.status)]
        try? await socket.send(text: body.serialized())
    }

    static func closeCode(_ kind: SubscriptionCloseKind) -> WebSocketCloseCode {
        switch kind {
        case .fellBehind: .tryAgainLater
        case .historyFailed: .internalError
        case .sessionDeleted: .normalClosure
        case .hubClosed: .goingAway
        }
    }
}
