import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A private X desktop for one agent session: Xvfb, openbox, and the programs started on it.
///
/// `start` creates a session directory (0700) holding a FamilyWild cookie (written before Xvfb
/// starts, so only holders of the cookie can connect), a `HOME` and a browser profile; starts
/// `Xvfb -displayfd`, which picks a free display itself; opens an X connection that stays open for
/// the desktop's life (with `-noreset` this keeps the server from resetting); starts openbox with a
/// private configuration and waits until it has claimed the screen. `stop()` ends every process the
/// desktop started, leaves first, and removes the server's lock file and socket and the session
/// directory.
///
/// ```swift
/// let desktop = try await VirtualDesktop.start(options: DesktopOptions(width: 1280, height: 800))
/// try await desktop.launch("/usr/bin/xterm", arguments: [])
/// let shellEnvironment = desktop.environment  // DISPLAY, XAUTHORITY, HOME for the session's bash
/// await desktop.stop()
/// ```
public actor VirtualDesktop {
    /// The display number (`3` for `:3`).
    public nonisolated let display: Int
    /// The display name for `DISPLAY` (`:3`).
    public nonisolated let displayName: String
    /// The Xauthority file holding the desktop's cookie.
    public nonisolated let authorityFile: String
    /// The `HOME` of the desktop's programs, inside the session directory.
    public nonisolated let homeDirectory: String
    /// Screen width in pixels.
    public nonisolated let width: Int
    /// Screen height in pixels.
    public nonisolated let height: Int
    /// `DISPLAY`, `XAUTHORITY` and `HOME` for processes that should use this desktop (the session's bash).
    public nonisolated let environment: [String: String]
    /// The desktop's own X connection, open until `stop()`.
    public nonisolated let x11: X11Display
    /// The options the desktop was started with.
    public nonisolated let options: DesktopOptions
    /// How long `start` took, from the call until the desktop was ready (browser launch not included).
    public nonisolated let startupTime: Duration
    /// The session directory (cookie, home, profile, logs).
    public nonisolated let sessionDirectory: String

    nonisolated let session: DesktopSessionDirectory
    nonisolated let processes: DesktopProcessTable
    /// The full environment of launched programs: agentd's, scrubbed, plus `environment`.
    let programEnvironment: [String: String]
    private var stopping: Task<Void, Never>?

    /// Where session directories go by default: the system's temporary directory.
    public static var defaultWorkDirectory: String {
        FileManager.default.temporaryDirectory.path
    }

    init(
        display: Int, options: DesktopOptions, session: DesktopSessionDirectory, processes: DesktopProcessTable,
        x11: X11Display, inherited: [String: String], startupTime: Duration
    ) {
        self.display = display
        displayName = ":\(display)"
        authorityFile = session.authorityFile
        homeDirectory = session.home
        width = options.width
        height = options.height
        self.options = options
        self.session = session
        sessionDirectory = session.path
        self.processes = processes
        self.x11 = x11
        self.startupTime = startupTime
        environment = DesktopEnvironment.desktopVariables(
            displayName: ":\(display)", authorityFile: session.authorityFile, home: session.home)
        var launched = environment
        launched[DesktopEnvironment.markName] = session.path
        programEnvironment = DesktopEnvironment.make(inherited: inherited, desktop: launched)
    }

    deinit {
        // Best effort, synchronous: no grace, leaves first, then the server; the X connection closes
        // when its actor goes away.
        guard let parts = processes.closeForTeardown() else { return }
        processes.terminate(parts.programs + [parts.windowManager].compactMap { $0 }, grace: 0)
        if let server = parts.server {
            XvfbServer.stop(server, grace: 0.25)
            XvfbServer.removeLeftovers(display: display, serverPID: server.pid)
        }
        processes.killEscapees()
        session.remove()
    }

    /// Whether `stop()` has begun.
    public nonisolated var isStopped: Bool { processes.isClosed }

    /// The pids of the processes the desktop started and still tracks: Xvfb, openbox, launched
    /// programs (not their children).
    public nonisolated var processIDs: [Int32] { processes.trackedPIDs }

    // MARK: - Stopping

    /// Ends everything the desktop started and removes its files. Idempotent; concurrent callers all
    /// wait for the one teardown.
    ///
    /// Launched programs and openbox get `SIGTERM` (Chromium then shuts its own children down) and
    /// `grace` to finish; what is left is killed with `SIGKILL`, leaves first, so each process is
    /// reaped by its parent where the parent is still there (orphans go to PID 1). Programs that
    /// escaped their trees but carry the desktop's mark (`AGENTD_DESKTOP`, set only for programs it
    /// launched) are killed too; processes merely given `environment` (the session's bash) are not. Then the X connection is closed, Xvfb is
    /// stopped, its `/tmp/.X<n>-lock` and `/tmp/.X11-unix/X<n>` are removed if it left them, and the
    /// session directory is removed.
    ///
    /// - Parameter grace: How long programs get between `SIGTERM` and `SIGKILL`.
    public func stop(grace: Duration = .seconds(1)) async {
        if let stopping {
            await stopping.value
            return
        }
        let task = Task { [processes, x11, session, display] in
            await Self.tearDown(
                processes: processes, x11: x11, session: session, display: display,
                grace: DesktopClock.seconds(grace))
        }
        stopping = task
        await task.value
    }

    static func tearDown(
        processes: DesktopProcessTable, x11: X11Display?, session: DesktopSessionDirectory, display: Int?,
        grace: Double
    ) async {
        guard let parts = processes.closeForTeardown() else { return }
        let clients = parts.programs + [parts.windowManager].compactMap { $0 }
        await DedicatedThread.run(name: "desktop-stop") { processes.terminate(clients, grace: grace) }
        await x11?.close()
        await DedicatedThread.run(name: "desktop-stop") {
            if let server = parts.server {
                XvfbServer.stop(server, grace: 1)
                if let display { XvfbServer.removeLeftovers(display: display, serverPID: server.pid) }
            }
            processes.killEscapees()
            session.remove()
        }
    }
}
