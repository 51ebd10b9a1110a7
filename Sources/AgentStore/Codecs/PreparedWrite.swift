import AgentCore

/// A `SessionWrite` with every JSON text and argument list already built, in the caller's task, so the
/// writer thread (which every write in the process waits for) only binds, steps and numbers events.
struct PreparedWrite: Sendable {
    /// The session record's part: `SessionRecord.updateArguments` and its tags.
    struct Record: Sendable {
        let arguments: [any SQLiteBindable]
        let tags: [String]
        let tagsJSON: String
    }

    /// An event without its `seq`, with its data serialized.
    struct Event: Sendable {
        let type: String
        let time: Double
        let dataJSON: String
    }

    /// A conversation message with its images taken out (see `MessageImageCodec`).
    struct Message: Sendable {
        let index: Int
        let role: String
        let content: String
        let images: [StoredImage]
    }

    let sessionID: String
    let record: Record?
    let events: [Event]
    let messages: [Message]
    /// `ToolExecution.upsertArguments` of each execution.
    let toolExecutions: [[any SQLiteBindable]]
    /// Arguments for `FrequentSQL.insertUsage`.
    let usage: [any SQLiteBindable]?

    /// Checks `write` and serializes it. Base64 decoding and image hashing happen here too.
    ///
    /// - Throws: `SessionError.invalidRequest` for a record of another session or a negative message index.
    init(_ write: SessionWrite) throws {
        if let record = write.record, record.id != write.sessionID {
            throw SessionError.invalidRequest("the record's id \(record.id) does not match the write's session \(write.sessionID)")
        }
        if let index = write.messages.first(where: { $0.index < 0 })?.index {
            throw SessionError.invalidRequest("message index \(index) is negative")
        }
        let sessionID = write.sessionID
        self.sessionID = sessionID
        record = write.record.map { Record(arguments: $0.updateArguments, tags: $0.tags, tagsJSON: $0.tagsJSON) }
        events = write.events.map { Event(type: $0.type, time: $0.time, dataJSON: $0.data.serialized()) }
        messages = write.messages.map { item in
            let (json, images) = MessageImageCodec.extractImages(from: item.message)
            return Message(index: item.index, role: item.message.role.rawValue, content: json.serialized(), images: images)
        }
        toolExecutions = write.toolExecutions.map { $0.upsertArguments(sessionID: sessionID) }
        usage = write.turnUsage.map { turn in
            [sessionID, sessionID, turn.model, turn.usage.inputTokens, turn.usage.outputTokens,
             turn.usage.cacheCreationInputTokens, turn.usage.cacheReadInputTokens, turn.costUSD, turn.time]
        }
    }
}
