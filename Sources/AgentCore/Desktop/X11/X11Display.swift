/// A connection to an X display for the computer tool: screen capture and input injection, in-process.
///
/// It speaks the X11 wire protocol itself (no libX11, no process per action): captures use MIT-SHM when the
/// server can attach a shared segment (else core GetImage), input goes through XTEST. The actor runs on its own
/// dispatch queue (a custom `SerialExecutor`), so blocking socket I/O never occupies the Swift cooperative pool.
/// Every call waits at most the connection's timeout for the server.
///
/// ```swift
/// let display = try await X11Display(display: 3, authorityFile: "/run/agentd/s1/Xauthority")
/// let shot = try await display.captureScreen()
/// try await display.movePointer(x: 600, y: 500)
/// try await display.click(button: 1, count: 2)
/// for chord in try KeyChord.parseSequence("ctrl+a Delete") { try await display.pressChord(chord) }
/// try await display.typeText("Hello, wörld\n")
/// await display.close()
/// ```
///
/// Errors of requests that have no reply (input events, keyboard-mapping changes) surface at the next call that
/// waits for the server, such as `sync()`.
public actor X11Display {
    /// A scroll direction and its wheel button (4 up, 5 down, 6 left, 7 right).
    public enum ScrollDirection: Int, Sendable, CaseIterable {
        case up = 4, down = 5, left = 6, right = 7
    }

    private nonisolated let executor: X11Executor
    private let connection: X11Connection

    /// The display number.
    public nonisolated let displayNumber: Int
    /// The server's setup information (screen size, depth, keycode range, pixmap formats).
    public nonisolated let setup: X11Setup

    public nonisolated var unownedExecutor: UnownedSerialExecutor { executor.asUnownedSerialExecutor() }

    /// Connects to display `:display`.
    ///
    /// - Parameters:
    ///   - display: The display number (`3` for `:3`).
    ///   - authorityFile: The Xauthority file whose MIT-MAGIC-COOKIE-1 (FamilyLocal for this host or FamilyWild,
    ///     for this display or any) is presented; `nil` presents none.
    ///   - timeout: Seconds any single exchange with the server may take (5 by default).
    /// - Throws: `X11Error` `.connectFailed`, `.authority`, `.refused` (with the server's reason) or `.timeout`.
    public init(display: Int, authorityFile: String?, timeout: Double = 5) async throws(X11Error) {
        let executor = X11Executor(label: "agentd.x11.display\(display)")
        let connection = try await executor.run { () throws(X11Error) in
            try X11Connection(display: display, authorityFile: authorityFile, timeout: timeout)
        }
        self.executor = executor
        self.displayNumber = display
        self.setup = connection.setup
        self.connection = connection
    }

    /// Connects to the display named `display`: `:3`, `:3.0` or `unix:3` (local displays only).
    ///
    /// - Throws: `.invalidArgument` for a name that is not a local display, else as `init(display:authorityFile:timeout:)`.
    public static func connect(display: String, authorityFile: String?, timeout: Double = 5) async throws(X11Error) -> X11Display {
        guard let number = displayNumber(parsing: display) else {
            throw X11Error(.invalidArgument, "'\(display)' is not a local X display name such as :1")
        }
        return try await X11Display(display: number, authorityFile: authorityFile, timeout: timeout)
    }

    /// The display number in a local display name (`:3`, `:3.0`, `unix:3`), or `nil`.
    public static func displayNumber(parsing name: String) -> Int? {
        var rest = Substring(name)
        if rest.hasPrefix("unix:") { rest = rest.dropFirst(5) } else if rest.hasPrefix(":") { rest = rest.dropFirst() } else { return nil }
        if let dot = rest.firstIndex(of: ".") {
            guard Int(rest[rest.index(after: dot)...]) != nil else { return nil }
            rest = rest[..<dot]
        }
        guard let number = Int(rest), number >= 0 else { return nil }
        return number
    }

    /// The screen size in pixels.
    public var size: (width: Int, height: Int) { (setup.width, setup.height) }

    /// Whether captures use MIT-SHM (false: core GetImage). Probes the extension on first use.
    public var usesSharedMemory: Bool { connection.sharedMemoryAvailable }

    // MARK: - Screen

    /// Captures the whole screen as BGRX pixels.
    public func captureScreen() throws(X11Error) -> CapturedImage {
        try connection.capture(x: 0, y: 0, width: setup.width, height: setup.height)
    }

    /// Captures a rectangle of the screen as BGRX pixels.
    ///
    /// - Throws: `.invalidArgument` when the rectangle is empty or not inside the screen.
    public func captureScreen(x: Int, y: Int, width: Int, height: Int) throws(X11Error) -> CapturedImage {
        try connection.capture(x: x, y: y, width: width, height: height)
    }

    // MARK: - Pointer

    /// Moves the pointer to (`x`, `y`) in screen pixels (XTEST absolute motion).
    public func movePointer(x: Int, y: Int) throws(X11Error) {
        try connection.movePointer(x: x, y: y)
    }

    /// The pointer's position in screen pixels (QueryPointer on the root window).
    public func pointerPosition() throws(X11Error) -> (x: Int, y: Int) {
        try connection.pointerPosition()
    }

    /// Presses (`press: true`) or releases button `n`: 1 left, 2 middle, 3 right, 4–7 wheel.
    public func button(_ n: Int, press: Bool) throws(X11Error) {
        try connection.button(n, press: press)
    }

    /// Clicks `button` `count` times in a row (2 = double click, 3 = triple click).
    public func click(button: Int, count: Int = 1) throws(X11Error) {
        try connection.click(button: button, count: count)
    }

    /// Scrolls `amount` wheel clicks in `direction` (buttons 4/5/6/7 pressed and released).
    public func scroll(_ direction: ScrollDirection, amount: Int) throws(X11Error) {
        try connection.click(button: direction.rawValue, count: amount)
    }

    // MARK: - Keyboard

    /// Presses or releases the key producing `keysym` (with Shift when it is on level 1), binding a spare
    /// keycode if no key has it.
    public func key(keysym: UInt32, press: Bool) throws(X11Error) {
        try connection.holdKeys([keysym], press: press)
    }

    /// Presses a chord's keys in order and releases them in reverse order.
    public func pressChord(_ chord: KeyChord) throws(X11Error) {
        try connection.pressChord(chord.keysyms)
    }

    /// Presses several chords one after another (an xdotool `key` sequence such as `ctrl+a Delete`).
    public func pressChords(_ chords: [KeyChord]) throws(X11Error) {
        for chord in chords { try connection.pressChord(chord.keysyms) }
    }

    /// Presses (in order) or releases (in reverse order) a chord's keys; they stay down in between
    /// (`hold_key`, modifiers held during a click).
    public func holdKeys(_ chord: KeyChord, press: Bool) throws(X11Error) {
        try connection.holdKeys(chord.keysyms, press: press)
    }

    /// Types `text` character by character (no delay), and waits until the server has processed every event.
    /// `\n` types Return and `\t` Tab; characters missing from the keyboard map are bound to spare keycodes.
    public func typeText(_ text: String) throws(X11Error) {
        try connection.typeText(text)
    }

    /// Unbinds the keysyms that typing bound to spare keycodes (also done by `close()`).
    public func restoreKeyboardBindings() throws(X11Error) {
        try connection.restoreKeyboardBindings()
    }

    // MARK: - Session

    /// Waits until the server has processed every request sent so far (a round trip, like `XSync`).
    ///
    /// - Throws: the first error of an earlier request that had no reply.
    public func sync() throws(X11Error) {
        try connection.sync()
    }

    /// Whether a window manager is running: `_NET_SUPPORTING_WM_CHECK` on the root window names a live window.
    public func windowManagerReady() throws(X11Error) -> Bool {
        try connection.windowManagerReady()
    }

    /// Whether this call runs on the display's own queue (it always should; for tests).
    func runsOnOwnQueue() -> Bool { executor.isCurrent }

    /// Undoes keyboard bindings, detaches the shared-memory segment and closes the socket. Later calls throw
    /// `.closed`.
    public func close() {
        connection.close()
    }
}
