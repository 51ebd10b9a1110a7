/// What a session's computer is, independent of how it is provided: a screen to capture, a pointer
/// and a keyboard. `X11Display` is the implementation for Xvfb desktops and operator-named displays.
public protocol ComputerEnvironment: Sendable {
    /// The X display number, when there is one (sent as the tool's `display_number`).
    var xDisplayNumber: Int? { get }
    /// The screen size in pixels.
    func screenSize() async throws -> (width: Int, height: Int)
    /// The whole screen, as BGRX pixels.
    func captureScreen() async throws -> CapturedImage
    /// A rectangle of the screen at full resolution.
    func captureScreen(x: Int, y: Int, width: Int, height: Int) async throws -> CapturedImage
    func movePointer(x: Int, y: Int) async throws
    func pointerPosition() async throws -> (x: Int, y: Int)
    /// Presses or releases mouse button `n` (1 left, 2 middle, 3 right).
    func button(_ n: Int, press: Bool) async throws
    /// Clicks button `n` `count` times.
    func click(button n: Int, count: Int) async throws
    /// Turns the wheel `amount` clicks.
    func scroll(_ direction: X11Display.ScrollDirection, amount: Int) async throws
    /// Presses each chord in turn (keys in order, released in reverse).
    func pressChords(_ chords: [KeyChord]) async throws
    /// Holds down (or releases) the keys of a chord.
    func holdKeys(_ chord: KeyChord, press: Bool) async throws
    /// Types text exactly, including characters the keymap lacks.
    func typeText(_ text: String) async throws
    /// Returns once the server has processed everything sent so far.
    func sync() async throws
}

extension X11Display: ComputerEnvironment {
    public nonisolated var xDisplayNumber: Int? { displayNumber }
    public func screenSize() async throws -> (width: Int, height: Int) { size }
}
