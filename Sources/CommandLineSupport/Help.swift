/// Help text in one layout: OVERVIEW, USAGE, ARGUMENTS, OPTIONS, SUBCOMMANDS.
public struct Help: Sendable {
    public var command: String
    public var overview: String
    public var usage: String
    public var arguments: [(String, String)] = []
    public var options: [(String, String)] = []
    public var subcommands: [(String, String)] = []

    public init(command: String, overview: String, usage: String, arguments: [(String, String)] = [],
                options: [(String, String)] = [], subcommands: [(String, String)] = []) {
        self.command = command
        self.overview = overview
        self.usage = usage
        self.arguments = arguments
        self.options = options
        self.subcommands = subcommands
    }

    public var text: String {
        var out = "OVERVIEW: \(overview)\n\nUSAGE: \(usage)\n"
        func section(_ title: String, _ rows: [(String, String)]) {
            guard !rows.isEmpty else { return }
            out += "\n\(title):\n"
            for (name, about) in rows {
                let padded = name.count < 22 ? name + String(repeating: " ", count: 24 - name.count - 2) : name + "\n" + String(repeating: " ", count: 24)
                out += "  \(padded)\(about)\n"
            }
        }
        section("ARGUMENTS", arguments)
        section("OPTIONS", options + [("-h, --help", "Show help information.")])
        section("SUBCOMMANDS", subcommands)
        if !subcommands.isEmpty { out += "\n  See '\(command) help <subcommand>' for detailed help.\n" }
        return out
    }

    /// The three-line usage error the style guide prescribes.
    public func errorText(_ error: UsageError) -> String {
        "Error: \(error.message)\nUsage: \(usage)\n  See '\(command) --help' for more information.\n"
    }
}
