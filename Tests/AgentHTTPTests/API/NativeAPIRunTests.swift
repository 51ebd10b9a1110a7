import AgentCore
import AgentHTTP
import AgentTesting
import Foundation
import Testing

/// Running sessions through the API: messages, waiting, approvals, history and the event stream.
@Suite(.timeLimit(.minutes(1)))
struct NativeAPIRunTests {
    static let script = #"""
    [{"text": "Running it.", "tool_use": [{"name": "note", "input": {"text": "hello"}}]}, {"text": "All done."}]
    """#

    @Test func aMessageRunsInTheBackgroundAndWaitReturnsTheEndedSession() async throws {
        let api = try await APIHarness(script: Self.script, tools: [ToolLoopResponder.noteTool])
        defer { Task { await api.finish() } }
        let id = try #require(try await api.send("POST", "/api/v1/sessions", json: [:]).json["id"]?.stringValue)
        #expect(try await api.send("POST", "/api/v1/sessions/\(id)/messages", json: [:]).status == 400)
        let sent = try await api.send("POST", "/api/v1/sessions/\(id)/messages", json: ["content": "note hello"])
        #expect(sent.status == 202 && sent.json["status"] == "started")
        let done = try await api.send("GET", "/api/v1/sessions/\(id)/wait?timeout=20")
        #expect(done.json["status"] == "completed")

        let messages = try await api.send("GET", "/api/v1/sessions/\(id)/messages?role=assistant")
        #expect(messages.json["total"] == 2)
        #expect(messages.json["messages"]?[1]?["index"] == 3)
        let tools = try await api.send("GET", "/api/v1/sessions/\(id)/tool-executions")
        #expect(tools.json["tool_executions"]?[0]?["output"] == "noted: hello")
        let events = try await api.send("GET", "/api/v1/sessions/\(id)/events?after=2&limit=3")
        #expect(events.json["events"]?.arrayValue?.compactMap { $0["seq"]?.intValue } == [3, 4, 5])
        #expect(events.json["last_seq"] == done.json["last_seq"])
        #expect(try await api.send("GET", "/api/v1/sessions/\(id)/screenshots/latest").status == 404)

        let stop = try await api.send("POST", "/api/v1/sessions/\(id)/stop")
        #expect(stop.status == 409 && stop.json["error"] == "invalid_state")
        #expect(try await api.send("DELETE", "/api/v1/sessions/\(id)/messages").status == 204)
        #expect(try await api.send("GET", "/api/v1/sessions/\(id)/messages").json["total"] == 0)
    }

    @Test func aPendingApprovalIsListedAndDecidedThroughTheAPI() async throws {
        let api = try await APIHarness(script: Self.script, tools: [ToolLoopResponder.noteTool])
        defer { Task { await api.finish() } }
        let created = try await api.send("POST", "/api/v1/sessions", json: [
            "approval_policy": [["tool": "note"]], "message": "note hello",
        ])
        let id = try #require(created.json["id"]?.stringValue)
        let waiting = try await api.send("GET", "/api/v1/sessions/\(id)/wait?timeout=20")
        #expect(waiting.json["status"] == "awaiting_approval")
        let approvals = try await api.send("GET", "/api/v1/sessions/\(id)/approvals")
        let approval = try #require(approvals.json["approvals"]?[0])
        #expect(approval["name"] == "note" && approval["input"]?["text"] == "hello")
        let approvalID = try #require(approval["id"]?.stringValue)
        #expect(try await api.send("POST", "/api/v1/sessions/\(id)/approvals/\(approvalID)", json: ["decision": "maybe"]).status == 422)
        #expect(try await api.send("POST", "/api/v1/sessions/\(id)/approvals/toolu_other", json: ["decision": "approve"]).status == 404)
        let approved = try await api.send("POST", "/api/v1/sessions/\(id)/approvals/\(approvalID)", json: ["decision": "approve"])
        #expect(approved.status == 200)
        #expect(try await api.send("GET", "/api/v1/sessions/\(id)/wait?timeout=20").json["status"] == "completed")
        #expect(try await api.send("GET", "/api/v1/sessions/\(id)/approvals").json["approvals"] == [])
    }

    @Test func theEventStreamSpeaksSSEAndResumesAfterLastEventID() async throws {
        let api = try await APIHarness(script: Self.script, tools: [ToolLoopResponder.noteTool])
        defer { Task { await api.finish() } }
        let id = try #require(try await api.send("POST", "/api/v1/sessions", json: ["message": "note hello"]).json["id"]?.stringValue)
        _ = try await api.send("GET", "/api/v1/sessions/\(id)/wait?timeout=20")
        let stream = try await api.send("GET", "/api/v1/sessions/\(id)/events",
                                        headers: [("Accept", "text/event-stream"), ("Last-Event-ID", "3")])
        #expect(stream.status == 200 && stream.header("Content-Type") == "text/event-stream")
        guard case .stream(let produce) = stream.response.body else {
            Issue.record("the event stream is not a streamed body")
            return
        }
        let writer = CollectingWriter(limit: 4)  // retry line + 3 events, then the client hangs up
        await produce(writer)
        let messages = writer.text.components(separatedBy: "\n\n").filter { !$0.isEmpty }
        #expect(messages.first == "retry: 2000")
        #expect(messages.dropFirst().map { $0.split(separator: "\n").first.map(String.init) } == ["id: 4", "id: 5", "id: 6"])
        #expect(messages[1].contains("\ndata: {"))
    }
}
