import AgentCore
import AgentHTTP
import AgentTesting
import Foundation
import Testing

extension NativeRoutesLiveTests {
    /// A session whose run is in progress: its model call hangs until the run is stopped, and
    /// nothing more is stored until then (its `turn_started` is, and the model has the request).
    static func runningSession(_ live: LiveNativeAPI, _ configuration: JSONValue = [:]) async throws -> String {
        live.fake.enqueue(.stall(afterEvents: 0))
        var request = configuration
        request["message"] = "hang"
        let calls = live.fake.requestCount
        let id = try await live.create(request)
        let events = try await live.seed.stream("GET", "/api/v1/sessions/\(id)/events", headers: [("Accept", "text/event-stream")])
        #expect(try await events.until("turn_started").last?.type == "turn_started")
        events.close()
        #expect(await live.fake.waitUntil { $0.requestCount > calls }, "the run never called the model")
        #expect(try await live.send("GET", "/api/v1/sessions/\(id)").json["status"] == "running")
        return id
    }

    // MARK: - Messages and control

    static let runCases: [LiveRouteCase] = [
        LiveRouteCase("POST", "/api/v1/sessions/{id}/messages") { live in
            let id = try await live.create()
            let path = "/api/v1/sessions/\(id)/messages"
            try await live.refuseBadBodies("POST", path)
            try await live.refuse(400, "invalid_request", naming: "content", "POST", path, json: [:])
            try await live.refuse(400, "invalid_request", naming: "content", "POST", path, json: ["content": 5])
            try await live.refuse(422, "invalid_value", naming: "content", "POST", path, json: ["content": ""])
            try await live.refuse(404, "not_found", naming: "nope", "POST", "/api/v1/sessions/nope/messages",
                                  json: ["content": "hi"])
            #expect(live.fake.requestCount == 0, "a refused message must not reach the model")
            let sent = try await live.send("POST", path, json: ["content": "hello"])
            #expect(sent.status == 202 && sent.json["status"] == "started" && sent.json["session"]?["id"] == .string(id))
            #expect(try await live.settle(id)["status"] == "completed")

            let busy = try await runningSession(live, ["message_policy": "reject"])
            try await live.refuse(409, "busy", naming: busy, "POST", "/api/v1/sessions/\(busy)/messages", json: ["content": "more"])
            _ = try await live.send("POST", "/api/v1/sessions/\(busy)/stop")
        },
        LiveRouteCase("GET", "/api/v1/sessions/{id}/messages") { live in
            let id = try await live.create(["message": "hello"])
            _ = try await live.settle(id)
            let all = try await live.send("GET", "/api/v1/sessions/\(id)/messages")
            #expect(all.status == 200 && all.json["total"] == 2)
            #expect(all.json["messages"]?[0]?["role"] == "user" && all.json["messages"]?[1]?["role"] == "assistant")
            let replies = try await live.send("GET", "/api/v1/sessions/\(id)/messages?role=assistant&limit=1")
            #expect(replies.json["total"] == 1 && replies.json["messages"]?[0]?["index"] == 1)
            let path = "/api/v1/sessions/\(id)/messages"
            try await live.refuse(400, "invalid_request", naming: "limit", "GET", "\(path)?limit=all")
            try await live.refuse(422, "invalid_value", naming: "limit", "GET", "\(path)?limit=0")
            try await live.refuse(422, "invalid_value", naming: "role", "GET", "\(path)?role=robot")
            try await live.refuse(404, "not_found", naming: "nope", "GET", "/api/v1/sessions/nope/messages")
            try await live.refuseMethod("PUT", path, allow: "POST, GET, DELETE")
        },
        LiveRouteCase("DELETE", "/api/v1/sessions/{id}/messages") { live in
            let busy = try await runningSession(live)
            try await live.refuse(409, "invalid_state", naming: "running", "DELETE", "/api/v1/sessions/\(busy)/messages")
            _ = try await live.send("POST", "/api/v1/sessions/\(busy)/stop")
            try await live.refuse(404, "not_found", naming: "nope", "DELETE", "/api/v1/sessions/nope/messages")
            let id = try await live.create(["message": "hello"])
            _ = try await live.settle(id)
            let cleared = try await live.send("DELETE", "/api/v1/sessions/\(id)/messages")
            #expect(cleared.status == 204)
            #expect(try await live.send("GET", "/api/v1/sessions/\(id)/messages").json["total"] == 0)
        },
        LiveRouteCase("POST", "/api/v1/sessions/{id}/stop") { live in
            let id = try await runningSession(live)
            let stopped = try await live.send("POST", "/api/v1/sessions/\(id)/stop")
            #expect(stopped.status == 200 && stopped.json["status"] == "stopped" && stopped.json["id"] == .string(id))
            try await live.refuse(409, "invalid_state", naming: "stopped", "POST", "/api/v1/sessions/\(id)/stop")
            try await live.refuse(404, "not_found", naming: "nope", "POST", "/api/v1/sessions/nope/stop")
            try await live.refuseMethod("GET", "/api/v1/sessions/\(id)/stop", allow: "POST")
        },
        LiveRouteCase("POST", "/api/v1/sessions/{id}/pause") { live in
            let idle = try await live.create()
            try await live.refuse(409, "invalid_state", naming: "idle", "POST", "/api/v1/sessions/\(idle)/pause")
            try await live.refuse(404, "not_found", naming: "nope", "POST", "/api/v1/sessions/nope/pause")
            let id = try await runningSession(live)
            let paused = try await live.send("POST", "/api/v1/sessions/\(id)/pause")
            #expect(paused.status == 200 && paused.json["status"] == "paused")
            try await live.refuse(409, "invalid_state", naming: "paused", "POST", "/api/v1/sessions/\(id)/pause")
            _ = try await live.send("POST", "/api/v1/sessions/\(id)/stop")
        },
        LiveRouteCase("POST", "/api/v1/sessions/{id}/resume") { live in
            let id = try await live.create()
            let path = "/api/v1/sessions/\(id)/resume"
            try await live.refuseBadBodies("POST", path)
            try await live.refuse(400, "invalid_request", naming: "instruction", "POST", path, json: ["instruction": 3])
            try await live.refuse(409, "invalid_state", naming: "idle", "POST", path)
            try await live.refuse(404, "not_found", naming: "nope", "POST", "/api/v1/sessions/nope/resume")
            #expect(live.fake.requestCount == 0)
            let resumed = try await live.send("POST", path, json: ["instruction": "carry on"])
            #expect(resumed.status == 200 && resumed.json["id"] == .string(id))
            #expect(try await live.settle(id)["status"] == "completed")
            let first = try await live.send("GET", "/api/v1/sessions/\(id)/messages").json["messages"]?[0]
            #expect(first?["role"] == "user" && first?["content"]?[0]?["text"] == "carry on")
        },
    ]

    // MARK: - Approvals

    /// A session waiting for approval of a bash call; returns its id and the call's id.
    static func awaitingApproval(_ live: LiveNativeAPI) async throws -> (id: String, approval: String) {
        live.fake.enqueue(.toolUse(id: "toolu_live_1", name: "bash", input: ["command": "echo approved-run"]))
        live.fake.enqueue(.text("done"))
        let id = try await live.create(["approval_policy": [["tool": "bash"]], "message": "run it"])
        #expect(try await live.settle(id)["status"] == "awaiting_approval")
        return (id, "toolu_live_1")
    }

    static let approvalCases: [LiveRouteCase] = [
        LiveRouteCase("GET", "/api/v1/sessions/{id}/approvals") { live in
            let (id, approval) = try await awaitingApproval(live)
            let pending = try await live.send("GET", "/api/v1/sessions/\(id)/approvals")
            #expect(pending.status == 200 && pending.json["approvals"]?.arrayValue?.count == 1)
            #expect(pending.json["approvals"]?[0]?["id"] == .string(approval) && pending.json["approvals"]?[0]?["name"] == "bash")
            #expect(pending.json["approvals"]?[0]?["input"]?["command"] == "echo approved-run")
            let idle = try await live.create()
            #expect(try await live.send("GET", "/api/v1/sessions/\(idle)/approvals").json["approvals"] == [])
            try await live.refuse(404, "not_found", naming: "nope", "GET", "/api/v1/sessions/nope/approvals")
            try await live.refuseMethod("POST", "/api/v1/sessions/\(id)/approvals", allow: "GET")
        },
        LiveRouteCase("POST", "/api/v1/sessions/{id}/approvals/{approval_id}") { live in
            let (id, approval) = try await awaitingApproval(live)
            let path = "/api/v1/sessions/\(id)/approvals/\(approval)"
            try await live.refuseBadBodies("POST", path)
            try await live.refuse(400, "invalid_request", naming: "decision", "POST", path, json: [:])
            try await live.refuse(400, "invalid_request", naming: "decision", "POST", path, json: ["decision": true])
            try await live.refuse(400, "invalid_request", naming: "message", "POST", path, json: ["decision": "deny", "message": 1])
            try await live.refuse(422, "invalid_value", naming: "decision", "POST", path, json: ["decision": "maybe"])
            try await live.refuse(404, "not_found", naming: "toolu_other", "POST", "/api/v1/sessions/\(id)/approvals/toolu_other",
                                  json: ["decision": "approve"])
            try await live.refuse(404, "not_found", naming: "nope", "POST", "/api/v1/sessions/nope/approvals/\(approval)",
                                  json: ["decision": "approve"])
            let idle = try await live.create()
            try await live.refuse(409, "no_pending_approval", naming: idle, "POST", "/api/v1/sessions/\(idle)/approvals/\(approval)",
                                  json: ["decision": "approve"])
            try await live.refuseMethod("GET", path, allow: "POST")
            #expect(try await live.send("GET", "/api/v1/sessions/\(id)/tool-executions").json["total"] == 0,
                    "a refused decision must not run the call")

            let approved = try await live.send("POST", path, json: ["decision": "approve"])
            #expect(approved.status == 200 && approved.json["id"] == .string(id))
            #expect(try await live.settle(id)["status"] == "completed")
            let executions = try await live.send("GET", "/api/v1/sessions/\(id)/tool-executions")
            #expect(executions.json["tool_executions"]?[0]?["output"]?.stringValue?.contains("approved-run") == true)
        },
    ]
}
