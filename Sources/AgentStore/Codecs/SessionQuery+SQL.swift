import AgentCore

/// The SQL of a session list query: filters as bound parameters, sort columns from a fixed list.
extension SessionQuery {
    /// The ORDER BY expression of each sort field; never built from caller text.
    private var sortExpression: String { Self.expression(sort) }

    private static func expression(_ field: SortField) -> String {
        switch field {
        case .createdAt: "created_at"
        case .updatedAt: "updated_at"
        case .lastActivityAt: "last_activity_at"
        case .name: "name"
        // Sorted by rank (low < normal < high), not alphabetically.
        case .priority: "CASE priority WHEN 'low' THEN 0 WHEN 'normal' THEN 1 WHEN 'high' THEN 2 ELSE 1 END"
        case .status: "status"
        }
    }

    /// The WHERE clause (empty or starting with ` WHERE`) and its arguments.
    var whereClause: (sql: String, arguments: [any SQLiteBindable]) {
        var conditions: [String] = []
        var arguments: [any SQLiteBindable] = []
        if !statuses.isEmpty {
            let unique = Array(Set(statuses.map(\.rawValue))).sorted()
            conditions.append("status IN (\(Array(repeating: "?", count: unique.count).joined(separator: ", ")))")
            arguments += unique as [any SQLiteBindable]
        }
        if let owner {
            conditions.append("owner = ?")
            arguments.append(owner)
        }
        if let createdAfter {
            conditions.append("created_at >= ?")
            arguments.append(createdAfter)
        }
        if let createdBefore {
            conditions.append("created_at < ?")
            arguments.append(createdBefore)
        }
        if let tag {
            conditions.append("id IN (SELECT session_id FROM session_tags WHERE tag = ?)")
            arguments.append(tag)
        }
        return (conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND "), arguments)
    }

    /// The page's SELECT, ordered by the sort field then `id` (so pages never overlap on ties).
    var pageSQL: (sql: String, arguments: [any SQLiteBindable]) {
        let (filter, arguments) = whereClause
        let direction = descending ? "DESC" : "ASC"
        let further = thenBy.map { ", \(Self.expression($0.field)) \($0.descending ? "DESC" : "ASC")" }.joined()
        let sql = "SELECT \(SessionRecord.selectColumns) FROM sessions\(filter) "
            + "ORDER BY \(sortExpression) \(direction)\(further), id \(direction) LIMIT ? OFFSET ?"
        return (sql, arguments + [limit, offset])
    }

    /// The COUNT of every matching session.
    var countSQL: (sql: String, arguments: [any SQLiteBindable]) {
        let (filter, arguments) = whereClause
        return ("SELECT COUNT(*) FROM sessions\(filter)", arguments)
    }
}
