/// Maps between the screen's pixels and the smaller size advertised to the model
/// (reference §6.2 "Scaling", with its bounds-check bug fixed).
///
/// The advertised size is the first of XGA 1024x768, WXGA 1280x800 and FWXGA 1366x768 whose aspect
/// ratio is within 0.02 of the screen's, and only if it is narrower than the screen; otherwise the
/// screen's own size. A 1920x1080 screen is advertised as 1366x768.
public struct ScreenScaling: Sendable, Hashable {
    public let screenWidth: Int
    public let screenHeight: Int
    /// The size the model sees (`display_width_px` / `display_height_px`).
    public let apiWidth: Int
    public let apiHeight: Int

    /// reference §6.2: the targets, in the order they are tried.
    static let targets = [(1024, 768), (1280, 800), (1366, 768)]

    public init(screenWidth: Int, screenHeight: Int, enabled: Bool = true) {
        self.screenWidth = screenWidth
        self.screenHeight = screenHeight
        var target = (screenWidth, screenHeight)
        if enabled {
            let ratio = Double(screenWidth) / Double(screenHeight)
            for (w, h) in Self.targets where abs(Double(w) / Double(h) - ratio) < 0.02 {
                if w < screenWidth { target = (w, h) }
                break  // reference §6.2: the first matching ratio decides, scaled or not
            }
        }
        (apiWidth, apiHeight) = target
    }

    public var isScaling: Bool { apiWidth != screenWidth || apiHeight != screenHeight }

    /// A point from the model's space to the screen's: `round(x / fx)`.
    public func toScreen(x: Int, y: Int) -> (x: Int, y: Int) {
        (Self.round(Double(x) * Double(screenWidth) / Double(apiWidth)),
         Self.round(Double(y) * Double(screenHeight) / Double(apiHeight)))
    }

    /// A point from the screen's space to the model's: `round(x · fx)`.
    public func toAPI(x: Int, y: Int) -> (x: Int, y: Int) {
        (Self.round(Double(x) * Double(apiWidth) / Double(screenWidth)),
         Self.round(Double(y) * Double(apiHeight) / Double(screenHeight)))
    }

    /// Checks a model coordinate against the ADVERTISED size (the reference demo compared it with the
    /// screen size, letting clicks past the advertised edge through).
    func validate(x: Int, y: Int) throws {
        guard x < apiWidth, y < apiHeight else { throw ToolError("Coordinates \(x), \(y) are out of bounds") }
    }

    /// Python's `round`: halves go to the even neighbour.
    static func round(_ value: Double) -> Int { Int(value.rounded(.toNearestOrEven)) }
}
