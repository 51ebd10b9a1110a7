import AgentCore

/// How a `SessionRecord` maps to a `sessions` row.
extension SessionRecord {
    /// The `sessions` columns in the order `init(row:)` reads them.
    static let selectColumns = """
        id, owner, name, tags, priority, metadata, configuration, status, status_reason, created_at, updated_at,
        last_activity_at, input_tokens, output_tokens, cache_creation_tokens, cache_read_tokens, cost_usd, last_seq,
        queue, pending_approval, soft_budget_acknowledged
        """

    /// Inserts the record with `last_seq` 0 (sequence numbers belong to the store).
    static let insertSQL = """
        INSERT INTO sessions (id, owner, name, tags, priority, metadata, configuration, status, status_reason,
            created_at, updated_at, last_activity_at, input_tokens, output_tokens, cache_creation_tokens,
            cache_read_tokens, cost_usd, queue, pending_approval, soft_budget_acknowledged, last_seq)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0)
        """

    /// Updates every column but `id` and `last_seq`; the id is the last argument.
    static let updateSQL = """
        UPDATE sessions SET owner = ?, name = ?, tags = ?, priority = ?, metadata = ?, configuration = ?, status = ?,
            status_reason = ?, created_at = ?, updated_at = ?, last_activity_at = ?, input_tokens = ?,
            output_tokens = ?, cache_creation_tokens = ?, cache_read_tokens = ?, cost_usd = ?, queue = ?,
            pending_approval = ?, soft_budget_acknowledged = ?
        WHERE id = ?
        """

    /// `updateSQL` that also sets `last_seq`, bound as argument 21 after `updateArguments` (the id stays 20th),
    /// so a write with a record and events updates the session row once.
    static let updateWithLastSeqSQL = """
        UPDATE sessions SET owner = ?, name = ?, tags = ?, priority = ?, metadata = ?, configuration = ?, status = ?,
            status_reason = ?, created_at = ?, updated_at = ?, last_activity_at = ?, input_tokens = ?,
            output_tokens = ?, cache_creation_tokens = ?, cache_read_tokens = ?, cost_usd = ?, queue = ?,
            pending_approval = ?, soft_budget_acknowledged = ?, last_seq = ?21
        WHERE id = ?20
        """

    /// Arguments for `insertSQL`.
    var insertArguments: [any SQLiteBindable] { [id] + columnArguments }

    /// Arguments for `updateSQL`.
    var updateArguments: [any SQLiteBindable] { columnArguments + [id] }

    /// The `tags` column's text.
    var tagsJSON: String { JSONValue.array(tags.map(JSONValue.string)).serialized() }

    private var columnArguments: [any SQLiteBindable] {
        [
            owner, name, tagsJSON, priority, metadata.serialized(),
            configuration.json.serialized(), status.rawValue, statusReason, createdAt, updatedAt, lastActivityAt,
            usage.inputTokens, usage.outputTokens, usage.cacheCreationInputTokens, usage.cacheReadInputTokens, costUSD,
            JSONValue.array(queue.map(\.json)).serialized(), pendingApproval?.json.serialized(), softBudgetAcknowledged,
        ]
    }

    /// Reads a row selected with `selectColumns`; `memo` spares parsing JSON columns seen before.
    init(row: Statement, memo: SessionColumnMemo) throws {
        let id = row.string(0)
        func json(_ column: Int32, _ field: String) throws -> JSONValue {
            do {
                return try JSONValue(parsing: row.string(column))
            } catch {
                throw SessionError.storage("session \(id) has unreadable \(field) in the database")
            }
        }
        guard let status = SessionStatus(rawValue: row.string(7)) else {
            throw SessionError.storage("session \(id) has an unknown status '\(row.string(7))' in the database")
        }
        let configuration: SessionConfiguration
        do {
            configuration = try memo.configuration(row.string(6)) { _ in
                try SessionConfiguration(json: try json(6, "configuration"), defaults: Self.blankConfiguration)
            }
        } catch {
            throw SessionError.storage("session \(id) has an invalid configuration in the database: \(error)")
        }
        let queue: [Message]
        do {
            let text = row.string(18)
            queue = text == "[]" ? [] : try (try json(18, "queue").arrayValue ?? []).map(Message.init(json:))
        } catch {
            throw SessionError.storage("session \(id) has an unreadable message queue in the database")
        }
        let pendingApproval = try row.optionalString(19).map { _ in try json(19, "pending_approval") }
        self.init(
            id: id, owner: row.string(1), name: row.string(2),
            tags: try memo.tags(row.string(3)) { _ in try json(3, "tags").arrayValue?.compactMap(\.stringValue) ?? [] },
            priority: row.string(4),
            metadata: try memo.metadata(row.string(5)) { _ in try json(5, "metadata") }, configuration: configuration,
            status: status,
            statusReason: row.optionalString(8), createdAt: row.double(9), updatedAt: row.double(10),
            lastActivityAt: row.double(11),
            usage: Usage(inputTokens: row.int(12), outputTokens: row.int(13), cacheCreationInputTokens: row.int(14),
                         cacheReadInputTokens: row.int(15)),
            costUSD: row.double(16), lastSeq: row.int(17), queue: queue,
            pendingApproval: pendingApproval.flatMap(PendingApproval.init(json:)), softBudgetAcknowledged: row.int(20) != 0)
    }

    /// Defaults that add nothing, so a stored configuration reads back exactly as written
    /// (`SessionConfiguration()` would turn an absent `max_steps` into 100).
    private static let blankConfiguration = SessionConfiguration(tools: [], limits: AgentLimits(maxSteps: nil))
}
