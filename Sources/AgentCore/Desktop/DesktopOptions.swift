/// How a virtual desktop is set up: screen size, window manager, browser.
///
/// The defaults give a 1280x800x24 screen at 96 dpi with openbox and no browser. Values are checked
/// by `validate()`, which `VirtualDesktop.start` calls.
///
/// ```swift
/// let options = DesktopOptions(width: 1920, height: 1080, browser: BrowserOptions(startingURL: "about:blank"))
/// try options.validate()
/// ```
public struct DesktopOptions: Sendable, Hashable {
    /// Allowed screen widths in pixels.
    public static let widthRange = 320...7680
    /// Allowed screen heights in pixels.
    public static let heightRange = 200...4320
    /// Allowed dots per inch.
    public static let dpiRange = 24...960

    /// Screen width in pixels.
    public var width: Int
    /// Screen height in pixels.
    public var height: Int
    /// Bits per pixel of the screen; only 24 is supported (captures assume 32-bit BGRX pixels).
    public var depth: Int
    /// Whether openbox manages the desktop's windows.
    public var startWindowManager: Bool
    /// A browser to open at start, or nil.
    public var browser: BrowserOptions?
    /// The screen's dots per inch (`Xvfb -dpi`).
    public var dpi: Int
    /// An extra wait after the window manager is ready (zero by default).
    ///
    /// desktop-perf §3: a window mapped right after openbox sets `_NET_SUPPORTING_WM_CHECK` could stall
    /// about 5 s, and a fixed 0.5 s wait removed the stall there. The desktop now waits instead until
    /// openbox's event loop answers a request (`WindowManagerProbe`), which removed the stall without
    /// the fixed wait: 0 of 64 xterms stalled with 4 and 8 desktops starting at once, against 10 of 48
    /// without the probe. Kept for experiments and belt-and-braces deployments.
    public var windowManagerSettle: Duration
    /// How long Xvfb and the window manager each get to become ready.
    public var startTimeout: Duration

    /// Creates desktop options; see the properties for each value.
    public init(
        width: Int = 1280, height: Int = 800, depth: Int = 24, startWindowManager: Bool = true,
        browser: BrowserOptions? = nil, dpi: Int = 96,
        windowManagerSettle: Duration = .zero, startTimeout: Duration = .seconds(5)
    ) {
        self.width = width
        self.height = height
        self.depth = depth
        self.startWindowManager = startWindowManager
        self.browser = browser
        self.dpi = dpi
        self.windowManagerSettle = windowManagerSettle
        self.startTimeout = startTimeout
    }

    /// Checks every value.
    ///
    /// - Throws: `DesktopError` with code `.invalidOptions`, naming the value and its allowed range.
    public func validate() throws(DesktopError) {
        guard Self.widthRange.contains(width), Self.heightRange.contains(height) else {
            throw DesktopError(
                .invalidOptions,
                "desktop size \(width)x\(height) is out of range: width must be "
                    + "\(Self.widthRange.lowerBound)...\(Self.widthRange.upperBound) and height "
                    + "\(Self.heightRange.lowerBound)...\(Self.heightRange.upperBound)"
            )
        }
        guard depth == 24 else {
            throw DesktopError(.invalidOptions, "desktop depth \(depth) is not supported: use 24")
        }
        guard Self.dpiRange.contains(dpi) else {
            throw DesktopError(
                .invalidOptions,
                "desktop dpi \(dpi) is out of range \(Self.dpiRange.lowerBound)...\(Self.dpiRange.upperBound)"
            )
        }
        guard windowManagerSettle >= .zero, startTimeout > .zero else {
            throw DesktopError(.invalidOptions, "desktop timings must not be negative")
        }
    }
}
