import Foundation

extension VirtualDesktop {
    /// Starts a desktop and returns once it is ready for windows.
    ///
    /// Ready means: Xvfb accepts connections, the desktop's X connection is open, and (unless
    /// `options.startWindowManager` is false) openbox has set `_NET_SUPPORTING_WM_CHECK`, answers
    /// requests (a `_NET_REQUEST_FRAME_EXTENTS` round trip, see `WindowManagerProbe`), and
    /// `options.windowManagerSettle` has passed. `options.browser`, if set, is then launched (not
    /// waited for). On failure everything started so far is stopped and the session directory removed.
    ///
    /// ```swift
    /// let desktop = try await VirtualDesktop.start(options: DesktopOptions(), workDirectory: "/run/agentd")
    /// ```
    ///
    /// - Parameters:
    ///   - options: Screen, window manager and browser.
    ///   - workDirectory: Where the session directory is created.
    /// - Throws: `DesktopError` (`.invalidOptions`, `.sessionDirectory`, `.spawnFailed`,
    ///   `.serverTimeout`, `.serverExited`, `.connectionFailed`, `.windowManagerFailed`), or
    ///   `CancellationError`.
    public static func start(
        options: DesktopOptions = DesktopOptions(), workDirectory: String = VirtualDesktop.defaultWorkDirectory
    ) async throws -> VirtualDesktop {
        let began = ContinuousClock.now
        try options.validate()
        let session = try DesktopSessionDirectory.create(in: workDirectory)
        let processes = DesktopProcessTable(session: session)
        var display: Int?
        var x11: X11Display?
        do {
            do {
                try XAuthority.writeWildcardCookie(to: session.authorityFile, cookie: XAuthority.randomCookie())
            } catch {
                throw DesktopError(.sessionDirectory, "cannot write the desktop's cookie: \(error)")
            }
            let inherited = ProcessInfo.processInfo.environment
            let server = try await startServer(options: options, session: session, inherited: inherited)
            processes.setServer(server.process)
            display = server.display
            let connection = try await connect(display: server.display, session: session)
            x11 = connection
            if options.startWindowManager {
                try await startWindowManager(
                    display: server.display, options: options, session: session, processes: processes,
                    x11: connection, inherited: inherited)
            }
            let desktop = VirtualDesktop(
                display: server.display, options: options, session: session, processes: processes,
                x11: connection, inherited: inherited, startupTime: ContinuousClock.now - began)
            if let browser = options.browser {
                do { try await desktop.openBrowser(url: browser.startingURL) } catch {
                    await desktop.stop()
                    throw error
                }
            }
            return desktop
        } catch {
            await tearDown(processes: processes, x11: x11, session: session, display: display, grace: 0)
            throw error
        }
    }

    private static func startServer(
        options: DesktopOptions, session: DesktopSessionDirectory, inherited: [String: String]
    ) async throws(DesktopError) -> (process: DesktopProcess, display: Int) {
        var environment = DesktopEnvironment.make(inherited: inherited, desktop: ["HOME": session.home])
        environment["DISPLAY"] = nil
        environment["XAUTHORITY"] = nil
        let serverEnvironment = environment
        let result = await DedicatedThread.run(name: "desktop-xvfb") {
            Result { () throws(DesktopError) in
                try XvfbServer.start(
                    options: options, authorityFile: session.authorityFile, log: session.log("xvfb"),
                    environment: serverEnvironment, timeout: options.startTimeout)
            }
        }
        return try result.get()
    }

    private static func connect(display: Int, session: DesktopSessionDirectory) async throws(DesktopError) -> X11Display {
        do {
            return try await X11Display.connect(display: ":\(display)", authorityFile: session.authorityFile)
        } catch {
            throw DesktopError(.connectionFailed, "cannot connect to the desktop's display :\(display): \(error)")
        }
    }

    /// Starts openbox and waits until it has set `_NET_SUPPORTING_WM_CHECK` and its event loop answers
    /// (`WindowManagerProbe`), then waits `options.windowManagerSettle`.
    private static func startWindowManager(
        display: Int, options: DesktopOptions, session: DesktopSessionDirectory, processes: DesktopProcessTable,
        x11: X11Display, inherited: [String: String]
    ) async throws {
        var desktop = DesktopEnvironment.desktopVariables(
            displayName: ":\(display)", authorityFile: session.authorityFile, home: session.home)
        // Only the private rc.xml and menu.xml: no /etc/xdg autostart, no distribution menu.
        desktop["XDG_CONFIG_HOME"] = session.configDirectory
        desktop["XDG_CONFIG_DIRS"] = session.configDirectory
        desktop[DesktopEnvironment.markName] = session.path
        let log = session.log("openbox")
        let pid = try DesktopSpawner.spawn(
            arguments: ["/usr/bin/openbox", "--sm-disable"],
            environment: DesktopEnvironment.make(inherited: inherited, desktop: desktop), log: log)
        let windowManager = DesktopProcess(pid: pid, name: "openbox")
        processes.setWindowManager(windowManager)

        let deadline = ContinuousClock.now + options.startTimeout
        while true {
            let ready: Bool
            do { ready = try await x11.windowManagerReady() } catch {
                throw DesktopError(.connectionFailed, "lost the desktop's display :\(display): \(error)")
            }
            if ready { break }
            if let code = windowManager.exitCode {
                throw DesktopError(
                    .windowManagerFailed,
                    "openbox exited during start-up (status \(code)): \(DesktopSessionDirectory.tail(of: log))")
            }
            guard ContinuousClock.now < deadline else {
                throw DesktopError(
                    .windowManagerFailed,
                    "openbox did not become ready within \(options.startTimeout): \(DesktopSessionDirectory.tail(of: log))")
            }
            try await Task.sleep(for: .milliseconds(5))
        }
        // The check property is set before openbox's event loop runs: wait until the loop answers.
        let file = session.authorityFile
        let probeTimeout = DesktopClock.seconds(deadline - ContinuousClock.now)
        let answered = await DedicatedThread.run(name: "desktop-wm-probe") {
            Result { () throws(X11Error) in
                try WindowManagerProbe.answers(display: display, authorityFile: file, timeout: max(probeTimeout, 0.1))
            }
        }
        switch answered {
        case .success(true):
            break
        case .success(false):
            throw DesktopError(
                .windowManagerFailed,
                "openbox did not answer within \(options.startTimeout): \(DesktopSessionDirectory.tail(of: log))")
        case .failure(let error):
            throw DesktopError(.connectionFailed, "lost the desktop's display :\(display): \(error)")
        }
        if options.windowManagerSettle > .zero {
            try await Task.sleep(for: options.windowManagerSettle)
        }
    }
}
