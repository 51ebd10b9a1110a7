public import AgentCore

/// Seed S2, the Computer Use Agent's browser-task API (`/work/shared/seeds/002_d374a4bec04980c4.txt`),
/// served under `/api` on a listener of its own (`agentd --cua-port N`), as a thin mapping onto
/// the session service: a task is a session whose first message is the task.
///
/// | route | maps to |
/// |---|---|
/// | `POST /api/tasks` | `SessionService.create` (+ `.setModelClient` for `api_key`), `.send` of the task |
/// | `GET /api/status/{session_id}/{task_id}`, `GET /api/sessions/{id}/status?task_id=` | `.session`, the event log, `.toolExecutions`, `.latestScreenshot` |
/// | `GET /api/sessions`, `POST /api/sessions/batch`, `GET /api/sessions/active` | `.list` (every page when a filter or sort needs the whole set) |
/// | `GET /api/sessions/{id}/details`, `PUT /api/sessions/{id}` | `.session` with the log, `.update` |
/// | `POST /api/sessions/cleanup?days_old=N` | `.cleanUp(olderThanDays:)` |
/// | `POST /api/stop/{id}`, `/pause/{id}`, `/resume/{id}` (and `/api/sessions/{id}/stop`, `/pause`, `/resume`) | `.stop`, `.pause`, `.resume` |
/// | `POST /api/confirm_safety_check/{id}` (and `/api/sessions/{id}/confirm-safety-check`) | `.approve`, or `.declineAndStop` |
/// | `POST /api/cleanup_session/{id}` (and `/api/sessions/{id}/cleanup`) | `.releaseEnvironment` |
/// | `GET /api/health` | `{status, active_sessions, version, browser_environment}` |
///
/// ```swift
/// var router = Router()
/// BrowserTasksAPI(service: service).register(on: &router)
/// let handler = BrowserTasksAPI.enveloped(router)   // the router's own 404/405 in S2's envelope
/// ```
///
/// Every answer, errors included, is the document's envelope `{success, message, data}`
/// (``BrowserTasksEnvelope``); an error's `data` is `{"error": detail}` ("Error Responses").
///
/// **The task secret.** `task_id` (`t` and 32 random hex digits) is returned once, by
/// `POST /api/tasks`, and is the control secret of its task: the status and control routes
/// answer 403 when it does not match (400 when it is missing). Only its SHA-256 is stored, in the
/// session's metadata under ``BrowserTaskSecret/metadataKey``, so it survives a restart and
/// nobody can read it back; no S2 listing echoes it (`task_id` is null in `/api/sessions/active`),
/// and agentd's access log shows the status path as `/api/status/{id}/[task_id]` (``redactedPath(_:)``).
/// Sessions made through other APIs have no task secret and cannot be controlled here.
///
/// **The model key.** `api_key` is a per-task Anthropic key: the task's session talks to the
/// daemon's model origin with it (``SessionService/setModelClient(_:for:)``). It is held in memory
/// only: never stored in the database, never echoed, never logged (the access log has no bodies).
/// After a restart the session uses the daemon's key until it is given one again.
///
/// **Safety checks are approvals.** A task's default approval policy (``BrowserTaskSafety``)
/// holds every tool call that types, opens or fetches a URL outside the starting URL's site (and
/// any `allowed_domains` given); such a pending approval is the status `awaiting_safety_confirmation`
/// with `pending_safety_checks: [{id, code, message}]`. `confirm: true` approves it; `confirm: false`
/// stores the refusal and stops the task with the reason (status `stopped`).
///
/// Where the document leaves room or says two things (both readings are served where they can coexist):
/// - **Control paths.** The document's `/api/stop/{id}` style and the system's own
///   `/api/sessions/{id}/stop` style (with `confirm-safety-check`, `cleanup` and
///   `GET …/status?task_id=`) are both served. `task_id` is read from the body or the query.
///   A body `session_id` that differs from the path is 400.
/// - **`session_url`** points at `http://localhost:5000/…`, a front end agentd does not have; it is
///   this listener's `…/api/sessions/{id}/details` (using the request's `Host`).
/// - **`task_id` in `/api/sessions/active`** is shown in the example, but it is the control
///   secret: the field is present and null.
/// - **Statuses** (``BrowserTaskStatus``): the document's `running`, `paused`, `completed`,
///   `stopped`, `error`, `timeout`, plus `pending` (created, not started) and
///   `awaiting_safety_confirmation`; a run cut short by a daemon restart is `stopped` (its reason
///   says so, and `resume` continues it). `cleaned` is only the answer of `cleanup_session`.
/// - **`max_actions`** counts model steps (each computer-use step is one action): the run stops
///   with status `stopped` instead of taking step N+1. `timeout_seconds` is the run's wall-clock
///   limit (status `timeout`); 5 minutes of inactivity (no run in progress) also ends a task with
///   `timeout`, with a log entry.
/// - **`headless`** is accepted and echoed: the browser always runs on a private Xvfb display that
///   no one else sees, which is what a headless browser gives the caller; the native API's live
///   view can still show it.
/// - **`completed_at`** is the time an ended session last changed (its end, unless it was renamed
///   or tagged afterwards), null while it has not ended; `duration` is from creation to then (or now).
/// - **`has_errors`** means the status is `error`. `tags` in a batch filter means every listed tag.
/// - **Status codes.** 200 for every success (the document names none); 400 for bad input, 403 for
///   a wrong `task_id`, 404 for an unknown session, 409 for a request the session's state refuses
///   (pausing an ended task, confirming when nothing waits), 503 when the store or the environment
///   fails. The document's 401 needs no key to check here (the listener trusts its network, as the
///   main API does), so it never occurs; its 429 is not applied on this listener.
/// - `environment` is `browser` (default; Chromium and the computer tool), `desktop` (the computer
///   tool with bash and the editor) or `none` (bash and the editor). The optional `tools` and
///   `allowed_domains` fields are agentd's additions.
public struct BrowserTasksAPI: Sendable {
    public let service: SessionService
    /// What `/api/health` reports as `version`.
    public let version: String
    /// The model client of a task created with an `api_key`.
    let makeModelClient: @Sendable (_ apiKey: String) -> any ModelClient

    /// Creates the dialect.
    /// - Parameters:
    ///   - version: `/api/health`'s `version`.
    ///   - makeModelClient: the client of tasks created with an `api_key` (Anthropic's API by default).
    public init(
        service: SessionService, version: String = AgentCoreVersion.string,
        makeModelClient: @escaping @Sendable (_ apiKey: String) -> any ModelClient = { AnthropicClient(apiKey: $0) }
    ) {
        self.service = service
        self.version = version
        self.makeModelClient = makeModelClient
    }

    /// Adds the S2 routes to `router` (which should hold nothing else: `GET /api/sessions` and
    /// `GET /api/health` mean something else in S0).
    public func register(on router: inout Router) {
        registerTasks(on: &router)
        registerSessions(on: &router)
        registerControl(on: &router)
    }

    /// `handler` (S2's router) with the router's own answers (404 for no route, 405, a bad target)
    /// rewritten into S2's envelope.
    public static func enveloped(_ handler: any HTTPHandler) -> any HTTPHandler {
        BrowserTasksEnvelope.Middleware(next: handler)
    }

    /// `path` fit for a log: the task secret of `/api/status/{session_id}/{task_id}` becomes
    /// `[task_id]` (the other routes carry it in the body or the query, which are never logged).
    public static func redactedPath(_ path: String) -> String {
        let segments = path.split(separator: "/", omittingEmptySubsequences: false)
        guard path.hasPrefix("/api/status/"), segments.count >= 5 else { return path }
        return segments.prefix(4).joined(separator: "/") + "/[task_id]"
    }

    /// Adds a route whose answer is wrapped in S2's envelope, errors included.
    static func add(_ router: inout Router, _ method: String, _ pattern: String,
                    _ handler: @escaping @Sendable (APIRequest) async throws -> HTTPResponse) {
        router.add(method, pattern, errors: { error, _ in BrowserTasksEnvelope.response(for: error) }, handler)
    }
}
