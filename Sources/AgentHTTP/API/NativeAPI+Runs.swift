import AgentCore

extension NativeAPI {
    /// Messages, control, approvals, waiting, tool executions and screenshots.
    func registerRuns(on router: inout Router) {
        let service = self.service
        router.add("POST", "/api/v1/sessions/{id}/messages") { request in
            let body = try request.json()
            guard let text = (body["content"] ?? body["text"] ?? body["message"])?.stringValue else {
                throw APIError.badRequest("'content' is required: the message text")
            }
            guard !text.isEmpty else { throw APIError.invalidValue("'content' must not be empty") }
            let id = request.parameter("id")
            let outcome = try await request.sessions(of: service).send(id, Message.user(text))
            var answer: JSONValue = ["session": try await request.sessions(of: service).session(id).json]
            switch outcome {
            case .started: answer["status"] = "started"
            case .queued(let position):
                answer["status"] = "queued"
                answer["position"] = .int(position)
            }
            return .json(202, answer)
        }
        router.add("GET", "/api/v1/sessions/{id}/messages") { request in
            let messages = try await request.sessions(of: service).messages(request.parameter("id"))
            let (limit, offset) = try Self.page(request, maximum: 5000)
            var indexed = Array(messages.enumerated())
            if let role = request.query["role"] {
                guard role == "user" || role == "assistant" else {
                    throw APIError.invalidValue("query parameter 'role' must be user or assistant")
                }
                indexed = indexed.filter { $0.element.role.rawValue == role }
            }
            let page = indexed.dropFirst(offset).prefix(limit).map { item -> JSONValue in
                var json = AgentEvent.redactingImages(item.element).json
                json["index"] = .int(item.offset)
                return json
            }
            return .json(200, ["messages": .array(Array(page)), "total": .int(indexed.count)])
        }
        router.add("DELETE", "/api/v1/sessions/{id}/messages") { request in
            try await request.sessions(of: service).clearHistory(request.parameter("id"))
            return .noContent
        }
        router.add("POST", "/api/v1/sessions/{id}/stop") { request in
            .json(200, try await request.sessions(of: service).stop(request.parameter("id")).json)
        }
        router.add("POST", "/api/v1/sessions/{id}/pause") { request in
            .json(200, try await request.sessions(of: service).pause(request.parameter("id")).json)
        }
        router.add("POST", "/api/v1/sessions/{id}/resume") { request in
            let instruction = try request.json()["instruction"]
            if let instruction, !instruction.isNull, instruction.stringValue == nil {
                throw APIError.badRequest("'instruction' must be a string")
            }
            return .json(200, try await request.sessions(of: service).resume(request.parameter("id"), instruction: instruction?.stringValue).json)
        }
        router.add("GET", "/api/v1/sessions/{id}/approvals") { request in
            let session = try await request.sessions(of: service).session(request.parameter("id"))
            let pending = session.pendingApproval.map { [Self.approvalJSON($0)] } ?? []
            return .json(200, ["approvals": .array(pending)])
        }
        router.add("POST", "/api/v1/sessions/{id}/approvals/{approval_id}") { request in
            let body = try request.json()
            let decision: String
            if let value = body["decision"] {
                guard let text = value.stringValue else { throw APIError.badRequest("'decision' must be a string") }
                decision = text
            } else if let approve = body["approve"] {
                guard let flag = approve.boolValue else { throw APIError.badRequest("'approve' must be true or false") }
                decision = flag ? "approve" : "deny"
            } else {
                throw APIError.badRequest("'decision' is required: approve or deny")
            }
            if let message = body["message"], !message.isNull, message.stringValue == nil {
                throw APIError.badRequest("'message' must be a string")
            }
            let id = request.parameter("id"), callID = request.parameter("approval_id")
            switch decision {
            case "approve": return .json(200, try await request.sessions(of: service).approve(id, toolUseID: callID).json)
            case "deny":
                return .json(200, try await request.sessions(of: service).deny(id, toolUseID: callID, message: body["message"]?.stringValue).json)
            default: throw APIError.invalidValue("'decision' must be approve or deny, not '\(decision)'")
            }
        }
        router.add("GET", "/api/v1/sessions/{id}/wait") { request in
            let timeout = try request.number("timeout") ?? 30
            guard (0...300).contains(timeout) else {
                throw APIError.invalidValue("query parameter 'timeout' must be between 0 and 300 seconds")
            }
            return .json(200, try await request.sessions(of: service).waitUntilSettled(request.parameter("id"), timeout: timeout).json)
        }
        router.add("GET", "/api/v1/sessions/{id}/tool-executions") { request in
            let executions = try await request.sessions(of: service).toolExecutions(request.parameter("id"))
            return .json(200, ["tool_executions": .array(executions.map(\.json)), "total": .int(executions.count)])
        }
        router.add("GET", "/api/v1/sessions/{id}/screenshots/latest") { request in
            guard let latest = try await request.sessions(of: service).latestScreenshot(request.parameter("id")) else {
                throw APIError.notFound("the session has no screenshot yet")
            }
            return Self.image(latest.image, sha256: latest.reference.sha256)
        }
        router.add("GET", "/api/v1/sessions/{id}/screenshots/{hash}") { request in
            let sessions = request.sessions(of: service)
            _ = try await sessions.session(request.parameter("id"))
            let hash = request.parameter("hash").lowercased()
            guard hash.count == 64, hash.allSatisfy(\.isHexDigit),
                  let image = try await sessions.image(sha256: hash, of: request.parameter("id")) else {
                throw APIError.notFound("the session has no screenshot \(request.parameter("hash"))")
            }
            return Self.image(image, sha256: hash)
        }
    }

    static func approvalJSON(_ pending: PendingApproval) -> JSONValue {
        var json = pending.json
        json["id"] = .string(pending.call.id)
        return json
    }

    static func image(_ image: ToolImage, sha256: String) -> HTTPResponse {
        HTTPResponse(status: 200, headers: ["Content-Type": image.mediaType, "ETag": "\"\(sha256)\"", "Cache-Control": "private, max-age=31536000, immutable"],
                     body: .bytes(image.data))
    }
}
