import AgentCore

/// seed 003 "Agent Management", plus reading versions back.
extension AnymindAPI {
    func registerAgents(on router: inout Router) {
        let platform = self.platform
        add(&router, "POST", "/api/v1/agents") { request in
            let body = try Self.body(request)
            let agent = try await platform.createAgent(for: try Self.principal(request), name: try Self.string(body, "name", required: true)!,
                                                       description: try Self.string(body, "description", required: false))
            return .json(201, AnymindViews.agent(agent))
        }
        add(&router, "GET", "/api/v1/agents") { request in
            let (skip, limit) = try Self.page(request)
            let agents = try await platform.agents(for: try Self.principal(request), skip: skip, limit: limit)
            return .json(200, .array(agents.map(AnymindViews.agent)))
        }
        add(&router, "GET", "/api/v1/agents/{agent_id}") { request in
            .json(200, AnymindViews.agent(try await platform.agent(for: try Self.principal(request), id: try Self.id(request, "agent_id"))))
        }
        add(&router, "PATCH", "/api/v1/agents/{agent_id}") { request in
            let caller = try Self.principal(request)
            let id = try Self.id(request, "agent_id")
            let body = try Self.body(request)
            var changes = AgentChanges(name: try Self.string(body, "name", required: false))
            if let description = body["description"] {
                guard description.isNull || description.stringValue != nil else { throw AnymindValidationError.wrongType("description", "string") }
                changes.description = .some(description.stringValue)
            }
            if let text = try Self.string(body, "status", required: false) {
                guard let status = PlatformAgent.Status(rawValue: text) else {
                    throw AnymindValidationError(location: ["body", "status"],
                                                 message: "Input should be 'draft', 'building', 'ready', 'failed' or 'archived'", type: "enum")
                }
                changes.status = status
            }
            return .json(200, AnymindViews.agent(try await platform.updateAgent(for: caller, id: id, changes)))
        }
        add(&router, "DELETE", "/api/v1/agents/{agent_id}") { request in
            try await platform.deleteAgent(for: try Self.principal(request), id: try Self.id(request, "agent_id"))
            return HTTPResponse(status: 204)
        }
        add(&router, "GET", "/api/v1/agents/{agent_id}/versions") { request in
            let versions = try await platform.versions(for: try Self.principal(request), agentID: try Self.id(request, "agent_id"))
            return .json(200, .array(versions.map(AnymindViews.version)))
        }
        add(&router, "GET", "/api/v1/agents/{agent_id}/versions/{version_id}") { request in
            let version = try await platform.version(for: try Self.principal(request), agentID: try Self.id(request, "agent_id"),
                                                     versionID: try Self.id(request, "version_id"))
            return .json(200, AnymindViews.version(version))
        }
    }
}
