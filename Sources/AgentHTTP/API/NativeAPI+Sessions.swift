import AgentCore

extension NativeAPI {
    /// Health, and sessions: create, list, get, update, delete, clean up.
    func registerSessions(on router: inout Router) {
        let service = self.service
        let version = self.version
        let probe = HealthProbe(service: service)
        router.add("GET", "/api/v1/health") { _ in
            let live = await service.liveSessionCount
            // The database answers a real query (at most once a second); a failing store is a 503.
            guard let counts = await probe.statusCounts() else {
                return .json(503, ["status": "unhealthy", "version": .string(version), "database": "unavailable"])
            }
            let active = SessionStatus.allCases.filter(\.hasActiveRun).reduce(0) { $0 + (counts[$1] ?? 0) }
            return .json(200, [
                "status": "ok", "version": .string(version), "database": "ok", "live_sessions": .int(live),
                "active_sessions": .int(active), "desktops_available": .bool(DesktopAvailability.isInstalled),
            ])
        }
        router.add("GET", "/api/v1/ready") { _ in .json(200, ["ready": true]) }

        router.add("POST", "/api/v1/sessions") { request in
            let created = try await service.create(SessionRequest(json: try request.json()))
            return .json(201, created.json)
        }
        router.add("GET", "/api/v1/sessions") { request in
            let page = try await service.list(try Self.sessionQuery(request))
            return .json(200, [
                "sessions": .array(page.sessions.map(\.json)), "total": .int(page.total),
                "limit": .int(try Self.page(request).limit), "offset": .int(try Self.page(request).offset),
            ])
        }
        router.add("POST", "/api/v1/sessions/cleanup") { request in
            guard let days = try request.number("days_old") ?? request.json()["days_old"]?.doubleValue else {
                throw APIError.badRequest("days_old is required (a number of days)")
            }
            let deleted = try await service.cleanUp(olderThanDays: days)
            return .json(200, ["deleted": .array(deleted.map(JSONValue.string)), "count": .int(deleted.count)])
        }
        router.add("GET", "/api/v1/sessions/{id}") { request in
            .json(200, try await service.session(request.parameter("id")).json)
        }
        router.add("PATCH", "/api/v1/sessions/{id}") { request in
            let body = try request.json()
            let changes = try Self.update(from: body)
            return .json(200, try await service.update(request.parameter("id"), changes).json)
        }
        router.add("DELETE", "/api/v1/sessions/{id}") { request in
            try await service.delete(request.parameter("id"))
            return .noContent
        }
    }

    /// The list filters: `status` (comma-separated), `tag`, `owner` (or `user_id`), `created_after`,
    /// `created_before` (seconds since 1970), `sort`, `order` (`asc`/`desc`), `limit`, `offset`.
    static func sessionQuery(_ request: APIRequest) throws(APIError) -> SessionQuery {
        var query = SessionQuery()
        if let text = request.query["status"], !text.isEmpty {
            var statuses: [SessionStatus] = []
            for name in text.split(separator: ",") {
                guard let status = SessionStatus(rawValue: String(name)) else {
                    let known = SessionStatus.allCases.map(\.rawValue).joined(separator: ", ")
                    throw .badRequest("unknown status '\(name)' (known: \(known))")
                }
                statuses.append(status)
            }
            query.statuses = statuses
        }
        query.tag = request.query["tag"]
        query.owner = request.query["owner"] ?? request.query["user_id"]
        query.createdAfter = try request.number("created_after")
        query.createdBefore = try request.number("created_before")
        if let sort = request.query["sort"] {
            guard let field = SessionQuery.SortField(rawValue: sort) else {
                let known = SessionQuery.SortField.allCases.map(\.rawValue).joined(separator: ", ")
                throw .badRequest("unknown sort field '\(sort)' (known: \(known))")
            }
            query.sort = field
        }
        if let order = request.query["order"] {
            guard order == "asc" || order == "desc" else { throw .badRequest("order must be asc or desc") }
            query.descending = order == "desc"
        }
        (query.limit, query.offset) = try page(request)
        return query
    }

    /// A PATCH body: `name`, `tags`, `priority`, `metadata`.
    static func update(from body: JSONValue) throws(APIError) -> SessionUpdate {
        let known: Set<String> = ["name", "tags", "priority", "metadata"]
        if let unknown = body.objectValue?.keys.sorted().first(where: { !known.contains($0) }) {
            throw .badRequest("'\(unknown)' cannot be changed (changeable: metadata, name, priority, tags)")
        }
        var changes = SessionUpdate()
        if let v = body["name"] {
            guard let s = v.stringValue else { throw .badRequest("'name' must be a string") }
            changes.name = s
        }
        if let v = body["tags"] {
            guard let a = v.arrayValue, a.allSatisfy({ $0.stringValue != nil }) else { throw .badRequest("'tags' must be a list of strings") }
            changes.tags = a.compactMap(\.stringValue)
        }
        if let v = body["priority"] {
            guard let s = v.stringValue else { throw .badRequest("'priority' must be a string") }
            changes.priority = s
        }
        if let v = body["metadata"] { changes.metadata = v }
        return changes
    }
}
