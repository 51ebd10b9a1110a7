/// What the store needs to follow an agent's conversation: its length and its last message.
///
/// It applies the same rule as `Agent.appendUserTurn` (a user turn after a user turn is merged into
/// it), so the stored conversation is exactly the agent's.
struct ConversationMirror {
    private(set) var count: Int
    private(set) var last: Message?

    init(_ messages: [Message]) {
        count = messages.count
        last = messages.last
    }

    /// Appends `message`; returns the stored change.
    mutating func append(_ message: Message) -> (index: Int, message: Message) {
        count += 1
        last = message
        return (count - 1, message)
    }

    /// Appends a user turn, merging it into a trailing user turn; returns the stored change.
    mutating func appendUserTurn(_ message: Message) -> (index: Int, message: Message) {
        if var merged = last, merged.role == .user, message.role == .user {
            merged.content += message.content
            last = merged
            return (count - 1, merged)
        }
        return append(message)
    }
}
