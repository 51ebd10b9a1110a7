import AgentCore
import Foundation

extension CambioAPI {
    /// Seed 001, "Sessions Management": create, get, list, end.
    func registerSessions(on router: inout Router) {
        let service = self.service
        // Seed 001 "Create Session"; 200, not the table's 201: see the type's doc comment.
        router.add("POST", "/sessions", errors: Self.errors) { request in
            let created = try await request.sessions(of: service).create(try CambioSession.request(try request.json()))
            return .json(200, CambioSession.json(created))
        }
        // Seed 001 "List Sessions", "Pagination", "Filtering and Sorting".
        router.add("GET", "/sessions", errors: Self.errors) { request in
            let query = try CambioSessionQuery.parse(request)
            let page = try await request.sessions(of: service).list(query)
            let sessions = JSONValue.array(page.sessions.map { CambioSession.json($0) })
            return .json(200, [
                "sessions": sessions, "total": .int(page.total), "limit": .int(query.limit), "offset": .int(query.offset),
                "data": sessions, "pagination": Self.pagination(limit: query.limit, offset: query.offset, total: page.total),
            ])
        }
        // Seed 001 "Get Session Details": with the live view's port while x11vnc runs.
        router.add("GET", "/sessions/{session_id}", errors: Self.errors) { request in
            let id = request.parameter("session_id")
            let session = try await request.sessions(of: service).session(id)
            let port = try await request.sessions(of: service).liveView(id, start: false)?.port
            return .json(200, CambioSession.json(session, detail: true, vncPort: port))
        }
        // Seed 001 "End Session": stops the run, frees the desktop, deletes the session.
        router.add("DELETE", "/sessions/{session_id}", errors: Self.errors) { request in
            let id = request.parameter("session_id")
            try await request.sessions(of: service).delete(id)
            return .json(200, [
                "message": "Session ended successfully", "session_id": .string(id),
                "ended_at": .string(CambioTime.now()),
            ])
        }
    }
}

/// The list query of seed 001's `GET /sessions`: `status`, `limit` (default 50), `offset`,
/// `created_after` (a timestamp, a date or seconds since 1970) and `sort=field:dir[,field:dir]`.
enum CambioSessionQuery {
    static func parse(_ request: APIRequest) throws(CambioError) -> SessionQuery {
        var query = SessionQuery()
        if let text = request.query["status"], !text.isEmpty { query.statuses = try CambioStatus.filter(text) }
        if let text = request.query["created_after"] {
            guard let seconds = CambioTime.parse(text) else {
                throw .validation("created_after", "'created_after' must be a date (2024-01-01), a timestamp or seconds since 1970")
            }
            query.createdAfter = seconds
        }
        if let text = request.query["sort"], !text.isEmpty {
            var keys: [SessionQuery.SortKey] = []
            for part in text.split(separator: ",") {
                let pieces = part.split(separator: ":", omittingEmptySubsequences: false)
                let known = SessionQuery.SortField.allCases.map(\.rawValue).joined(separator: ", ")
                guard let field = SessionQuery.SortField(rawValue: String(pieces[0])) else {
                    throw .validation("sort", "unknown sort field '\(pieces[0])' (known: \(known))")
                }
                let direction = pieces.count > 1 ? String(pieces[1]) : "asc"
                guard pieces.count <= 2, direction == "asc" || direction == "desc" else {
                    throw .validation("sort", "sort direction must be asc or desc, as in created_at:desc")
                }
                keys.append(SessionQuery.SortKey(field, descending: direction == "desc"))
            }
            query.sort = keys[0].field
            query.descending = keys[0].descending
            query.thenBy = Array(keys.dropFirst())
        }
        query.limit = try CambioAPI.integer(request, "limit", in: 1...SessionQuery.maximumLimit, default: 50)
        query.offset = try CambioAPI.integer(request, "offset", in: 0...Int.max, default: 0)
        return query
    }
}
