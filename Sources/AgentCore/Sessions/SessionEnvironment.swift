/// The computer a session's tools act on.
public enum SessionEnvironment: Sendable, Hashable {
    /// No screen: bash and the editor only.
    case none
    /// A private virtual desktop of this size.
    case desktop(width: Int, height: Int)
    /// A private virtual desktop showing Chromium at `startingURL`.
    case browser(width: Int, height: Int, startingURL: String)

    /// `none`, `desktop` or `browser`.
    public var kind: String {
        switch self {
        case .none: "none"
        case .desktop: "desktop"
        case .browser: "browser"
        }
    }

    /// Whether the environment has a screen (and so can host the computer tool).
    public var hasScreen: Bool { self != .none }

    public var json: JSONValue {
        switch self {
        case .none: ["kind": "none"]
        case .desktop(let w, let h): ["kind": "desktop", "width": .int(w), "height": .int(h)]
        case .browser(let w, let h, let url):
            ["kind": "browser", "width": .int(w), "height": .int(h), "starting_url": .string(url)]
        }
    }

    /// Reads `{"kind": ..., "width": ..., "height": ..., "starting_url": ...}`, or a bare kind string.
    public init(json: JSONValue, defaultWidth: Int = 1280, defaultHeight: Int = 800,
                defaultURL: String = "about:blank") throws(SessionError) {
        let kind = json.stringValue ?? json["kind"]?.stringValue ?? "none"
        let width = json["width"]?.intValue ?? defaultWidth
        let height = json["height"]?.intValue ?? defaultHeight
        if kind != "none" {
            guard DesktopOptions.widthRange.contains(width), DesktopOptions.heightRange.contains(height) else {
                throw .invalidValue(
                    "environment width must be in \(DesktopOptions.widthRange) and height in \(DesktopOptions.heightRange)")
            }
        }
        switch kind {
        case "none": self = .none
        case "desktop": self = .desktop(width: width, height: height)
        case "browser":
            self = .browser(width: width, height: height, startingURL: json["starting_url"]?.stringValue ?? defaultURL)
        default: throw .invalidValue("environment.kind must be none, desktop or browser, not '\(kind)'")
        }
    }
}
