/// Which Anthropic-defined tool types and beta flag a request uses (reference §1.5).
///
/// Chosen per model by `ModelCatalog`, and overridable per session.
public struct ToolVersions: Sendable, Hashable {
    /// `computer_20241022`, `computer_20250124` or `computer_20251124`.
    public var computer: String
    /// `text_editor_20241022` … `text_editor_20250728`.
    public var textEditor: String
    /// `bash_20241022` or `bash_20250124`.
    public var bash: String
    /// The `anthropic-beta` flag the computer tool needs, if any.
    public var betaFlag: String?

    public init(computer: String, textEditor: String, bash: String, betaFlag: String?) {
        self.computer = computer
        self.textEditor = textEditor
        self.bash = bash
        self.betaFlag = betaFlag
    }

    /// Claude 3.5 Sonnet (new): the first computer-use tool set.
    public static let v20241022 = ToolVersions(
        computer: "computer_20241022", textEditor: "text_editor_20241022", bash: "bash_20241022",
        betaFlag: "computer-use-2024-10-22")
    /// Claude 3.7 Sonnet.
    public static let v20250124 = ToolVersions(
        computer: "computer_20250124", textEditor: "text_editor_20250124", bash: "bash_20250124",
        betaFlag: "computer-use-2025-01-24")
    /// Claude 4 through Sonnet/Haiku 4.5: the 2025-01-24 computer with the newest editor.
    public static let v20250429 = ToolVersions(
        computer: "computer_20250124", textEditor: "text_editor_20250728", bash: "bash_20250124",
        betaFlag: "computer-use-2025-01-24")
    /// Opus 4.5 and later: zoom-capable computer. Also what unknown (newer) models get.
    public static let v20251124 = ToolVersions(
        computer: "computer_20251124", textEditor: "text_editor_20250728", bash: "bash_20250124",
        betaFlag: "computer-use-2025-11-24")

    /// The newest set, for models the catalog does not know.
    public static let newest = v20251124

    public var json: JSONValue {
        var o: [String: JSONValue] = [
            "computer": .string(computer), "text_editor": .string(textEditor), "bash": .string(bash),
        ]
        if let betaFlag { o["beta"] = .string(betaFlag) }
        return .object(o)
    }
}
