import Foundation

/// Anthropic's `computer` tool on a `ComputerEnvironment`: every action of `computer_20241022`,
/// `computer_20250124` and `computer_20251124`, with no process spawned per action.
///
/// Coordinates arrive in the advertised (scaled) space and are mapped to the screen; screenshots are
/// captured at full resolution, scaled to the advertised size and encoded as PNG in-process. After
/// an action the tool waits for the screen to settle instead of a fixed delay.
///
/// ```swift
/// let display = try await X11Display.connect(display: ":1", authorityFile: nil)
/// let computer = try await ComputerTool.make(environment: display)
/// ```
public struct ComputerTool: Tool {
    public let version: ComputerVersion
    public let environment: any ComputerEnvironment
    public let scaling: ScreenScaling
    public let enableZoom: Bool
    public let settle: SettlePolicy
    public let name = "computer"

    /// Creates the tool for a screen of known size.
    /// - Parameters:
    ///   - enableZoom: whether `zoom` is allowed (20251124 only); on by default there.
    ///   - scalingEnabled: advertise a smaller standard size and scale screenshots to it (reference §6.2).
    public init(
        version: ComputerVersion = .v20251124, environment: any ComputerEnvironment, screenWidth: Int,
        screenHeight: Int, enableZoom: Bool? = nil, scalingEnabled: Bool = true, settle: SettlePolicy = SettlePolicy()
    ) {
        self.version = version
        self.environment = environment
        self.scaling = ScreenScaling(screenWidth: screenWidth, screenHeight: screenHeight, enabled: scalingEnabled)
        self.enableZoom = version == .v20251124 && (enableZoom ?? true)
        self.settle = settle
    }

    /// Creates the tool, reading the screen size from the environment.
    public static func make(
        version: ComputerVersion = .v20251124, environment: any ComputerEnvironment, enableZoom: Bool? = nil,
        scalingEnabled: Bool = true, settle: SettlePolicy = SettlePolicy()
    ) async throws -> ComputerTool {
        let size = try await environment.screenSize()
        return ComputerTool(
            version: version, environment: environment, screenWidth: size.width, screenHeight: size.height,
            enableZoom: enableZoom, scalingEnabled: scalingEnabled, settle: settle)
    }

    /// reference §5.1: `{"type":…,"name":"computer","display_width_px":…,"display_height_px":…,"display_number":…}`.
    public var definition: JSONValue {
        var fields: [String: JSONValue] = [
            "type": .string(version.rawValue), "name": "computer",
            "display_width_px": .int(scaling.apiWidth), "display_height_px": .int(scaling.apiHeight),
            "display_number": environment.xDisplayNumber.map(JSONValue.int) ?? .null,
        ]
        if version == .v20251124 { fields["enable_zoom"] = .bool(enableZoom) }
        return .object(fields)
    }

    public func run(_ input: JSONValue, context: ToolContext) async throws -> ToolOutput {
        let action = try ComputerAction.parse(input, version: version, enableZoom: enableZoom)
        do {
            return try await perform(action)
        } catch let error as ToolError {
            throw error
        } catch let error as CancellationError {
            throw error
        } catch {
            throw ToolError("The display failed: \(error)")
        }
    }

    // MARK: - Actions

    private func perform(_ action: ComputerAction) async throws -> ToolOutput {
        switch action {
        case .screenshot:
            return ToolOutput(image: try await screenshot(after: nil))
        case .cursorPosition:
            let p = try await environment.pointerPosition()
            let api = scaling.toAPI(x: p.x, y: p.y)
            return ToolOutput(output: "X=\(api.x),Y=\(api.y)")
        case .key(let text):
            try await environment.pressChords(try chords(text))
        case .type(let text):
            try await environment.typeText(text)
        case .mouseMove(let point):
            try await move(to: point)
        case .click(let button, let count, let point, let modifiers):
            if let point { try await move(to: point) }
            try await holding(modifiers) { try await environment.click(button: button.rawValue, count: count) }
        case .drag(let start, let end, let modifiers):
            let target = try screenPoint(end)
            let origin = try start.map(screenPoint)
            try await holding(modifiers) {
                if let origin { try await environment.movePointer(x: origin.x, y: origin.y) }
                let from = try await environment.pointerPosition()
                try await environment.button(1, press: true)
                // Intermediate motion, so applications see a drag rather than a jump.
                for step in 1...4 {
                    try await environment.movePointer(
                        x: from.x + (target.x - from.x) * step / 5, y: from.y + (target.y - from.y) * step / 5)
                }
                try await environment.movePointer(x: target.x, y: target.y)
                try await environment.button(1, press: false)
            }
        case .mouseDown:
            try await environment.button(1, press: true)
        case .mouseUp:
            try await environment.button(1, press: false)
        case .scroll(let direction, let amount, let point, let modifiers):
            if let point { try await move(to: point) }
            let wheel = X11Display.ScrollDirection(rawValue: direction.button)!
            try await holding(modifiers) { try await environment.scroll(wheel, amount: amount) }
        case .holdKey(let text, let seconds):
            let chordsToHold = try chords(text)
            for chord in chordsToHold { try await environment.holdKeys(chord, press: true) }
            try await environment.sync()
            try? await Task.sleep(for: .seconds(seconds))
            for chord in chordsToHold.reversed() { try await environment.holdKeys(chord, press: false) }
        case .wait(let seconds):
            try await Task.sleep(for: .seconds(seconds))
            return ToolOutput(image: try await screenshot(after: nil))
        case .zoom(let topLeft, let bottomRight):
            return ToolOutput(image: try await zoom(topLeft, bottomRight))
        }
        // reference §6.2: every input action returns a screenshot of its effect.
        return ToolOutput(image: try await screenshot(after: .now))
    }

    private func chords(_ text: String) throws -> [KeyChord] {
        do {
            return try KeyChord.parseSequence(text)
        } catch {
            throw ToolError("\(error)")
        }
    }

    private func screenPoint(_ point: APIPoint) throws -> (x: Int, y: Int) {
        try scaling.validate(x: point.x, y: point.y)
        return scaling.toScreen(x: point.x, y: point.y)
    }

    private func move(to point: APIPoint) async throws {
        let p = try screenPoint(point)
        try await environment.movePointer(x: p.x, y: p.y)
    }

    /// Runs `body` with the modifier keys in `modifiers` held down (reference §6.2 fix: `text` carries them).
    private func holding(_ modifiers: String?, _ body: () async throws -> Void) async throws {
        guard let modifiers else { return try await body() }
        let held = try chords(modifiers)
        for chord in held { try await environment.holdKeys(chord, press: true) }
        do {
            try await body()
        } catch {
            for chord in held.reversed() { try? await environment.holdKeys(chord, press: false) }
            throw error
        }
        for chord in held.reversed() { try await environment.holdKeys(chord, press: false) }
    }

    // MARK: - Screenshots

    /// Captures the screen, scaled to the advertised size, as PNG. With `after` set, waits first
    /// until the screen settles (two identical frames), starting from that instant.
    func screenshot(after actionTime: ContinuousClock.Instant?) async throws -> ToolImage {
        var frame: CapturedImage
        if let actionTime {
            frame = try await settledFrame(since: actionTime)
        } else {
            frame = try await environment.captureScreen()
        }
        let image = RGBImage(
            bgrx: frame.bytes, width: frame.width, height: frame.height, bytesPerRow: frame.bytesPerRow,
            targetWidth: scaling.apiWidth, targetHeight: scaling.apiHeight)
        return ToolImage(data: PNGEncoder.encode(image), mediaType: "image/png")
    }

    /// Waits until two frames `interval` apart are identical (at least `minimum`, at most `maximum`
    /// seconds after the action) and returns the last one.
    private func settledFrame(since start: ContinuousClock.Instant) async throws -> CapturedImage {
        try await environment.sync()
        let clock = ContinuousClock()
        let minimum = start + .seconds(settle.minimum)
        if clock.now < minimum { try await Task.sleep(until: minimum, clock: clock) }
        var previous = try await environment.captureScreen()
        let deadline = start + .seconds(settle.maximum)
        while clock.now < deadline {
            try await Task.sleep(for: .seconds(settle.interval))
            let current = try await environment.captureScreen()
            if current.bytes == previous.bytes { return current }
            previous = current
        }
        return previous
    }

    /// reference §6.2 zoom, fixed: crop the full-resolution screen (not the scaled screenshot) and
    /// return it at full resolution, shrunk only if it is larger than the advertised display.
    private func zoom(_ topLeft: APIPoint, _ bottomRight: APIPoint) async throws -> ToolImage {
        let a = try screenPoint(topLeft)
        let b = scaling.toScreen(x: min(bottomRight.x, scaling.apiWidth), y: min(bottomRight.y, scaling.apiHeight))
        let width = max(1, min(b.x, scaling.screenWidth) - a.x)
        let height = max(1, min(b.y, scaling.screenHeight) - a.y)
        let frame = try await environment.captureScreen(x: a.x, y: a.y, width: width, height: height)
        var image = RGBImage(bgrx: frame.bytes, width: frame.width, height: frame.height, bytesPerRow: frame.bytesPerRow)
        let shrink = min(1, Double(scaling.apiWidth) / Double(width), Double(scaling.apiHeight) / Double(height))
        if shrink < 1 {
            image = image.scaled(
                toWidth: max(1, Int((Double(width) * shrink).rounded())),
                height: max(1, Int((Double(height) * shrink).rounded())))
        }
        return ToolImage(data: PNGEncoder.encode(image), mediaType: "image/png")
    }
}
