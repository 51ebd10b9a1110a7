/// The browser a virtual desktop opens when it starts (the seed's `environment: "browser"`).
///
/// Chromium runs as root here, so it always gets `--no-sandbox` and `--test-type` (the latter hides the
/// "unsupported command-line flag" infobar that would otherwise cover 63 px of every screenshot), and a
/// profile of its own inside the session directory unless `profileDirectory` names one.
///
/// ```swift
/// let options = DesktopOptions(browser: BrowserOptions(startingURL: "https://example.com"))
/// ```
public struct BrowserOptions: Sendable, Hashable {
    /// The page the browser opens at start.
    public var startingURL: String
    /// The `--user-data-dir`; nil means a fresh profile in the session directory, removed with it.
    public var profileDirectory: String?
    /// The browser executable.
    public var executable: String
    /// Arguments added after the built-in ones (before the URL).
    public var extraArguments: [String]

    /// The Chromium of this machine.
    public static let defaultExecutable = "/usr/bin/chromium"

    /// Creates browser options.
    ///
    /// - Parameters:
    ///   - startingURL: The page opened at start.
    ///   - profileDirectory: The profile directory; nil for a per-session one.
    ///   - executable: The browser executable.
    ///   - extraArguments: More command-line flags.
    public init(
        startingURL: String = "about:blank", profileDirectory: String? = nil,
        executable: String = BrowserOptions.defaultExecutable, extraArguments: [String] = []
    ) {
        self.startingURL = startingURL
        self.profileDirectory = profileDirectory
        self.executable = executable
        self.extraArguments = extraArguments
    }
}
