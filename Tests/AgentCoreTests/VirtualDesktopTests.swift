import AgentTesting
import Foundation
import Testing
@testable import AgentCore

/// End-to-end tests of `VirtualDesktop`: real Xvfb, openbox, xterm and Chromium processes.
///
/// Serialized: the desktops compete for two cores, and the timing test wants a quiet machine.
@Suite(.serialized, .timeLimit(.minutes(3)))
struct VirtualDesktopTests {
    // MARK: - Options

    @Test func defaultsMatchTheBrief() {
        let options = DesktopOptions()
        #expect(options.width == 1280 && options.height == 800 && options.depth == 24 && options.dpi == 96)
        #expect(options.startWindowManager)
        #expect(options.browser == nil)
    }

    @Test(arguments: [(100, 800), (1280, 100), (8000, 800), (1280, 5000)])
    func outOfRangeSizesAreRejected(width: Int, height: Int) async throws {
        let error = await #expect(throws: DesktopError.self) {
            _ = try await VirtualDesktop.start(options: DesktopOptions(width: width, height: height))
        }
        #expect(error?.code == .invalidOptions)
        #expect(error?.message.contains("320...7680") == true)
        #expect(error?.message.contains("200...4320") == true)
    }

    @Test func unsupportedDepthIsRejected() {
        #expect(throws: DesktopError(.invalidOptions, "desktop depth 16 is not supported: use 24")) {
            try DesktopOptions(depth: 16).validate()
        }
        #expect(throws: Never.self) { try DesktopOptions(width: 320, height: 200).validate() }
        #expect(throws: Never.self) { try DesktopOptions(width: 7680, height: 4320).validate() }
    }

    @Test func programEnvironmentIsScrubbedAndPointsAtTheDesktop() {
        let inherited = [
            "PATH": "/usr/bin:/bin", "ANTHROPIC_API_KEY": "sk-secret", "GH_TOKEN": "t", "DISPLAY": ":0",
            "XAUTHORITY": "/root/.Xauthority", "DBUS_SESSION_BUS_ADDRESS": "unix:path=/run/bus",
            "XDG_CONFIG_HOME": "/root/.config", "HOME": "/root", "LANG": "C.UTF-8",
        ]
        let desktop = DesktopEnvironment.desktopVariables(displayName: ":7", authorityFile: "/s/Xauthority", home: "/s/home")
        let environment = DesktopEnvironment.make(inherited: inherited, desktop: desktop)
        #expect(environment == [
            "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8",
            "DISPLAY": ":7", "XAUTHORITY": "/s/Xauthority", "HOME": "/s/home",
        ])
    }

    @Test func chromiumCommandHasTheRootAndLeanFlags() {
        let arguments = ChromiumCommand.arguments(
            url: "file:///tmp/a.html", options: BrowserOptions(extraArguments: ["--lang=en"]),
            defaultProfile: "/s/chromium-profile", width: 1024, height: 768)
        for flag in [
            "--no-sandbox", "--test-type", "--no-first-run", "--password-store=basic",
            "--user-data-dir=/s/chromium-profile", "--window-position=0,0", "--window-size=1024,768",
            "--disable-gpu", "--disable-features=Translate,MediaRouter,OptimizationHints", "--disable-default-apps",
        ] {
            #expect(arguments.contains(flag), "\(flag)")
        }
        #expect(Array(arguments.suffix(3)) == ["--lang=en", "--", "file:///tmp/a.html"])
    }

    @Test func existingDisplayComesFromTheEnvironment() {
        #expect(ExistingDisplay.fromEnvironment([:]) == nil)
        #expect(ExistingDisplay.fromEnvironment(["DISPLAY": ""]) == nil)
        let named = ExistingDisplay.fromEnvironment(["DISPLAY": ":1", "XAUTHORITY": "/a/Xauthority"])
        #expect(named == ExistingDisplay(displayName: ":1", authorityFile: "/a/Xauthority"))
        #expect(named?.environment == ["DISPLAY": ":1", "XAUTHORITY": "/a/Xauthority"])
        #expect(ExistingDisplay.fromEnvironment(["DISPLAY": ":1", "HOME": "/nonexistent"])?.authorityFile == nil)
    }

    // MARK: - Start and stop

    @Test func startsAReadyDesktop() async throws {
        let desktop = try await VirtualDesktop.start(options: DesktopOptions(), workDirectory: Self.workDirectory)
        let started = desktop.processIDs
        #expect(desktop.displayName == ":\(desktop.display)")
        #expect(desktop.width == 1280 && desktop.height == 800)
        #expect(desktop.x11.setup.width == 1280 && desktop.x11.setup.height == 800)
        #expect(desktop.x11.setup.rootDepth == 24)
        #expect(try await desktop.x11.windowManagerReady())
        #expect(desktop.environment == [
            "DISPLAY": desktop.displayName, "XAUTHORITY": desktop.authorityFile, "HOME": desktop.homeDirectory,
        ])
        #expect(started.count == 2)
        #expect(Set(started.map(Self.commandName)) == ["Xvfb", "openbox"])

        // Private files: a 0700 session directory holding a 0600 cookie and the HOME.
        #expect(Self.mode(of: desktop.sessionDirectory) == 0o700)
        #expect(Self.mode(of: desktop.authorityFile) == 0o600)
        #expect(desktop.authorityFile.hasPrefix(desktop.sessionDirectory + "/"))
        #expect(desktop.homeDirectory.hasPrefix(desktop.sessionDirectory + "/"))
        let cookie = try XAuthority(contentsOf: desktop.authorityFile)
        #expect(cookie.entries.count == 1 && cookie.entries[0].family == XAuthority.familyWild)
        // `-displayfd` turns Xvfb's lock file off (it sets `nolock`); the socket is there.
        #expect(FileManager.default.fileExists(atPath: XvfbServer.socketFile(display: desktop.display)))
        // openbox runs with only the private configuration.
        let openbox = try #require(started.first { Self.commandName($0) == "openbox" })
        let openboxEnvironment = ProcessEnvironment.environment(of: openbox) ?? []
        #expect(openboxEnvironment.contains("XDG_CONFIG_DIRS=\(desktop.sessionDirectory)/config"))
        #expect(openboxEnvironment.contains("DISPLAY=\(desktop.displayName)"))

        await desktop.stop()
        try Self.expectNothingLeft(of: desktop, started: started)
    }

    @Test func fullHDDesktopHasTheAskedSize() async throws {
        let desktop = try await VirtualDesktop.start(
            options: DesktopOptions(width: 1920, height: 1080), workDirectory: Self.workDirectory)
        #expect(desktop.x11.setup.width == 1920 && desktop.x11.setup.height == 1080)
        let size = await desktop.x11.size
        #expect(size.width == 1920 && size.height == 1080)
        let started = desktop.processIDs
        await desktop.stop()
        try Self.expectNothingLeft(of: desktop, started: started)
    }

    @Test func clientsWithoutTheCookieAreRefused() async throws {
        let desktop = try await VirtualDesktop.start(options: DesktopOptions(), workDirectory: Self.workDirectory)
        let started = desktop.processIDs
        let noCookie = await #expect(throws: X11Error.self) {
            _ = try await X11Display.connect(display: desktop.displayName, authorityFile: nil)
        }
        #expect(noCookie?.code == .refused)
        // Another session's cookie is refused too.
        let otherCookie = "\(Self.workDirectory)/other-\(getpid())-\(desktop.display).xauth"
        try XAuthority.writeWildcardCookie(to: otherCookie, cookie: XAuthority.randomCookie())
        defer { try? FileManager.default.removeItem(atPath: otherCookie) }
        let wrongCookie = await #expect(throws: X11Error.self) {
            _ = try await X11Display.connect(display: desktop.displayName, authorityFile: otherCookie)
        }
        #expect(wrongCookie?.code == .refused)
        // The desktop's own cookie works, through attach (which starts and stops nothing).
        let attached = try await VirtualDesktop.attach(display: desktop.displayName, authorityFile: desktop.authorityFile)
        #expect(try await attached.windowManagerReady())
        await attached.close()
        #expect(desktop.processIDs.allSatisfy { Self.isAlive($0) }, "attaching and closing killed nothing")
        #expect(try await desktop.x11.windowManagerReady(), "the desktop's own connection is unaffected")
        await desktop.stop()
        try Self.expectNothingLeft(of: desktop, started: started)
    }

    @Test func launchedXtermShowsAWindowAndStopEndsIt() async throws {
        let desktop = try await VirtualDesktop.start(options: DesktopOptions(), workDirectory: Self.workDirectory)
        // Launched at once after start: no 5 s mapping stall (xdotool's --sync polls every 0.5 s).
        let launched = ContinuousClock.now
        let xterm = try await desktop.launch("/usr/bin/xterm", arguments: ["-e", "/bin/bash", "--norc"])
        let found = try await Self.run(
            ["/usr/bin/xdotool", "search", "--sync", "--onlyvisible", "--class", "xterm"],
            environment: desktop.environment, timeout: 30)
        let visible = ContinuousClock.now - launched
        #expect(found.status == 0, "xterm's window is visible: \(found.output)")
        print("xterm visible after \(visible) (the 5 s mapping stall is measured by make bench)")
        let environment = ProcessEnvironment.environment(of: xterm) ?? []
        #expect(environment.contains("DISPLAY=\(desktop.displayName)"))
        #expect(environment.contains("XAUTHORITY=\(desktop.authorityFile)"))
        #expect(environment.contains("HOME=\(desktop.homeDirectory)"))
        #expect(!environment.contains { $0.hasPrefix("ANTHROPIC_API_KEY=") })
        #expect(environment.contains(DesktopEnvironment.mark(session: desktop.sessionDirectory)))
        #expect(desktop.environment[DesktopEnvironment.markName] == nil, "the session's bash is not marked")
        #expect(getpgid(xterm) == xterm, "its own process group")
        let shell = ProcessTree.members(of: xterm).map(\.pid)
        #expect(!shell.isEmpty, "xterm started bash")

        let started = desktop.processIDs + shell
        await desktop.stop()
        try Self.expectNothingLeft(of: desktop, started: started)
        await desktop.stop()  // idempotent
        await #expect(throws: DesktopError.self) { try await desktop.launch("/usr/bin/xterm", arguments: []) }
    }

    @Test func processesItDidNotStartAreLeftAlone() async throws {
        let desktop = try await VirtualDesktop.start(options: DesktopOptions(), workDirectory: Self.workDirectory)
        // Like the session's bash: given the desktop's environment, but not started by the desktop.
        let outsider = Process()
        outsider.executableURL = URL(fileURLWithPath: "/bin/sleep")
        outsider.arguments = ["60"]
        outsider.environment = desktop.environment.merging(["PATH": "/usr/bin:/bin"]) { old, _ in old }
        let ended = AsyncStream<Void>.makeStream()
        outsider.terminationHandler = { _ in ended.continuation.finish() }
        try outsider.run()
        let started = desktop.processIDs
        await desktop.stop()
        #expect(Self.isAlive(outsider.processIdentifier))
        kill(outsider.processIdentifier, SIGKILL)
        for await _ in ended.stream {}
        try Self.expectNothingLeft(of: desktop, started: started)
    }

    @Test func droppingADesktopWithoutStopEndsItsProcesses() async throws {
        var desktop: VirtualDesktop? = try await VirtualDesktop.start(
            options: DesktopOptions(), workDirectory: Self.workDirectory)
        let xterm = try await desktop?.launch("/usr/bin/xterm", arguments: [])
        let footprint = try Footprint(#require(desktop))
        let started = (desktop?.processIDs ?? []) + ProcessTree.members(of: try #require(xterm)).map(\.pid)
        #expect(started.count >= 3)
        desktop = nil  // deinit: synchronous best-effort teardown
        try Self.expectNothingLeft(of: footprint, started: started)
    }

    @Test func serverThatNeverReportsTimesOutWithItsOutput() throws {
        let directory = try DesktopSessionDirectory.create(in: Self.workDirectory)
        defer { directory.remove() }
        let fake = directory.path + "/fake-xvfb"
        try Data("#!/bin/sh\necho 'fake server: no display for you' >&2\nexec /bin/sleep 30\n".utf8)
            .write(to: URL(fileURLWithPath: fake))
        chmod(fake, 0o700)
        let began = ContinuousClock.now
        let error = #expect(throws: DesktopError.self) {
            _ = try XvfbServer.start(
                options: DesktopOptions(), authorityFile: directory.authorityFile, log: directory.log("xvfb"),
                environment: ["PATH": "/usr/bin:/bin"], timeout: .milliseconds(300), executable: fake)
        }
        #expect(ContinuousClock.now - began < .seconds(25))  // gave up instead of waiting for the 30 s sleep
        #expect(error?.code == .serverTimeout)
        #expect(error?.message.contains("fake server: no display for you") == true, "\(String(describing: error))")
        let sleepers = ProcessTree.snapshot().filter {
            !$0.isDead && (ProcessEnvironment.commandLine(of: $0.pid) ?? []) == ["/bin/sleep", "30"]
                && (ProcessEnvironment.environment(of: $0.pid) ?? []).contains("PATH=/usr/bin:/bin")
        }
        #expect(sleepers.isEmpty, "the fake server was killed")

        let exiting = directory.path + "/exiting-xvfb"
        try Data("#!/bin/sh\necho 'cannot open screen' >&2\nexit 1\n".utf8).write(to: URL(fileURLWithPath: exiting))
        chmod(exiting, 0o700)
        let exited = #expect(throws: DesktopError.self) {
            _ = try XvfbServer.start(
                options: DesktopOptions(), authorityFile: directory.authorityFile, log: directory.log("xvfb2"),
                environment: ["PATH": "/usr/bin:/bin"], timeout: .seconds(5), executable: exiting)
        }
        #expect(exited?.code == .serverExited)
        #expect(exited?.message.contains("cannot open screen") == true)
    }

    @Test func missingProgramsFailToLaunch() async throws {
        let desktop = try await VirtualDesktop.start(
            options: DesktopOptions(startWindowManager: false), workDirectory: Self.workDirectory)
        #expect(desktop.processIDs.count == 1, "only Xvfb")
        let error = await #expect(throws: DesktopError.self) {
            try await desktop.launch("/nonexistent/program", arguments: [])
        }
        #expect(error?.code == .spawnFailed)
        #expect(error?.message.contains("/nonexistent/program") == true)
        let started = desktop.processIDs
        await desktop.stop()
        try Self.expectNothingLeft(of: desktop, started: started)
    }

    @Test func twoDesktopsAtOnceGetDifferentDisplays() async throws {
        let manager = DesktopManager(workDirectory: Self.workDirectory)
        async let first = manager.start(options: DesktopOptions())
        async let second = manager.start(options: DesktopOptions(width: 1024, height: 768))
        let desktops = try await [first, second]
        #expect(desktops[0].display != desktops[1].display)
        #expect(desktops[0].authorityFile != desktops[1].authorityFile)
        #expect(await manager.count == 2)
        // Each cookie opens only its own display.
        await #expect(throws: X11Error.self) {
            _ = try await X11Display.connect(display: desktops[0].displayName, authorityFile: desktops[1].authorityFile)
        }
        let started = desktops.map(\.processIDs)
        await manager.stopAll()
        #expect(await manager.count == 0)
        for (desktop, pids) in zip(desktops, started) { try Self.expectNothingLeft(of: desktop, started: pids) }
        let refused = await #expect(throws: DesktopError.self) { _ = try await manager.start() }
        #expect(refused?.code == .stopped)
    }

    // MARK: - Browser

    @Test func chromiumOpensAFileURLAndStopEndsAllItsProcesses() async throws {
        let page = "\(Self.workDirectory)/page-\(getpid()).html"
        try Data("<html><title>desk test</title><body style='background:#c00'>hello</body></html>".utf8)
            .write(to: URL(fileURLWithPath: page))
        defer { try? FileManager.default.removeItem(atPath: page) }
        let desktop = try await VirtualDesktop.start(
            options: DesktopOptions(browser: BrowserOptions(startingURL: "file://\(page)")),
            workDirectory: Self.workDirectory)
        let launched = ContinuousClock.now
        let found = try await Self.run(
            ["/usr/bin/xdotool", "search", "--sync", "--onlyvisible", "--class", "chromium"],
            environment: desktop.environment, timeout: 60)
        #expect(found.status == 0, "a Chromium window is visible: \(found.output)")
        print("Chromium window visible after \(ContinuousClock.now - launched) (xdotool polls every 0.5 s)")
        let browser = try #require(desktop.processIDs.first { Self.commandName($0) != "Xvfb" && Self.commandName($0) != "openbox" })
        let tree = ProcessTree.members(of: browser).map(\.pid)
        let marked = ProcessEnvironment.processes(withEnvironmentEntry: DesktopEnvironment.mark(session: desktop.sessionDirectory))
            .map(\.pid)
        let outside = marked.filter { $0 != browser && !tree.contains($0) }
        #expect(tree.count >= 3, "Chromium runs several processes: \(tree)")
        let browserPSS = ([browser] + tree + outside).compactMap { Self.smapsRollupKiB($0, field: "Pss:") }.reduce(0, +)
        print("Chromium: \(tree.count + 1) processes in its tree, \(outside.count) outside it (crash handlers), "
              + "PSS \(browserPSS) KiB")

        let started = desktop.processIDs + tree + marked
        let stopping = ContinuousClock.now
        await desktop.stop()
        print("stop() with Chromium took \(ContinuousClock.now - stopping)")
        try Self.expectNothingLeft(of: desktop, started: started)
    }

    // MARK: - Cost

    @Test func startToReadyTimeAndIdleMemory() async throws {
        var times: [Duration] = []
        var pss: [Int] = []
        var anonymous: [Int] = []
        for _ in 0..<5 {
            let desktop = try await VirtualDesktop.start(options: DesktopOptions(), workDirectory: Self.workDirectory)
            times.append(desktop.startupTime)
            let pids = desktop.processIDs.flatMap { [$0] + ProcessTree.members(of: $0).map(\.pid) }
            pss.append(pids.compactMap { Self.smapsRollupKiB($0, field: "Pss:") }.reduce(0, +))
            anonymous.append(pids.compactMap { Self.smapsRollupKiB($0, field: "Pss_Anon:") }.reduce(0, +))
            let started = desktop.processIDs
            await desktop.stop()
            try Self.expectNothingLeft(of: desktop, started: started)
        }
        let sorted = times.sorted()
        print("start-to-ready (1280x800, openbox ready and answering): median \(sorted[2]), all \(times)")
        // File-backed pages (Xvfb's Mesa/LLVM libraries) are split among the processes mapping them, so a
        // lone desktop carries them all; Pss_Anon is what each further desktop adds.
        print("idle desktop PSS (Xvfb + openbox): median \(pss.sorted()[2]) KiB, of which anonymous "
              + "\(anonymous.sorted()[2]) KiB; all \(pss)")
        // The start-up time is a benchmark figure (make bench, desktop.startup), not a test condition.
        #expect(times.allSatisfy { $0 > .zero } && pss.allSatisfy { $0 > 0 }, "every desktop was measured")
    }

    // MARK: - Helpers

    static let workDirectory = FileManager.default.temporaryDirectory.path

    /// What identifies a desktop's leftovers, kept apart from the desktop (for the `deinit` test).
    struct Footprint {
        let display: Int
        let displayName: String
        let authorityFile: String
        let sessionDirectory: String

        init(_ desktop: VirtualDesktop) {
            display = desktop.display
            displayName = desktop.displayName
            authorityFile = desktop.authorityFile
            sessionDirectory = desktop.sessionDirectory
        }
    }

    /// Checks that the desktop's processes, files and server leftovers are all gone.
    static func expectNothingLeft(
        of desktop: VirtualDesktop, started: [Int32], sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        #expect(desktop.isStopped, sourceLocation: sourceLocation)
        try expectNothingLeft(of: Footprint(desktop), started: started, sourceLocation: sourceLocation)
    }

    /// Checks that the processes `started`, anything still using the display, the server's socket and
    /// lock file and the session directory are all gone.
    static func expectNothingLeft(
        of desktop: Footprint, started: [Int32], sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        for pid in started {
            #expect(!isAlive(pid), "pid \(pid) (\(commandName(pid))) is still running", sourceLocation: sourceLocation)
        }
        // Any process still pointing at this display with this cookie (or at no other cookie).
        let display = "DISPLAY=\(desktop.displayName)"
        for entry in ProcessTree.snapshot() where !entry.isDead && entry.pid != getpid() {
            let environment = ProcessEnvironment.environment(of: entry.pid) ?? []
            let commandLine = ProcessEnvironment.commandLine(of: entry.pid) ?? []
            let otherCookie = environment.contains { $0.hasPrefix("XAUTHORITY=") && $0 != "XAUTHORITY=\(desktop.authorityFile)" }
            let usesDisplay = environment.contains(display) && !otherCookie
            let namesSession = commandLine.contains { $0.contains(desktop.sessionDirectory) }
            #expect(!usesDisplay && !namesSession,
                    "pid \(entry.pid) (\(commandLine.joined(separator: " "))) still uses \(desktop.displayName)",
                    sourceLocation: sourceLocation)
        }
        let files = FileManager.default
        #expect(!files.fileExists(atPath: XvfbServer.lockFile(display: desktop.display)), sourceLocation: sourceLocation)
        #expect(!XSocketProbe.isLeftover(display: desktop.display), sourceLocation: sourceLocation)
        #expect(!files.fileExists(atPath: desktop.sessionDirectory), sourceLocation: sourceLocation)
    }

    /// Whether `pid` exists and is not a zombie.
    static func isAlive(_ pid: Int32) -> Bool {
        guard let entry = ProcessTree.entry(for: pid) else { return false }
        return !entry.isDead
    }

    static func commandName(_ pid: Int32) -> String {
        let comm = (try? String(contentsOfFile: "/proc/\(pid)/comm", encoding: .utf8)) ?? ""
        return comm.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    static func mode(of path: String) -> Int? {
        (try? FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int)
    }

    /// A field (`Pss:`, `Pss_Anon:`) of `/proc/PID/smaps_rollup` in KiB.
    static func smapsRollupKiB(_ pid: Int32, field: String) -> Int? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/smaps_rollup", encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix(field) {
            return Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "")
        }
        return nil
    }

    /// Runs a helper program (xdotool) with the desktop's environment and returns its status and
    /// output; killed after `timeout` seconds.
    static func run(
        _ arguments: [String], environment: [String: String], timeout: Double
    ) async throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: arguments[0])
        process.arguments = Array(arguments.dropFirst())
        var merged = ProcessInfo.processInfo.environment
        merged.merge(environment) { _, new in new }
        process.environment = merged
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        let finished = AsyncStream<Int32>.makeStream()
        process.terminationHandler = { finished.continuation.yield($0.terminationStatus) }
        try process.run()
        let watchdog = Task {
            try await Task.sleep(for: .seconds(timeout))
            process.terminate()
        }
        var status: Int32 = -1
        for await code in finished.stream {
            status = code
            break
        }
        watchdog.cancel()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        return (status, String(decoding: data, as: UTF8.self))
    }
}
