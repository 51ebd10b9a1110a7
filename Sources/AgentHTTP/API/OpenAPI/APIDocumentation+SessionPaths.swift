import AgentCore

extension APIDocumentation {
    /// Health, the documentation and metrics themselves, and the session routes.
    static var sessionOperations: [OpenAPIOperation] {
        typealias S = OpenAPI
        typealias Op = OpenAPIOperation
        let v1 = "/api/v1"
        let session = S.jsonResponse("The session", S.ref("Session"))
        let noContent: JSONValue = ["description": "Done; no body"]
        return [
            Op("GET", "/openapi.json", id: "getOpenAPIDocument", "This document", tag: "service")
                .returns(200, S.jsonResponse("The OpenAPI 3.1 document", S.anyObject())),
            Op("GET", "/metrics", id: "getMetrics", "Prometheus metrics", tag: "service")
                .described("Prometheus text format 0.0.4. Answered only to loopback peers unless configured otherwise; "
                           + "other peers get 404.")
                .returns(200, S.response("The metrics", mediaType: "text/plain; version=0.0.4", S.string()))
                .errors(404, 503),
            Op("GET", "\(v1)/health", id: "getHealth", "Whether the daemon is up", tag: "service")
                .returns(200, S.jsonResponse("The daemon is up", S.ref("Health"))),
            Op("GET", "\(v1)/ready", id: "getReady", "Whether the daemon takes requests", tag: "service")
                .returns(200, S.jsonResponse("Ready", S.ref("Ready"))),

            Op("POST", "\(v1)/sessions", id: "createSession", "Create a session", tag: "sessions")
                .described("Status `idle`, or `running` when the request carries a first `message`.")
                .body(S.jsonBody(S.ref("SessionCreate"), required: false))
                .returns(201, S.jsonResponse("The new session", S.ref("Session")))
                .errors(409, 429, 503),
            Op("GET", "\(v1)/sessions", id: "listSessions", "List sessions", tag: "sessions")
                .parameters(
                    S.queryParameter("status", S.string(), "comma-separated statuses (any of them)"),
                    S.queryParameter("tag", S.string(), "sessions carrying this tag"),
                    S.queryParameter("owner", S.string(), "sessions of this owner"),
                    S.queryParameter("user_id", S.string(), "same as `owner`"),
                    S.queryParameter("created_after", S.number(), "created at or after (seconds since 1970)"),
                    S.queryParameter("created_before", S.number(), "created before (seconds since 1970)"),
                    S.queryParameter("sort", S.string(enum: SessionQuery.SortField.allCases.map(\.rawValue)), "sort field"),
                    S.queryParameter("order", S.string(enum: ["asc", "desc"]), "sort order (default `desc`)"),
                    S.queryParameter("limit", S.integer(minimum: 1, maximum: SessionQuery.maximumLimit), "page size (50)"),
                    S.queryParameter("offset", S.integer(minimum: 0), "sessions to skip"))
                .returns(200, S.jsonResponse("A page of sessions", S.ref("SessionList")))
                .errors(400, 422, 503),
            Op("POST", "\(v1)/sessions/cleanup", id: "cleanUpSessions", "Delete old sessions", tag: "sessions")
                .described("Deletes every session created more than `days_old` days ago that has no run in progress.")
                .parameters(S.queryParameter("days_old", S.number(minimum: 0), "age in days (or in the body)"))
                .body(S.jsonBody(S.ref("CleanupRequest"), required: false))
                .returns(200, S.jsonResponse("The deleted sessions", S.ref("CleanupResult")))
                .errors(400, 422, 503),
            Op("GET", "\(v1)/sessions/{id}", id: "getSession", "One session", tag: "sessions")
                .returns(200, session).errors(404, 503),
            Op("PATCH", "\(v1)/sessions/{id}", id: "updateSession", "Change a session's labels", tag: "sessions")
                .body(S.jsonBody(S.ref("SessionUpdate")))
                .returns(200, session).errors(404, 409, 503),
            Op("DELETE", "\(v1)/sessions/{id}", id: "deleteSession", "Delete a session and all its data", tag: "sessions")
                .returns(204, noContent).errors(404, 503),
        ]
    }
}
