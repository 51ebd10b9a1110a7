/// The versions of Anthropic's `computer` tool (reference §5.2).
public enum ComputerVersion: String, Sendable, CaseIterable {
    case v20241022 = "computer_20241022"
    case v20250124 = "computer_20250124"
    case v20251124 = "computer_20251124"

    /// The actions this version accepts.
    public var actions: Set<String> {
        var set: Set<String> = [
            "key", "type", "mouse_move", "left_click", "left_click_drag", "right_click", "middle_click",
            "double_click", "screenshot", "cursor_position",
        ]
        if self != .v20241022 {
            set.formUnion(["triple_click", "left_mouse_down", "left_mouse_up", "scroll", "hold_key", "wait"])
        }
        if self == .v20251124 { set.insert("zoom") }
        return set
    }

    /// From 20250124 clicks take an optional `coordinate` and modifier keys in `text`.
    var clicksTakeCoordinate: Bool { self != .v20241022 }
}
