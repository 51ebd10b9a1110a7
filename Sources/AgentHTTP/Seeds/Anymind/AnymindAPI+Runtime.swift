import AgentCore

/// seed 003 "Runtime Execution" and "Logs".
extension AnymindAPI {
    func registerRuntime(on router: inout Router) {
        let platform = self.platform
        add(&router, "POST", "/api/v1/runtime/{agent_id}/execute") { request in
            let caller = try Self.principal(request)
            let id = try Self.id(request, "agent_id")
            let body = try Self.body(request)
            let payload = body["payload"] ?? [:]
            guard payload.objectValue != nil else { throw AnymindValidationError.wrongType("payload", "dictionary") }
            return .json(201, AnymindViews.execution(try await platform.execute(for: caller, agentID: id, payload: payload)))
        }
        add(&router, "GET", "/api/v1/runtime/executions") { request in
            let (skip, limit) = try Self.page(request)
            let executions = try await platform.executions(for: try Self.principal(request),
                                                           agentVersionID: try Self.queryInt(request, "agent_version_id"),
                                                           skip: skip, limit: limit)
            return .json(200, .array(executions.map(AnymindViews.execution)))
        }
        add(&router, "GET", "/api/v1/runtime/executions/{execution_id}") { request in
            .json(200, AnymindViews.execution(try await platform.execution(for: try Self.principal(request),
                                                                             id: try Self.id(request, "execution_id"))))
        }
        add(&router, "POST", "/api/v1/runtime/executions/{execution_id}/cancel") { request in
            .json(200, AnymindViews.execution(try await platform.cancel(for: try Self.principal(request),
                                                                          executionID: try Self.id(request, "execution_id"))))
        }
        add(&router, "GET", "/api/v1/logs/{agent_id}") { request in
            let entries = try await platform.logs(for: try Self.principal(request), agentID: try Self.id(request, "agent_id"))
            return .json(200, .array(entries.map(AnymindViews.log)))
        }
        add(&router, "GET", "/api/v1/logs/executions/{execution_id}/logs") { request in
            let entries = try await platform.logs(for: try Self.principal(request), executionID: try Self.id(request, "execution_id"))
            return .json(200, .array(entries.map(AnymindViews.log)))
        }
    }
}
