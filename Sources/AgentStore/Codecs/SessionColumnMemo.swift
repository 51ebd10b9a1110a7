import AgentCore
import Synchronization

/// Decoded `sessions` JSON columns remembered by their text, so listing the same sessions again
/// does not parse the same configuration, tags and metadata again.
///
/// Decoding is a pure function of a column's text, so an entry can never be stale: a changed
/// session has changed text and misses. Most sessions share their configuration text (the
/// daemon's defaults), so the memo stays small; past `capacity` entries per column it starts over.
final class SessionColumnMemo: Sendable {
    private struct Tables {
        var configurations: [String: SessionConfiguration] = [:]
        var tags: [String: [String]] = [:]
        var metadata: [String: JSONValue] = [:]
    }

    private let tables = Mutex(Tables())
    let capacity: Int

    init(capacity: Int = 4096) {
        self.capacity = capacity
    }

    /// The configuration stored as `text`, decoded by `decode` the first time.
    func configuration(_ text: String, decode: (String) throws -> SessionConfiguration) rethrows -> SessionConfiguration {
        if let known = tables.withLock({ $0.configurations[text] }) { return known }
        let decoded = try decode(text)
        tables.withLock { Self.remember(decoded, for: text, in: &$0.configurations, capacity: capacity) }
        return decoded
    }

    /// The tag list stored as `text`.
    func tags(_ text: String, decode: (String) throws -> [String]) rethrows -> [String] {
        if text == "[]" { return [] }
        if let known = tables.withLock({ $0.tags[text] }) { return known }
        let decoded = try decode(text)
        tables.withLock { Self.remember(decoded, for: text, in: &$0.tags, capacity: capacity) }
        return decoded
    }

    /// The metadata object stored as `text`.
    func metadata(_ text: String, decode: (String) throws -> JSONValue) rethrows -> JSONValue {
        if text == "{}" { return .object([:]) }
        if let known = tables.withLock({ $0.metadata[text] }) { return known }
        let decoded = try decode(text)
        tables.withLock { Self.remember(decoded, for: text, in: &$0.metadata, capacity: capacity) }
        return decoded
    }

    private static func remember<Value>(_ value: Value, for text: String, in table: inout [String: Value], capacity: Int) {
        if table.count >= capacity { table.removeAll(keepingCapacity: true) }
        table[text] = value
    }
}
