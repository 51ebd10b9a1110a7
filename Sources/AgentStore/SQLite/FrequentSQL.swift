import AgentCore

/// The statements the writer runs on every write, each prepared once per connection and found by
/// its case (an array index) rather than by hashing its text.
///
/// Other SQL goes through the `String` overloads of `SQLiteConnection`, cached by text.
enum FrequentSQL: Int, CaseIterable {
    case beginImmediate
    case commit
    case savepoint
    case release
    case rollbackToSavepoint
    case sessionState
    case updateRecord
    case updateRecordAndLastSeq
    case updateLastSeq
    case insertEvent
    case countMessages
    case insertImage
    case insertImageReference
    case upsertMessage
    case upsertToolExecution
    case insertUsage

    /// The statement's text.
    var text: String {
        switch self {
        case .beginImmediate: "BEGIN IMMEDIATE"
        case .commit: "COMMIT"
        case .savepoint: "SAVEPOINT batched_write"
        case .release: "RELEASE batched_write"
        case .rollbackToSavepoint: "ROLLBACK TO batched_write"
        case .sessionState: "SELECT last_seq, tags FROM sessions WHERE id = ?"
        case .updateRecord: SessionRecord.updateSQL
        case .updateRecordAndLastSeq: SessionRecord.updateWithLastSeqSQL
        case .updateLastSeq: "UPDATE sessions SET last_seq = ? WHERE id = ?"
        case .insertEvent: "INSERT INTO events (session_id, seq, type, time, data) VALUES (?, ?, ?, ?, ?)"
        case .countMessages: "SELECT COUNT(*) FROM messages WHERE session_id = ?"
        case .insertImage: "INSERT OR IGNORE INTO images (sha256, media_type, bytes, created_at) VALUES (?, ?, ?, ?)"
        case .insertImageReference: "INSERT OR IGNORE INTO image_refs (session_id, sha256) VALUES (?, ?)"
        case .upsertMessage: """
            INSERT INTO messages (session_id, idx, role, content) VALUES (?, ?, ?, ?)
            ON CONFLICT (session_id, idx) DO UPDATE SET role = excluded.role, content = excluded.content
            """
        case .upsertToolExecution: ToolExecution.upsertSQL
        case .insertUsage: """
            INSERT INTO usage (session_id, turn, model, input_tokens, output_tokens, cache_creation_tokens,
                cache_read_tokens, cost_usd, time)
            VALUES (?, (SELECT COALESCE(MAX(turn), 0) + 1 FROM usage WHERE session_id = ?), ?, ?, ?, ?, ?, ?, ?)
            """
        }
    }
}
