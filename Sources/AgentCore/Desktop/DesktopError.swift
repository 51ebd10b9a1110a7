/// Why a virtual desktop could not be started, used or attached to.
///
/// The `code` is stable and meant for matching; the `message` is for people and names the program,
/// the display and (for programs that died) the tail of the program's own error output.
///
/// ```swift
/// do { _ = try await VirtualDesktop.start(options: DesktopOptions(width: 100, height: 100)) }
/// catch let error as DesktopError where error.code == .invalidOptions { print(error) }
/// ```
public struct DesktopError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The kind of failure.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private let name: String
        private init(_ name: String) { self.name = name }
        public var description: String { name }

        /// `DesktopOptions` out of range (size, depth, dpi) or a malformed display name.
        public static let invalidOptions = Code("invalidOptions")
        /// The session directory, cookie or configuration files could not be created.
        public static let sessionDirectory = Code("sessionDirectory")
        /// A program (Xvfb, openbox, a launched program) could not be started.
        public static let spawnFailed = Code("spawnFailed")
        /// Xvfb did not report a display number in time.
        public static let serverTimeout = Code("serverTimeout")
        /// Xvfb exited during start-up.
        public static let serverExited = Code("serverExited")
        /// The X connection could not be opened.
        public static let connectionFailed = Code("connectionFailed")
        /// The window manager did not become ready in time, or exited.
        public static let windowManagerFailed = Code("windowManagerFailed")
        /// The desktop was already stopped.
        public static let stopped = Code("stopped")
    }

    /// The kind of failure.
    public let code: Code
    /// What went wrong, for people.
    public let message: String

    /// Creates an error.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
