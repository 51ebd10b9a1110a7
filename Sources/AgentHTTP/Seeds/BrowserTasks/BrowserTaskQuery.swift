import AgentCore
import Foundation

/// Which sessions an S2 listing shows (seed 002, "List All Sessions" and "Advanced Session
/// Filtering"): `limit` (default 50), `sort_field` (default `created_at`), `sort_direction`
/// (`asc`/`desc`, default `desc`), `user_id`, `status`, `tag`/`tags`, and the batch's `filter_by`
/// (`created_after`, `created_before`, `duration_less_than` seconds, `has_errors`).
///
/// Filters and sort keys the store knows run there; `duration`, `completed_at`, `has_errors`,
/// `duration_less_than` and further tags are applied here over every matching session.
struct BrowserTaskQuery {
    var query = SessionQuery()
    var limit = 50
    /// `completed_at` or `duration` when the sort is computed here.
    var computedSort: String?
    var moreTags: [String] = []
    var durationLessThan: Double?
    var hasErrors: Bool?

    static let computedSortFields = ["completed_at", "duration"]

    /// The query of `GET /api/sessions`.
    init(listing request: APIRequest) throws(BrowserTasksError) {
        let parameters = request.query
        if let text = parameters["limit"] {
            guard let value = Int(text) else { throw .invalid("'limit' must be an integer") }
            limit = value
        }
        try sort(field: parameters["sort_field"], direction: parameters["sort_direction"])
        if let owner = parameters["user_id"], !owner.isEmpty { query.owner = owner }
        if let status = parameters["status"], !status.isEmpty {
            query.statuses = try BrowserTaskStatus.statuses(status.split(separator: ",").map(String.init))
        }
        if let tag = parameters["tag"], !tag.isEmpty { query.tag = tag }
        try checkLimit()
    }

    /// The query of `POST /api/sessions/batch`.
    init(batch body: JSONValue) throws(BrowserTasksError) {
        if let value = body["limit"], !value.isNull {
            guard let count = value.intValue, value.boolValue == nil else { throw .invalid("'limit' must be an integer") }
            limit = count
        }
        try sort(field: try BrowserTaskRequest.string(body, "sort_field"),
                 direction: try BrowserTaskRequest.string(body, "sort_direction"))
        if let owner = try BrowserTaskRequest.string(body, "user_id"), !owner.isEmpty { query.owner = owner }
        if let value = body["status"], !value.isNull {
            let names = value.stringValue.map { $0.split(separator: ",").map(String.init) }
                ?? value.arrayValue?.compactMap(\.stringValue)
            guard let names, value.arrayValue?.allSatisfy({ $0.stringValue != nil }) ?? true else {
                throw .invalid("'status' must be a status or a list of statuses")
            }
            query.statuses = try BrowserTaskStatus.statuses(names)
        }
        var tags = try BrowserTaskRequest.strings(body, "tags") ?? []
        if let tag = try BrowserTaskRequest.string(body, "tag") { tags.append(tag) }
        query.tag = tags.first
        moreTags = Array(tags.dropFirst())
        if let filters = body["filter_by"], !filters.isNull {
            try filter(filters)
        }
        try checkLimit()
    }

    private mutating func filter(_ filters: JSONValue) throws(BrowserTasksError) {
        guard let object = filters.objectValue else { throw .invalid("'filter_by' must be an object") }
        let known = ["created_after", "created_before", "duration_less_than", "has_errors"]
        if let unknown = object.keys.sorted().first(where: { !known.contains($0) }) {
            throw .invalid("unknown filter 'filter_by.\(unknown)' (known: \(known.joined(separator: ", ")))")
        }
        for name in ["created_after", "created_before"] {
            guard let value = object[name], !value.isNull else { continue }
            guard let text = value.stringValue, let seconds = CambioTime.parse(text) else {
                throw .invalid("'filter_by.\(name)' must be a date-time such as 2025-03-01T00:00:00Z")
            }
            if name == "created_after" { query.createdAfter = seconds } else { query.createdBefore = seconds }
        }
        if let value = object["duration_less_than"], !value.isNull {
            guard let seconds = value.doubleValue, value.boolValue == nil, seconds.isFinite else {
                throw .invalid("'filter_by.duration_less_than' must be a number of seconds")
            }
            durationLessThan = seconds
        }
        if let value = object["has_errors"], !value.isNull {
            guard let flag = value.boolValue else { throw .invalid("'filter_by.has_errors' must be true or false") }
            hasErrors = flag
        }
    }

    private mutating func sort(field: String?, direction: String?) throws(BrowserTasksError) {
        let direction = direction ?? "desc"
        guard direction == "asc" || direction == "desc" else { throw .invalid("'sort_direction' must be asc or desc") }
        query.descending = direction == "desc"
        let field = field ?? "created_at"
        if Self.computedSortFields.contains(field) {
            computedSort = field
        } else if let native = SessionQuery.SortField(rawValue: field) {
            query.sort = native
        } else {
            let known = SessionQuery.SortField.allCases.map(\.rawValue) + Self.computedSortFields
            throw .invalid("unknown sort_field '\(field)' (known: \(known.joined(separator: ", ")))")
        }
    }

    private func checkLimit() throws(BrowserTasksError) {
        guard (1...SessionQuery.maximumLimit).contains(limit) else {
            throw .invalid("'limit' must be between 1 and \(SessionQuery.maximumLimit)")
        }
    }

    /// Whether some filter or the sort runs here rather than in the store.
    var needsEverySession: Bool {
        computedSort != nil || !moreTags.isEmpty || durationLessThan != nil || hasErrors != nil
    }

    /// The matching sessions, at most `limit`, in order.
    func run(_ sessions: OwnedSessions) async throws -> [SessionRecord] {
        var query = self.query
        guard needsEverySession else {
            query.limit = limit
            return try await sessions.list(query).sessions
        }
        query.limit = SessionQuery.maximumLimit
        var all: [SessionRecord] = []
        while true {
            let page = try await sessions.list(query)
            all += page.sessions
            query.offset += page.sessions.count
            if page.sessions.isEmpty || query.offset >= page.total { break }
        }
        let now = Date().timeIntervalSince1970
        var matching = all.filter { record in
            moreTags.allSatisfy(record.tags.contains)
                && durationLessThan.map { BrowserTaskViews.duration(record, now: now) < $0 } != false
                && hasErrors.map { (record.status == .error) == $0 } != false
        }
        if let computedSort {
            let key: (SessionRecord) -> Double = computedSort == "duration"
                ? { BrowserTaskViews.duration($0, now: now) }
                : { BrowserTaskViews.completedAt($0) ?? .infinity }
            let descending = query.descending
            matching.sort { descending ? key($0) > key($1) : key($0) < key($1) }
        }
        return Array(matching.prefix(limit))
    }
}
