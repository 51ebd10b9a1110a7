import AgentCore
import Synchronization

extension NativeAPI {
    /// Health, and sessions: create, list, get, update, delete, clean up.
    func registerSessions(on router: inout Router) {
        let service = self.service
        let version = self.version
        let probe = HealthProbe(service: service)
        let sessionJSON = self.sessionJSON
        // The database answers a real query (at most once a second); a failing store is a 503.
        // Within that second the answer comes from memory, on the event loop.
        let quotedVersion = JSONValue.string(version).serialized()
        let desktops = DesktopAvailability.isInstalled
        let lastHealth = Mutex<(active: Int, live: Int, body: [UInt8])?>(nil)
        @Sendable func health(_ counts: [SessionStatus: Int]?) -> HTTPResponse {
            guard let counts else {
                return .json(503, ["status": "unhealthy", "version": .string(version), "database": "unavailable"])
            }
            let active = SessionStatus.allCases.filter(\.hasActiveRun).reduce(0) { $0 + (counts[$1] ?? 0) }
            let live = service.liveSessionCount
            // This is the route probes and benchmarks hit hardest: the body is written directly
            // (keys in order) and kept while the two counts stay the same.
            let body = lastHealth.withLock { last -> [UInt8] in
                if let last, last.active == active, last.live == live { return last.body }
                let text = #"{"active_sessions":\#(active),"database":"ok","desktops_available":\#(desktops),"#
                    + #""live_sessions":\#(live),"status":"ok","version":\#(quotedVersion)}"#
                last = (active, live, Array(text.utf8))
                return last!.body
            }
            return HTTPResponse(status: 200, headers: ["Content-Type": "application/json"], body: .bytes(body))
        }
        router.add("GET", "/api/v1/health", immediate: { _ in probe.recentStatusCounts.map(health) }) { _ in
            health(await probe.statusCounts())
        }
        router.add("GET", "/api/v1/ready", immediate: { _ in .json(200, ["ready": true]) }) { _ in .json(200, ["ready": true]) }

        router.add("POST", "/api/v1/sessions") { request in
            let created = try await request.sessions(of: service).create(SessionRequest(json: try request.json()))
            return sessionJSON.response(201, for: created)
        }
        router.add("GET", "/api/v1/sessions") { request in
            let (limit, offset) = try Self.page(request)
            let page = try await request.sessions(of: service).list(try Self.sessionQuery(request))
            // {"limit","offset","sessions","total"} in key order, each session's JSON from the cache.
            var body = Array(#"{"limit":\#(limit),"offset":\#(offset),"sessions":["#.utf8)
            body.reserveCapacity(page.sessions.count * 640 + 64)
            for (index, record) in page.sessions.enumerated() {
                if index > 0 { body.append(UInt8(ascii: ",")) }
                body += sessionJSON.bytes(for: record)
            }
            body += Array(#"],"total":\#(page.total)}"#.utf8)
            return HTTPResponse(status: 200, headers: ["Content-Type": "application/json"], body: .bytes(body))
        }
        router.add("POST", "/api/v1/sessions/cleanup") { request in
            let body = try request.json()
            if let value = body["days_old"], value.doubleValue == nil { throw APIError.badRequest("'days_old' must be a number") }
            guard let days = try request.number("days_old") ?? body["days_old"]?.doubleValue else {
                throw APIError.badRequest("'days_old' is required (a number of days)")
            }
            let deleted = try await request.sessions(of: service).cleanUp(olderThanDays: days)
            return .json(200, ["deleted": .array(deleted.map(JSONValue.string)), "count": .int(deleted.count)])
        }
        router.add("GET", "/api/v1/sessions/{id}") { request in
            sessionJSON.response(200, for: try await request.sessions(of: service).session(request.parameter("id")))
        }
        router.add("PATCH", "/api/v1/sessions/{id}") { request in
            let body = try request.json()
            let changes = try Self.update(from: body)
            return sessionJSON.response(200, for: try await request.sessions(of: service).update(request.parameter("id"), changes))
        }
        router.add("DELETE", "/api/v1/sessions/{id}") { request in
            try await request.sessions(of: service).delete(request.parameter("id"))
            sessionJSON.remove(request.parameter("id"))
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
                    throw .invalidValue("query parameter 'status': unknown status '\(name)' (known: \(known))")
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
                throw .invalidValue("query parameter 'sort': unknown sort field '\(sort)' (known: \(known))")
            }
            query.sort = field
        }
        if let order = request.query["order"] {
            guard order == "asc" || order == "desc" else { throw .invalidValue("query parameter 'order' must be asc or desc") }
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
