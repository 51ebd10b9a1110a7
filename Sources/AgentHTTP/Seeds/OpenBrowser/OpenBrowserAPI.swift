public import AgentCore
import Foundation

/// Seed S4, OpenBrowser's API (`/work/shared/seeds/004_0c728a73239a0be3.txt`), served at the
/// root as a thin mapping onto the session service: a conversation is a session.
///
/// | route | maps to |
/// |---|---|
/// | `GET /api` | server info; `websocket_connections` counts the valid browser tokens |
/// | `GET`, `POST /api/config/llm`, `GET /api/config`, `GET`, `POST /api/config/cwd` | `OpenBrowserSettings` (model, base URL, key, default directory of new conversations) |
/// | `POST`, `GET /agent/conversations`, `GET`, `DELETE /agent/conversations/{id}` | `SessionService.create` (+ `.setModelClient`), `.list`, `.session`, `.delete` |
/// | `POST /agent/conversations/{id}/messages` | `.send`, answered with the turn as SSE |
/// | `GET /agent/conversations/{id}/messages` | `.subscribe` as SSE, or the user messages as JSON |
/// | `GET /agent/conversations/{id}/events`, `/replay` | the event log as JSON (no images), as SSE |
/// | `POST /browsers/register`, `GET /browsers/{uuid}/valid` | `BrowserRegistry`: capability tokens naming an environment |
///
/// ```swift
/// var router = Router()
/// OpenBrowserAPI(service: service).register(on: &router)
/// ```
///
/// Choices where the document leaves room or says two things:
/// - `GET …/messages` is both "connect to SSE stream" and "get user messages only": with
///   `Accept: text/event-stream` it attaches to the live stream (until the client leaves),
///   otherwise it answers `{success, conversation_id, messages, count}` with the user messages.
/// - `GET /health` belongs to the daemon's merged health route, not to this dialect.
/// - Statuses: `running`, `paused` and `awaiting_approval` are `active`; `idle`, `completed` and
///   `error` are themselves; `stopped`, `timeout` and `interrupted` are `idle` (the conversation
///   takes messages again). The `status` filter takes these four names.
/// - A browser "connection" is one of agentd's environments: `POST /browsers/register` takes
///   `connection_id` `browser`, `desktop` or `none`, and a conversation created (or messaged) with
///   that `browser_id` gets that environment; the token lives `ttl_hours` (default 24) in memory.
///   A message whose `browser_id` or `cwd` differs from the conversation's changes it between turns.
/// - The LLM settings and the default `cwd` are kept in `settingsFile` (agentd: a 0600 file in its
///   data directory, never the database), so they outlive a restart; the key is never logged or
///   echoed (shown as `********`),
///   and a conversation created while a key is set talks to `base_url` (Anthropic's Messages API
///   or one speaking it) with that key and `model`; `api_key: "********"` in an update keeps the
///   key. `is_configured` is `has_api_key`.
/// - `POST …/messages` streams until the turn it started (or queued) is `complete`; the stream
///   of `GET …/replay` ends after the history. `observation` carries the screenshot as base64 in
///   streams; `GET …/events` leaves images out (`screenshot` is then the image's `sha256`).
/// - Errors are `{"detail": …}`; statuses besides 400, 404 and 500 (409 when the conversation's
///   state refuses the request, 415, 503) keep their meaning.
public struct OpenBrowserAPI: Sendable {
    public let service: SessionService
    /// `/api/config` settings, one set per owner.
    let settings: OpenBrowserSettingsBook
    let browsers: BrowserRegistry
    /// Seconds between `heartbeat` events (30 in the document).
    let heartbeat: Duration
    let version: String
    let makeModelClient: @Sendable (_ apiKey: String, _ baseURL: String) -> any ModelClient

    /// Creates the dialect.
    /// - Parameters:
    ///   - heartbeat: the interval of `heartbeat` events (seed 004: 30 s).
    ///   - now: the clock of browser-token expiry, in seconds since 1970 (the system's by default).
    ///   - makeModelClient: the client of conversations created with an LLM key (Anthropic's by default).
    ///   - settingsFile: where `/api/config` settings are kept across restarts (0600); nil keeps them
    ///     in memory only.
    /// - Throws: when `settingsFile` exists and is unreadable.
    public init(
        service: SessionService, heartbeat: Duration = .seconds(30), version: String = AgentCoreVersion.string,
        now: (@Sendable () -> Double)? = nil, settingsFile: String? = nil,
        makeModelClient: @escaping @Sendable (_ apiKey: String, _ baseURL: String) -> any ModelClient = {
            AnthropicClient(apiKey: $0, baseURL: $1)
        }
    ) throws {
        self.service = service
        self.heartbeat = heartbeat
        self.version = version
        self.makeModelClient = makeModelClient
        settings = try OpenBrowserSettingsBook(model: service.configuration.defaults.model, file: settingsFile)
        browsers = BrowserRegistry(now: now ?? { Date().timeIntervalSince1970 })
    }

    /// Adds the S4 routes to `router`.
    public func register(on router: inout Router) {
        registerConfiguration(on: &router)
        registerConversations(on: &router)
        registerStreams(on: &router)
        registerBrowsers(on: &router)
    }

    /// Adds a route whose errors are answered in S4's envelope.
    static func add(_ router: inout Router, _ method: String, _ pattern: String,
                    _ handler: @escaping @Sendable (APIRequest) async throws -> HTTPResponse) {
        router.add(method, pattern, errors: { error, _ in OpenBrowserError.response(for: error) }, handler)
    }
}
