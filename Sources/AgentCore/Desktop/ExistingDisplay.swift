import Foundation

/// An X display someone else runs, such as the one the operator names with `DISPLAY` (the reference
/// demo's single shared desktop).
///
/// Attaching only connects: nothing is started, and nothing is killed when the connection closes.
///
/// ```swift
/// if let existing = ExistingDisplay.fromEnvironment() {
///     let x11 = try await existing.connect()
/// }
/// ```
public struct ExistingDisplay: Sendable, Hashable {
    /// The display name (`:1`).
    public var displayName: String
    /// The Xauthority file to take the cookie from; nil to connect without one.
    public var authorityFile: String?

    /// Names a display.
    ///
    /// - Parameters:
    ///   - displayName: The display name (`:1`).
    ///   - authorityFile: The Xauthority file, or nil.
    public init(displayName: String, authorityFile: String? = nil) {
        self.displayName = displayName
        self.authorityFile = authorityFile
    }

    /// The display named by agentd's own `DISPLAY`; see `fromEnvironment(_:)`.
    public static func fromEnvironment() -> ExistingDisplay? {
        fromEnvironment(ProcessInfo.processInfo.environment)
    }

    /// The display named by `DISPLAY` in `environment`, with `XAUTHORITY` (else `$HOME/.Xauthority`
    /// when it exists) as its cookie file; nil when `DISPLAY` is unset or empty.
    public static func fromEnvironment(_ environment: [String: String]) -> ExistingDisplay? {
        guard let name = environment["DISPLAY"], !name.isEmpty else { return nil }
        var authority = environment["XAUTHORITY"].flatMap { $0.isEmpty ? nil : $0 }
        if authority == nil, let home = environment["HOME"], FileManager.default.fileExists(atPath: home + "/.Xauthority") {
            authority = home + "/.Xauthority"
        }
        return ExistingDisplay(displayName: name, authorityFile: authority)
    }

    /// `DISPLAY` (and `XAUTHORITY` when known) for processes that should use this display.
    public var environment: [String: String] {
        var variables = ["DISPLAY": displayName]
        if let authorityFile { variables["XAUTHORITY"] = authorityFile }
        return variables
    }

    /// Opens a connection to the display.
    ///
    /// - Throws: `DesktopError` `.connectionFailed` (with the X client's reason).
    public func connect() async throws(DesktopError) -> X11Display {
        do {
            return try await X11Display.connect(display: displayName, authorityFile: authorityFile)
        } catch {
            throw DesktopError(.connectionFailed, "cannot connect to display \(displayName): \(error)")
        }
    }
}

extension VirtualDesktop {
    /// Connects to a display this process did not start (the operator's `DISPLAY`); starts and kills
    /// nothing.
    ///
    /// - Parameters:
    ///   - display: The display name (`:1`).
    ///   - authorityFile: The Xauthority file, or nil.
    /// - Throws: `DesktopError` `.connectionFailed`.
    public static func attach(display: String, authorityFile: String?) async throws(DesktopError) -> X11Display {
        try await ExistingDisplay(displayName: display, authorityFile: authorityFile).connect()
    }
}
