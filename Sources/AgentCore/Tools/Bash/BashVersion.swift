/// The versions of Anthropic's schema-less `bash` tool.
///
/// Both versions take the same input, `{"command": string, "restart": bool?}`; only the `type` in the
/// tool definition differs (reference §5.1, §5.3).
///
/// ```swift
/// let tool = BashTool(version: .v20241022)
/// tool.definition  // {"name":"bash","type":"bash_20241022"}
/// ```
public enum BashVersion: String, Sendable, CaseIterable {
    /// `bash_20241022`, used with the `computer-use-2024-10-22` beta.
    case v20241022 = "bash_20241022"
    /// `bash_20250124`, used with the `computer-use-2025-01-24` and later betas.
    case v20250124 = "bash_20250124"
}
