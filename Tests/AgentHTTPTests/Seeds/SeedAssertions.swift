import AgentCore
import Foundation

/// What the seed documents promise about values.
enum Seed {
    /// `2024-01-01T00:00:00Z`.
    static func isDateTime(_ value: JSONValue?) -> Bool {
        guard let text = value?.stringValue else { return false }
        return text.wholeMatch(of: /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z/) != nil
    }

    static func isUUID(_ value: JSONValue?) -> Bool { value?.stringValue.flatMap(UUID.init(uuidString:)) != nil }

    /// The keys of an object, sorted.
    static func keys(_ value: JSONValue?) -> [String] { value?.objectValue?.keys.sorted() ?? [] }
}
