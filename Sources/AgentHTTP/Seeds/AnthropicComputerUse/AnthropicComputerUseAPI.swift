public import AgentCore

/// Seed S0, the computer-use backend's API (`/work/shared/seeds/000_a4af3379017e4080.txt`,
/// "API Reference"), served under `/api` as a thin mapping onto the session service.
///
/// | route | maps to |
/// |---|---|
/// | `GET /api/health` | `{status, timestamp, version}` |
/// | `POST /api/sessions`, `GET /api/sessions` | `SessionService.create`, `.list` (every page) |
/// | `GET`, `DELETE /api/sessions/{session_id}` | `.session` with the messages, `.delete` |
/// | `POST`, `GET /api/sessions/{session_id}/messages` | `.send` (answers the "processing" message at once), the event log with `.toolExecutions` |
/// | `ws /api/ws/{session_id}` | `.subscribe` from now on, mapped to `connection`, `agent_progress`, `tool_execution`, `agent_response`, `error` |
///
/// ```swift
/// var router = Router()
/// AnthropicComputerUseAPI(service: service).register(on: &router)
/// ```
///
/// Choices where the document leaves room or says two things:
/// - Session `status` has four values; ours has nine: `idle`, `running`, `paused` and
///   `awaiting_approval` are `active` (the session takes messages), `completed` and `error` are
///   themselves, `stopped` and `timeout` are `cancelled`, and `interrupted` (agentd stopped
///   mid-run) is `error`.
/// - A Message is a user message or an assistant reply; the tool-result turns the model sees are
///   not messages here but the `tool_executions` of the reply that asked for them. Ids are UUIDs
///   derived from the session and the event's `seq`, so the `message_id` of `agent_response` is
///   the id `GET …/messages` lists. No message has role `system` (agentd keeps none).
/// - `POST /api/sessions` answers 201 (the table lists 201 Created); `POST …/messages` answers 200
///   with `id: "processing"` as documented. Besides `name`, the create body may carry the native
///   configuration fields (`tools`, `environment`, `model`, …); left out, the daemon's defaults apply.
/// - A `ToolExecution`'s `tool_output` is `{status, result}` as in the WebSocket example, plus
///   `error`, `system` and `screenshot` (`{sha256, url}`) when the call had them; `execution_time`
///   is in seconds.
/// - The WebSocket sends `tool_execution` twice per call: with `status: running` when it starts
///   and `completed` or `error` when it ends (the same `id`). An assistant reply that asks for
///   tools shows as `agent_progress` (step `thinking`); the reply that ends the turn is the
///   `agent_response`. An unknown session is answered after the upgrade, as an `error` with
///   `error_code: SESSION_NOT_FOUND` and close code 1008, since browsers cannot read a refused
///   handshake. Clients may send `{"type": "message", "content": …}` and `{"type": "stop"}`.
/// - Errors carry exactly `{detail, status_code, timestamp}`. Statuses beyond the documented five
///   (409 for a request the session's state refuses, 415, 503) keep their meaning.
public struct AnthropicComputerUseAPI: Sendable {
    public let service: SessionService
    /// What `GET /api/health` reports as `version`.
    public let version: String
    /// Browser origins (besides agentd's own) allowed to open the WebSocket (`CORS_ORIGINS`).
    public let allowedOrigins: [String]

    public init(service: SessionService, version: String = AgentCoreVersion.string, allowedOrigins: [String] = []) {
        self.service = service
        self.version = version
        self.allowedOrigins = allowedOrigins
    }

    /// Adds the S0 routes to `router`.
    public func register(on router: inout Router) {
        registerSessions(on: &router)
        registerMessages(on: &router)
        registerWebSocket(on: &router)
    }

    /// Adds a route whose errors are answered in S0's envelope.
    static func add(_ router: inout Router, _ method: String, _ pattern: String,
                    _ handler: @escaping @Sendable (APIRequest) async throws -> HTTPResponse) {
        router.add(method, pattern, errors: { error, _ in ComputerUseError.response(for: error) }, handler)
    }
}
