/// Which SQL a cached prepared statement runs: any text, or one of the writer's `FrequentSQL`.
enum SQLKey {
    case text(String)
    case frequent(FrequentSQL)

    /// The statement's text.
    var sql: String {
        switch self {
        case .text(let text): text
        case .frequent(let frequent): frequent.text
        }
    }
}

/// A connection's prepared statements: `FrequentSQL` in a small array indexed by case (no hashing of
/// long SQL on every write), everything else in a dictionary keyed by text.
struct StatementCache {
    private var frequent: [Statement?] = Array(repeating: nil, count: FrequentSQL.allCases.count)
    private var byText: [String: Statement] = [:]

    /// The cached statement for `key`, if any; setting `nil` forgets it.
    subscript(key: SQLKey) -> Statement? {
        get {
            switch key {
            case .text(let text): byText[text]
            case .frequent(let frequent): self.frequent[frequent.rawValue]
            }
        }
        set {
            switch key {
            case .text(let text): byText[text] = newValue
            case .frequent(let frequent): self.frequent[frequent.rawValue] = newValue
            }
        }
    }

    /// Forgets (and so finalizes) every statement.
    mutating func removeAll() {
        frequent = Array(repeating: nil, count: FrequentSQL.allCases.count)
        byText.removeAll()
    }
}
