import AgentCore
import AgentHTTP
import AgentTesting
import Foundation
import Testing

extension NativeRoutesLiveTests {
    /// A session whose run has ended after a bash call, and the `last_seq` it ended at.
    static func finishedRun(_ live: LiveNativeAPI) async throws -> (id: String, lastSeq: Int) {
        live.fake.enqueue(.toolUse(name: "bash", input: ["command": "echo from-the-tool"]))
        live.fake.enqueue(.text("done"))
        let id = try await live.create(["message": "run it"])
        let settled = try await live.settle(id)
        #expect(settled["status"] == "completed")
        return (id, try #require(settled["last_seq"]?.intValue))
    }

    /// The `seq`s of a live event stream opened with `headers` on `target`, read up to `last`.
    static func streamedSeqs(_ live: LiveNativeAPI, _ target: String, headers: [(String, String)] = [],
                             through last: Int) async throws -> [Int] {
        let stream = try await live.seed.stream("GET", target, headers: [("Accept", "text/event-stream")] + headers)
        defer { stream.close() }
        #expect(stream.status == 200 && stream.contentType == "text/event-stream")
        var seqs: [Int] = []
        while let event = try await stream.next() {
            guard let seq = event.data["seq"]?.intValue else { continue }
            seqs.append(seq)
            if seq >= last { break }
        }
        return seqs
    }

    static let readCases: [LiveRouteCase] = [
        LiveRouteCase("GET", "/api/v1/sessions/{id}/wait") { live in
            let id = try await live.create(["message": "hello"])
            let settled = try await live.send("GET", "/api/v1/sessions/\(id)/wait?timeout=30")
            #expect(settled.status == 200 && settled.json["id"] == .string(id) && settled.json["status"] == "completed")
            let path = "/api/v1/sessions/\(id)/wait"
            try await live.refuse(400, "invalid_request", naming: "timeout", "GET", "\(path)?timeout=soon")
            try await live.refuse(422, "invalid_value", naming: "timeout", "GET", "\(path)?timeout=301")
            try await live.refuse(422, "invalid_value", naming: "timeout", "GET", "\(path)?timeout=-1")
            try await live.refuse(404, "not_found", naming: "nope", "GET", "/api/v1/sessions/nope/wait?timeout=0")
            try await live.refuseMethod("POST", path, allow: "GET")
        },
        LiveRouteCase("GET", "/api/v1/sessions/{id}/tool-executions") { live in
            let (id, _) = try await finishedRun(live)
            let executions = try await live.send("GET", "/api/v1/sessions/\(id)/tool-executions")
            #expect(executions.status == 200 && executions.json["total"] == 1)
            let execution = executions.json["tool_executions"]?[0]
            #expect(execution?["name"] == "bash" && execution?["input"]?["command"] == "echo from-the-tool")
            #expect(execution?["output"]?.stringValue?.contains("from-the-tool") == true)
            try await live.refuse(404, "not_found", naming: "nope", "GET", "/api/v1/sessions/nope/tool-executions")
            try await live.refuseMethod("DELETE", "/api/v1/sessions/\(id)/tool-executions", allow: "GET")
        },
        LiveRouteCase("GET", "/api/v1/sessions/{id}/screenshots/latest") { live in
            let (id, sha256) = try await screenshotRun(live)
            let latest = try await live.send("GET", "/api/v1/sessions/\(id)/screenshots/latest")
            #expect(latest.status == 200 && latest.header("Content-Type") == "image/png")
            #expect(latest.header("ETag") == "\"\(sha256)\"")
            #expect(latest.body.starts(with: [0x89, 0x50, 0x4E, 0x47]))
            let plain = try await live.create()
            try await live.refuse(404, "not_found", naming: "screenshot", "GET", "/api/v1/sessions/\(plain)/screenshots/latest")
            try await live.refuse(404, "not_found", naming: "nope", "GET", "/api/v1/sessions/nope/screenshots/latest")
            try await live.refuseMethod("POST", "/api/v1/sessions/\(id)/screenshots/latest", allow: "GET")
        },
        LiveRouteCase("GET", "/api/v1/sessions/{id}/screenshots/{hash}") { live in
            let (id, sha256) = try await screenshotRun(live)
            let image = try await live.send("GET", "/api/v1/sessions/\(id)/screenshots/\(sha256.uppercased())")
            #expect(image.status == 200 && image.header("Content-Type") == "image/png")
            #expect(image.header("Cache-Control")?.contains("immutable") == true)
            #expect(image.body.starts(with: [0x89, 0x50, 0x4E, 0x47]))
            let other = try await live.create()
            let unknown = String(repeating: "ab", count: 32)
            try await live.refuse(404, "not_found", naming: unknown, "GET", "/api/v1/sessions/\(id)/screenshots/\(unknown)")
            try await live.refuse(404, "not_found", naming: "not-a-hash", "GET", "/api/v1/sessions/\(id)/screenshots/not-a-hash")
            try await live.refuse(404, "not_found", naming: sha256, "GET", "/api/v1/sessions/\(other)/screenshots/\(sha256)")
            try await live.refuse(404, "not_found", naming: "nope", "GET", "/api/v1/sessions/nope/screenshots/\(sha256)")
            try await live.refuseMethod("DELETE", "/api/v1/sessions/\(id)/screenshots/\(sha256)", allow: "GET")
        },
        LiveRouteCase("GET", "/api/v1/sessions/{id}/events") { live in
            let (id, last) = try await finishedRun(live)
            let page = try await live.send("GET", "/api/v1/sessions/\(id)/events?after=2&limit=3")
            #expect(page.status == 200 && page.json["last_seq"] == .int(last))
            #expect(page.json["events"]?.arrayValue?.compactMap { $0["seq"]?.intValue } == [3, 4, 5])
            #expect(page.json["events"]?[0]?["session_id"] == .string(id))
            // Server-Sent Events over the socket, resumed the three ways a client can.
            let path = "/api/v1/sessions/\(id)/events"
            #expect(try await streamedSeqs(live, path, through: last) == Array(1...last))
            #expect(try await streamedSeqs(live, path, headers: [("Last-Event-ID", "3")], through: last) == Array(4...last))
            #expect(try await streamedSeqs(live, "\(path)?after=5", through: last) == Array(6...last))
            #expect(try await streamedSeqs(live, "\(path)?after=2", headers: [("Last-Event-ID", "4")], through: last)
                == Array(5...last))
            try await live.refuse(400, "invalid_request", naming: "after", "GET", "\(path)?after=first")
            try await live.refuse(422, "invalid_value", naming: "after", "GET", "\(path)?after=-1")
            try await live.refuse(422, "invalid_value", naming: "limit", "GET", "\(path)?limit=0")
            try await live.refuse(400, "invalid_request", naming: "after", "GET", "\(path)?after=x",
                                  headers: [("Accept", "text/event-stream")])
            try await live.refuse(404, "not_found", naming: "nope", "GET", "/api/v1/sessions/nope/events")
            try await live.refuse(404, "not_found", naming: "nope", "GET", "/api/v1/sessions/nope/events",
                                  headers: [("Accept", "text/event-stream")])
            try await live.refuseMethod("POST", path, allow: "GET")
        },
        LiveRouteCase("GET", "/api/v1/sessions/{id}/ws") { live in
            let id = try await live.create()
            try await webSocketRoundTrip(live, id)
            let path = "/api/v1/sessions/\(id)/ws"
            try await live.refuse(400, "invalid_request", naming: "after", "GET", "\(path)?after=first")
            try await live.refuse(422, "invalid_value", naming: "after", "GET", "\(path)?after=-1")
            try await live.refuse(404, "not_found", naming: "nope", "GET", "/api/v1/sessions/nope/ws")
            let before = try await live.stored()
            let plain = try await live.send("GET", path)
            #expect(plain.status == 426 && plain.header("Upgrade") == "websocket" && plain.json["status_code"] == 426)
            let foreign = try await live.send("GET", path, headers: [
                ("Upgrade", "websocket"), ("Connection", "Upgrade"), ("Sec-WebSocket-Version", "13"),
                ("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ=="), ("Origin", "https://evil.example"),
            ])
            #expect(foreign.status == 403 && foreign.json["status_code"] == 403)
            #expect(try await live.stored() == before)
            try await live.refuseMethod("POST", path, allow: "GET")
        },
    ]

    /// Over a real socket: a command runs and is answered with a `reply`, the run's events follow,
    /// and refused commands get `error` frames in the API's statuses, changing nothing stored.
    static func webSocketRoundTrip(_ live: LiveNativeAPI, _ id: String) async throws {
        let socket = try await live.seed.webSocket("/api/v1/sessions/\(id)/ws?after=0")
        #expect(socket.status == 101)
        try await socket.send(["type": "message", "content": "hello"])
        // The reply and the run's events interleave: a short run may end before the reply is sent.
        var seen: [JSONValue] = [], reply: JSONValue?, completed = false
        while reply == nil || !completed, let message = try await socket.message() {
            seen.append(message)
            if message["type"] == "reply" { reply = message }
            if message["type"] == "status", message["status"] == "completed", message["session_id"] == .string(id) {
                completed = true
            }
        }
        #expect(seen.first?["type"] == "session_created", "stored history comes first (after=0)")
        #expect(reply?["command"] == "message" && reply?["session"]?["id"] == .string(id))
        #expect(completed && seen.contains { $0["type"] == "assistant_message" })
        _ = try await live.settle(id)

        let before = try await live.stored()
        let refusals: [(JSONValue, Int, String, String)] = [
            (["type": "pause"], 409, "invalid_state", "completed"),
            (["type": "launch"], 422, "invalid_value", "type"),
            (["type": "message", "content": ""], 422, "invalid_value", "content"),
            (["type": "message"], 400, "invalid_request", "content"),
            (["content": "no type"], 400, "invalid_request", "type"),
        ]
        for (command, status, type, field) in refusals {
            try await socket.send(command)
            let error = try await socket.messages(until: "error").last
            #expect(error?["type"] == "error" && error?["status_code"] == .int(status), "\(command.serialized())")
            #expect(error?["error"] == .string(type), "\(command.serialized())")
            #expect(error?["detail"]?.stringValue?.contains(field) == true, "\(command.serialized()): \(error?.serialized() ?? "")")
        }
        #expect(try await live.stored() == before, "refused WebSocket commands changed what is stored")
        try await socket.close()
    }

    /// A desktop session whose model took one screenshot; returns its id and the image's SHA-256.
    static func screenshotRun(_ live: LiveNativeAPI) async throws -> (id: String, sha256: String) {
        live.fake.enqueue(.toolUse(name: "computer", input: ["action": "screenshot"]))
        live.fake.enqueue(.text("seen"))
        let id = try await live.create([
            "environment": ["kind": "desktop", "width": 320, "height": 200], "message": "look",
        ])
        let settled = try await live.settle(id)
        #expect(settled["status"] == "completed", "\(settled.serialized())")
        let executions = try await live.send("GET", "/api/v1/sessions/\(id)/tool-executions")
        let image = executions.json["tool_executions"]?[0]?["image"]
        #expect(image?["media_type"] == "image/png")
        return (id, try #require(image?["sha256"]?.stringValue))
    }
}
