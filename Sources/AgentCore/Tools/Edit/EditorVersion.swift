/// A version of Anthropic's text editor tool (reference §5.1, §5.4).
///
/// The raw value is the `type` string sent in the request's `tools` array. The versions differ in
/// the name the model calls the tool by, in whether `undo_edit` exists, in the field `insert`
/// documents for its text, and in whether `max_characters` may appear in the definition.
///
/// ```swift
/// EditorVersion.v20250728.toolName      // "str_replace_based_edit_tool"
/// EditorVersion.v20241022.supportsUndo  // true
/// ```
public enum EditorVersion: String, Sendable, CaseIterable {
    /// `text_editor_20241022`, called `str_replace_editor`; has `undo_edit`.
    case v20241022 = "text_editor_20241022"
    /// `text_editor_20250124`, called `str_replace_editor`; has `undo_edit`.
    case v20250124 = "text_editor_20250124"
    /// `text_editor_20250429`, called `str_replace_based_edit_tool`; no `undo_edit`.
    case v20250429 = "text_editor_20250429"
    /// `text_editor_20250728`, called `str_replace_based_edit_tool`; no `undo_edit`, may carry
    /// `max_characters`.
    case v20250728 = "text_editor_20250728"

    /// The name the model calls the tool by; fixed per version (reference §5.1).
    public var toolName: String {
        switch self {
        case .v20241022, .v20250124: "str_replace_editor"
        case .v20250429, .v20250728: "str_replace_based_edit_tool"
        }
    }

    /// Whether the `undo_edit` command exists: only in the two older versions (reference §5.4).
    public var supportsUndo: Bool {
        switch self {
        case .v20241022, .v20250124: true
        case .v20250429, .v20250728: false
        }
    }

    /// Whether the definition may carry `max_characters`: `text_editor_20250728` only (reference §5.1).
    public var supportsMaxCharacters: Bool { self == .v20250728 }

    /// The commands this version accepts, in the order the reference lists them (reference §5.4).
    public var commands: [String] {
        let common = ["view", "create", "str_replace", "insert"]
        return supportsUndo ? common + ["undo_edit"] : common
    }

    /// The input field the version documents for `insert`'s text: `insert_text` for
    /// `text_editor_20250728`, `new_str` before it (reference §5.4). Every version accepts both.
    public var insertTextParameter: String { self == .v20250728 ? "insert_text" : "new_str" }
}
