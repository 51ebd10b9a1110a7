import AgentCore

extension APIDocumentation {
    /// Messages, control, approvals, waiting, tool executions, screenshots and events.
    static var runOperations: [OpenAPIOperation] {
        typealias S = OpenAPI
        typealias Op = OpenAPIOperation
        let base = "/api/v1/sessions/{id}"
        let session = S.jsonResponse("The session", S.ref("Session"))
        let image = S.response("The image", mediaType: "image/*", ["contentMediaType": "image/*"])
        let page = [
            S.queryParameter("limit", S.integer(minimum: 1, maximum: 5000), "page size"),
            S.queryParameter("offset", S.integer(minimum: 0), "items to skip"),
        ]
        return [
            Op("POST", "\(base)/messages", id: "sendMessage", "Send a message", tag: "runs")
                .described("Starts a run, or queues the message while one is in progress (`message_policy`).")
                .body(S.jsonBody(S.ref("MessageSend")))
                .returns(202, S.jsonResponse("Accepted", S.ref("MessageAccepted")))
                .errors(404, 409, 429, 503),
            Op("GET", "\(base)/messages", id: "listMessages", "The conversation", tag: "runs")
                .parameters(S.queryParameter("role", S.string(enum: ["user", "assistant"]), "only this role"))
                .parameters(page[0], page[1])
                .returns(200, S.jsonResponse("A page of messages", S.ref("MessageList")))
                .errors(400, 404, 422, 503),
            Op("DELETE", "\(base)/messages", id: "clearMessages", "Clear the conversation and events", tag: "runs")
                .returns(204, ["description": "Cleared"]).errors(404, 409, 503),
            Op("POST", "\(base)/stop", id: "stopSession", "Stop the run", tag: "runs")
                .returns(200, session).errors(404, 409, 503),
            Op("POST", "\(base)/pause", id: "pauseSession", "Pause the run before its next action", tag: "runs")
                .returns(200, session).errors(404, 409, 503),
            Op("POST", "\(base)/resume", id: "resumeSession", "Resume a paused or ended session", tag: "runs")
                .body(S.jsonBody(S.ref("ResumeRequest"), required: false))
                .returns(200, session).errors(404, 409, 503),
            Op("GET", "\(base)/approvals", id: "listApprovals", "The pending approval, if any", tag: "approvals")
                .returns(200, S.jsonResponse("Pending approvals", S.ref("ApprovalList"))).errors(404, 503),
            Op("POST", "\(base)/approvals/{approval_id}", id: "decideApproval", "Approve or deny a tool call",
               tag: "approvals")
                .body(S.jsonBody(S.ref("ApprovalDecision")))
                .returns(200, session).errors(404, 409, 503),
            Op("GET", "\(base)/wait", id: "waitForSession", "Wait until the run settles", tag: "runs")
                .described("Returns once the session is no longer `running`, or when the timeout passes.")
                .parameters(S.queryParameter("timeout", S.number(minimum: 0, maximum: 300), "seconds (30)"))
                .returns(200, session).errors(400, 404, 422, 503),
            Op("GET", "\(base)/tool-executions", id: "listToolExecutions", "Tool calls and their results", tag: "runs")
                .returns(200, S.jsonResponse("Tool executions", S.ref("ToolExecutionList"))).errors(404, 503),
            Op("GET", "\(base)/screenshots/latest", id: "getLatestScreenshot", "The newest screenshot", tag: "runs")
                .returns(200, image).errors(404, 503),
            Op("GET", "\(base)/screenshots/{hash}", id: "getScreenshot", "A screenshot by hash", tag: "runs")
                .returns(200, image).errors(404, 503),
            Op("GET", "\(base)/events", id: "listEvents", "The event log, or a live event stream", tag: "events")
                .described("JSON pages; with `Accept: text/event-stream`, Server-Sent Events whose `id` is the "
                           + "event's `seq` (resume with `Last-Event-ID` or `after`).")
                .parameters(
                    S.queryParameter("after", S.integer(minimum: 0), "only events with a greater `seq`"),
                    S.queryParameter("limit", S.integer(minimum: 1, maximum: 5000), "page size (500)"),
                    S.headerParameter("Last-Event-ID", "the last `seq` seen (event streams)"))
                .returns(200, [
                    "description": "Events",
                    "content": [
                        "application/json": ["schema": S.ref("EventList")],
                        "text/event-stream": ["schema": S.string("Server-Sent Events, one per event")],
                    ],
                ])
                .errors(400, 404, 422, 503),
            Op("GET", "\(base)/ws", id: "sessionWebSocket", "The session over a WebSocket", tag: "events")
                .described("Upgrades to a WebSocket (RFC 6455). The server sends each event as a JSON text frame "
                           + "(stored ones from `after`, then live); the client may send `{\"type\": \"message\", "
                           + "\"content\": ...}`, `stop`, `pause`, `resume` (`instruction`), `approve` and `deny` "
                           + "(`message`), each answered with a `reply` or an `error` frame. Browser origins other "
                           + "than agentd's own and `CORS_ORIGINS` are refused (403).")
                .parameters(S.queryParameter("after", S.integer(minimum: 0), "only events with a greater `seq`"))
                .returns(101, ["description": "Switching to the WebSocket protocol"])
                .errors(400, 404, 422, 503),
        ]
    }
}
