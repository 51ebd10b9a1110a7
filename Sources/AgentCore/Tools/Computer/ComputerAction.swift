/// A point in the model's coordinate space.
struct APIPoint: Equatable, Sendable {
    var x: Int
    var y: Int
}

/// One validated `computer` action, in the model's coordinate space.
enum ComputerAction: Equatable, Sendable {
    enum Button: Int, Sendable { case left = 1, middle = 2, right = 3 }
    enum ScrollDirection: String, Sendable {
        case up, down, left, right
        /// X11 wheel buttons: up 4, down 5, left 6, right 7 (reference §6.2 scroll).
        var button: Int {
            switch self {
            case .up: 4
            case .down: 5
            case .left: 6
            case .right: 7
            }
        }
    }

    case key(String)
    case type(String)
    case mouseMove(APIPoint)
    /// `at` nil clicks where the pointer is; `modifiers` are held during the click.
    case click(Button, count: Int, at: APIPoint?, modifiers: String?)
    /// `from` nil starts at the pointer (the 20241022 form).
    case drag(from: APIPoint?, to: APIPoint, modifiers: String?)
    case mouseDown
    case mouseUp
    case scroll(ScrollDirection, amount: Int, at: APIPoint?, modifiers: String?)
    case holdKey(String, seconds: Double)
    case wait(seconds: Double)
    case screenshot
    case cursorPosition
    /// Top-left and bottom-right corners.
    case zoom(APIPoint, APIPoint)
}

extension ComputerAction {
    /// Validates a tool input with the reference demo's messages (reference §6.2), minus its bugs:
    /// `text` carries modifier keys for clicks, scroll and drag, and drag starts at `start_coordinate`.
    static func parse(_ input: JSONValue, version: ComputerVersion, enableZoom: Bool) throws -> ComputerAction {
        guard let action = input["action"]?.stringValue else {
            throw ToolError("Invalid action: \(PythonRepr.repr(input["action"]))")
        }
        guard version.actions.contains(action) else { throw ToolError("Invalid action: \(action)") }
        let text = input["text"].flatMap { $0.isNull ? nil : $0 }
        let coordinate = input["coordinate"].flatMap { $0.isNull ? nil : $0 }

        func requireText() throws -> String {
            guard let text else { throw ToolError("text is required for \(action)") }
            guard let s = text.stringValue else { throw ToolError("\(PythonRepr.repr(text)) must be a string") }
            return s
        }
        func modifiers() throws -> String? {
            guard let text else { return nil }
            guard let s = text.stringValue else { throw ToolError("\(PythonRepr.repr(text)) must be a string") }
            return s.isEmpty ? nil : s
        }
        func optionalPoint(_ value: JSONValue?) throws -> APIPoint? {
            guard let value else { return nil }
            return try point(value)
        }
        func rejectCoordinate() throws {
            if coordinate != nil { throw ToolError("coordinate is not accepted for \(action)") }
        }
        func rejectText() throws {
            if text != nil { throw ToolError("text is not accepted for \(action)") }
        }

        switch action {
        case "key", "type":
            let s = try requireText()
            try rejectCoordinate()
            return action == "key" ? .key(s) : .type(s)
        case "mouse_move":
            guard let coordinate else { throw ToolError("coordinate is required for \(action)") }
            try rejectText()
            return .mouseMove(try point(coordinate))
        case "left_click_drag":
            guard let coordinate else { throw ToolError("coordinate is required for \(action)") }
            if version == .v20241022 {
                try rejectText()
                return .drag(from: nil, to: try point(coordinate), modifiers: nil)
            }
            guard let start = input["start_coordinate"].flatMap({ $0.isNull ? nil : $0 }) else {
                throw ToolError("start_coordinate is required for left_click_drag")
            }
            return .drag(from: try point(start), to: try point(coordinate), modifiers: try modifiers())
        case "left_click", "right_click", "middle_click", "double_click", "triple_click":
            let button: Button = action == "right_click" ? .right : action == "middle_click" ? .middle : .left
            let count = action == "double_click" ? 2 : action == "triple_click" ? 3 : 1
            guard version.clicksTakeCoordinate else {
                try rejectText()
                try rejectCoordinate()
                return .click(button, count: count, at: nil, modifiers: nil)
            }
            return .click(button, count: count, at: try optionalPoint(coordinate), modifiers: try modifiers())
        case "screenshot", "cursor_position":
            try rejectText()
            try rejectCoordinate()
            return action == "screenshot" ? .screenshot : .cursorPosition
        case "left_mouse_down", "left_mouse_up":
            if coordinate != nil { throw ToolError("coordinate is not accepted for action='\(action)'.") }
            try rejectText()
            return action == "left_mouse_down" ? .mouseDown : .mouseUp
        case "scroll":
            let direction = input["scroll_direction"]
            guard let name = direction?.stringValue, let parsed = ScrollDirection(rawValue: name) else {
                throw ToolError("scroll_direction=\(PythonRepr.repr(direction)) must be 'up', 'down', 'left', or 'right'")
            }
            let amountValue = input["scroll_amount"]
            guard case .int(let amount)? = amountValue, amount >= 0 else {
                throw ToolError("scroll_amount=\(PythonRepr.repr(amountValue)) must be a non-negative int")
            }
            return .scroll(parsed, amount: amount, at: try optionalPoint(coordinate), modifiers: try modifiers())
        case "hold_key", "wait":
            let seconds = try duration(input["duration"])
            if action == "wait" { return .wait(seconds: seconds) }
            let keys = try requireText()
            try rejectCoordinate()
            return .holdKey(keys, seconds: seconds)
        case "zoom":
            guard enableZoom else {
                throw ToolError("zoom is not enabled: the tool definition must set enable_zoom to true")
            }
            let region = input["region"]
            guard let items = region?.arrayValue, items.count == 4 else {
                throw ToolError("region=\(PythonRepr.repr(region)) must be a tuple of 4 coordinates (x0, y0, x1, y1)")
            }
            let values = items.compactMap { v -> Int? in if case .int(let i) = v, i >= 0 { i } else { nil } }
            guard values.count == 4 else {
                throw ToolError("region=\(PythonRepr.repr(region)) must contain non-negative integers")
            }
            guard values[2] > values[0], values[3] > values[1] else {
                throw ToolError("region=\(PythonRepr.repr(region)) must have x1 > x0 and y1 > y0")
            }
            return .zoom(APIPoint(x: values[0], y: values[1]), APIPoint(x: values[2], y: values[3]))
        default:
            throw ToolError("Invalid action: \(action)")
        }
    }

    /// reference §6.2: `coordinate` must be a list of two non-negative ints.
    static func point(_ value: JSONValue) throws -> APIPoint {
        guard let items = value.arrayValue, items.count == 2 else {
            throw ToolError("\(PythonRepr.repr(value)) must be a tuple of length 2")
        }
        guard case .int(let x) = items[0], case .int(let y) = items[1], x >= 0, y >= 0 else {
            throw ToolError("\(PythonRepr.repr(value)) must be a tuple of non-negative ints")
        }
        return APIPoint(x: x, y: y)
    }

    /// reference §6.2: `duration` must be a number from 0 to 100 seconds.
    static func duration(_ value: JSONValue?) throws -> Double {
        guard let value, let seconds = value.doubleValue, value.boolValue == nil else {
            throw ToolError("duration=\(PythonRepr.repr(value)) must be a number")
        }
        if seconds < 0 { throw ToolError("duration=\(PythonRepr.repr(value)) must be non-negative") }
        if seconds > 100 { throw ToolError("duration=\(PythonRepr.repr(value)) is too long.") }
        return seconds
    }
}
