#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

extension VirtualDesktop {
    /// Starts a program on the desktop and returns its pid.
    ///
    /// The program runs in a session and process group of its own, with stdin from `/dev/null`, its
    /// output appended to `logs/<name>.log` in the session directory, and agentd's environment scrubbed
    /// of secrets (as for the bash tool) with this desktop's `DISPLAY`, `XAUTHORITY` and `HOME`. It and
    /// everything it starts are ended by `stop()`.
    ///
    /// ```swift
    /// let pid = try await desktop.launch("/usr/bin/xterm", arguments: ["-e", "bash"])
    /// ```
    ///
    /// - Parameters:
    ///   - executable: An absolute path, or a name looked up in `PATH`.
    ///   - arguments: The arguments after the executable.
    /// - Returns: The pid (also the process-group id).
    /// - Throws: `DesktopError` `.spawnFailed`, or `.stopped` after `stop()`.
    @discardableResult
    public func launch(_ executable: String, arguments: [String] = []) throws(DesktopError) -> Int32 {
        guard !isStopped else { throw DesktopError(.stopped, "the desktop :\(display) has been stopped") }
        let name = executable.split(separator: "/").last.map(String.init) ?? executable
        let pid = try DesktopSpawner.spawn(
            arguments: [executable] + arguments, environment: programEnvironment, log: session.log(name))
        let process = DesktopProcess(pid: pid, name: name)
        do {
            try processes.addProgram(process)
        } catch {
            process.forceKill()
            throw error
        }
        return pid
    }

    /// Opens `url` in Chromium on the desktop.
    ///
    /// The browser gets the desktop's `BrowserOptions` (or the defaults): a per-session profile,
    /// `--no-sandbox --test-type` (it runs as root), the lean flags of desktop-perf §3, and a window
    /// at 0,0 covering the screen. A second call while the browser runs opens a new window in it.
    ///
    /// - Parameter url: The page to open (`https://…`, `file://…`, `about:blank`).
    /// - Returns: The pid of the started browser process.
    /// - Throws: `DesktopError` `.spawnFailed`, or `.stopped` after `stop()`.
    @discardableResult
    public func openBrowser(url: String) throws(DesktopError) -> Int32 {
        let browser = options.browser ?? BrowserOptions()
        let arguments = ChromiumCommand.arguments(
            url: url, options: browser, defaultProfile: session.browserProfile, width: width, height: height)
        return try launch(browser.executable, arguments: arguments)
    }
}
