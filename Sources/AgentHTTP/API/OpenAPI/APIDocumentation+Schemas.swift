import AgentCore

extension APIDocumentation {
    /// `components.schemas`: every body the native API reads or writes.
    static var schemas: [String: JSONValue] {
        sessionSchemas.merging(runSchemas) { first, _ in first }
    }

    /// The error envelope, sessions, their configuration, and the list and health answers.
    private static var sessionSchemas: [String: JSONValue] {
        typealias S = OpenAPI
        return [
            "Error": S.object([
                "detail": S.string("what went wrong, for people (same as `message`)"),
                "error": S.string("a stable, machine-readable type: `not_found`, `invalid_request`, `conflict`, …"),
                "message": S.string("what went wrong, for people"),
                "status_code": S.integer("the HTTP status"),
                "timestamp": S.string("when the error happened", format: "date-time"),
                "request_id": S.string("the request's id (also in `X-Request-ID`)"),
            ], required: ["detail", "error", "message", "status_code", "timestamp", "request_id"], closed: true,
               "The one error envelope every route answers with."),
            "SessionStatus": S.string("where the session is in its life", enum: SessionStatus.allCases.map(\.rawValue)),
            "Usage": S.object([
                "input_tokens": S.integer(minimum: 0), "output_tokens": S.integer(minimum: 0),
                "cache_creation_input_tokens": S.integer(minimum: 0), "cache_read_input_tokens": S.integer(minimum: 0),
            ], required: ["input_tokens", "output_tokens", "cache_creation_input_tokens", "cache_read_input_tokens"]),
            "ImageReference": S.object([
                "sha256": S.string("lowercase hex"), "media_type": S.string(), "bytes": S.integer(minimum: 0),
            ], required: ["sha256", "media_type", "bytes"]),
            "SessionConfiguration": S.object([
                "model": S.string(),
                "system_prompt_suffix": S.string(),
                "tools": S.array(S.string(enum: ["bash", "edit", "computer"])),
                "environment": S.object([
                    "kind": S.string(enum: ["none", "desktop", "browser"]), "width": S.integer(minimum: 1),
                    "height": S.integer(minimum: 1), "starting_url": S.string(),
                ], "where the tools run; `computer` needs a screen (desktop or browser)"),
                "limits": S.object([
                    "max_steps": S.integer(minimum: 1), "timeout_seconds": S.number(), "token_budget": S.integer(minimum: 1),
                ]),
                "approval_policy": S.array(S.object([
                    "tool": S.string(), "actions": S.array(S.string()), "key_chords": S.boolean(), "contains": S.string(),
                    "allowed_hosts": S.array(S.string()),
                ], closed: true), "rules naming the tool calls that wait for a person's approval"),
                "budget": S.object([
                    "soft_tokens": S.integer(minimum: 1), "hard_tokens": S.integer(minimum: 1),
                    "soft_cost_usd": S.number(), "hard_cost_usd": S.number(),
                ]),
                "message_policy": S.string("what a message sent during a run does", enum: ["enqueue", "reject"]),
                "max_tokens": S.integer(minimum: 1),
            ]),
            "Session": S.object([
                "id": S.string(), "owner": S.string(), "name": S.string(), "tags": S.array(S.string()),
                "priority": S.string(enum: SessionRecord.priorities), "metadata": S.anyObject(),
                "configuration": S.ref("SessionConfiguration"), "status": S.ref("SessionStatus"),
                "status_reason": S.string("why the session is in its status"),
                "created_at": S.timestamp, "updated_at": S.timestamp, "last_activity_at": S.timestamp,
                "usage": S.ref("Usage"), "cost_usd": S.number(minimum: 0),
                "last_seq": S.integer("the `seq` of the newest stored event", minimum: 0),
                "queued_messages": S.integer(minimum: 0), "pending_approval": S.ref("Approval"),
            ], required: ["id", "owner", "name", "tags", "priority", "metadata", "configuration", "status", "created_at",
                          "updated_at", "last_activity_at", "usage", "cost_usd", "last_seq", "queued_messages"]),
            "SessionList": S.object([
                "sessions": S.array(S.ref("Session")), "total": S.integer("how many sessions match in all", minimum: 0),
                "limit": S.integer(minimum: 1), "offset": S.integer(minimum: 0),
            ], required: ["sessions", "total", "limit", "offset"]),
            "SessionCreate": S.object([
                "id": S.string("an id of the caller's choosing; one is made when absent"),
                "name": S.string(), "session_name": S.string("same as `name`"), "tags": S.array(S.string()),
                "priority": S.string(enum: SessionRecord.priorities), "metadata": S.anyObject(),
                "configuration": S.ref("SessionConfiguration"),
                "message": S.string("a first message, run at once"), "task": S.string("same as `message`"),
                "model": S.string(), "tools": S.array(S.string()), "max_tokens": S.integer(minimum: 1),
            ], "Configuration fields may also be given at the top level."),
            "SessionUpdate": S.object([
                "name": S.string(), "tags": S.array(S.string()), "priority": S.string(enum: SessionRecord.priorities),
                "metadata": S.anyObject(),
            ], closed: true),
            "CleanupRequest": S.object(["days_old": S.number(minimum: 0)]),
            "CleanupResult": S.object(["deleted": S.array(S.string()), "count": S.integer(minimum: 0)],
                                      required: ["deleted", "count"]),
            "Health": S.object([
                "status": S.string(enum: ["ok"]), "version": S.string(), "database": S.string(),
                "live_sessions": S.integer(minimum: 0),
            ], required: ["status", "version", "database", "live_sessions"]),
            "Ready": S.object(["ready": S.boolean()], required: ["ready"]),
        ]
    }

    /// Messages, events, tool executions and approvals.
    private static var runSchemas: [String: JSONValue] {
        typealias S = OpenAPI
        return [
            "Event": S.object([
                "session_id": S.string(), "seq": S.integer(minimum: 0),
                "type": S.string("`user_message`, `assistant_message`, `tool_call_started`, `status`, …"),
                "time": S.timestamp, "live": S.boolean("a live-only token delta (never stored; its `seq` is the last stored)"),
            ], required: ["session_id", "seq", "type", "time"], "An event; its other fields depend on its type."),
            "EventList": S.object(["events": S.array(S.ref("Event")), "last_seq": S.integer(minimum: 0)],
                                  required: ["events", "last_seq"]),
            "Message": S.object([
                "role": S.string(enum: ["user", "assistant"]),
                "content": S.array(S.anyObject(), "content blocks, as the Messages API has them (images redacted)"),
                "index": S.integer("the message's place in the whole conversation", minimum: 0),
            ], required: ["role", "content", "index"]),
            "MessageList": S.object(["messages": S.array(S.ref("Message")), "total": S.integer(minimum: 0)],
                                    required: ["messages", "total"]),
            "MessageSend": S.object([
                "content": S.string("the message text"), "text": S.string("same as `content`"),
                "message": S.string("same as `content`"),
            ]),
            "MessageAccepted": S.object([
                "status": S.string(enum: ["started", "queued"]),
                "position": S.integer("the message's place in the queue (when queued)", minimum: 1),
                "session": S.ref("Session"),
            ], required: ["status", "session"]),
            "ToolExecution": S.object([
                "tool_use_id": S.string(), "name": S.string(), "input": S.anyObject(),
                "status": S.string(enum: ["running", "succeeded", "failed", "skipped", "interrupted"]),
                "output": S.string(), "error": S.string(), "system": S.string(), "image": S.ref("ImageReference"),
                "started_at": S.timestamp, "finished_at": S.timestamp, "duration_ms": S.number(minimum: 0),
            ], required: ["tool_use_id", "name", "input", "status", "started_at"]),
            "ToolExecutionList": S.object([
                "tool_executions": S.array(S.ref("ToolExecution")), "total": S.integer(minimum: 0),
            ], required: ["tool_executions", "total"]),
            "Approval": S.object([
                "id": S.string("the tool call's id (same as `tool_use_id`)"), "tool_use_id": S.string(), "name": S.string(),
                "input": S.anyObject(), "reason": S.string(), "requested_at": S.timestamp,
                "screenshot": S.ref("ImageReference"),
            ], required: ["tool_use_id", "name", "input", "reason", "requested_at"]),
            "ApprovalList": S.object(["approvals": S.array(S.ref("Approval"))], required: ["approvals"]),
            "ApprovalDecision": S.object([
                "decision": S.string(enum: ["approve", "deny"]), "approve": S.boolean("same as a `decision`"),
                "message": S.string("told to the model when denying"),
            ]),
            "ResumeRequest": S.object(["instruction": S.string("a user message added before the run goes on")]),
        ]
    }
}
