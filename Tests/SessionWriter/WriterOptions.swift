/// The writer's command line.
struct WriterOptions {
    static let usage =
        "usage: session-writer --database PATH --model-url URL [--sessions N] [--continue K] [--lifetime SECONDS]"

    /// The SQLite file (created when missing).
    var database = ""
    /// The Messages API origin (the test's fake server).
    var modelURL = ""
    /// New sessions to create.
    var sessions = 4
    /// Earlier sessions (most recent first) to keep busy too.
    var continued = 0
    /// Seconds after which the writer exits by itself.
    var lifetime = 60.0

    /// A problem with the arguments.
    struct Problem: Error, CustomStringConvertible {
        let description: String
    }

    init<Arguments: Collection<String>>(_ arguments: Arguments) throws {
        var rest = Array(arguments)[...]
        while let name = rest.popFirst() {
            guard let value = rest.popFirst() else { throw Problem(description: "\(name) needs a value") }
            switch name {
            case "--database": database = value
            case "--model-url": modelURL = value
            case "--sessions": sessions = try Self.number(value, name)
            case "--continue": continued = try Self.number(value, name)
            case "--lifetime": lifetime = Double(try Self.number(value, name))
            default: throw Problem(description: "unknown option \(name)")
            }
        }
        if database.isEmpty || modelURL.isEmpty { throw Problem(description: "--database and --model-url are required") }
    }

    private static func number(_ value: String, _ name: String) throws -> Int {
        guard let n = Int(value), n >= 0 else { throw Problem(description: "\(name) must be a whole number ≥ 0") }
        return n
    }
}
