import Foundation

/// The live view of one ``VirtualDesktop``: an x11vnc server started on first use and stopped with
/// the desktop.
///
/// x11vnc is launched through ``VirtualDesktop/launch(_:arguments:)``, so `stop()` ends it with the
/// desktop's other programs. It listens on loopback only (`-localhost`, no IPv6), on a free port it
/// probes for itself from 5900 (`-autoport`, reported as `PORT=N` on its output, so there is no
/// pick-then-bind race), shares the screen between viewers (`-shared -forever`), and asks for a
/// random per-desktop password read from a 0600 file in the desktop's private directory
/// (`-passwdfile`; never on the command line, where `/proc/<pid>/cmdline` would show it).
///
/// ```swift
/// let view = DesktopLiveView(desktop: desktop)
/// let endpoint = try await view.endpoint()      // starts x11vnc the first time
/// // connect to endpoint.host:endpoint.port and authenticate with endpoint.password
/// ```
public actor DesktopLiveView {
    /// The x11vnc executable.
    public static let executable = "/usr/bin/x11vnc"

    /// Whether x11vnc is installed on this machine.
    public static var isInstalled: Bool { FileManager.default.isExecutableFile(atPath: executable) }

    public nonisolated let desktop: VirtualDesktop
    private var running: (process: DesktopProcess, endpoint: LiveViewEndpoint)?
    private var starting: Task<(process: DesktopProcess, endpoint: LiveViewEndpoint), any Error>?
    private var launches = 0
    private let startTimeout: Duration

    public init(desktop: VirtualDesktop, startTimeout: Duration = .seconds(10)) {
        self.desktop = desktop
        self.startTimeout = startTimeout
    }

    /// The running server's endpoint, or nil when none runs (never starts one).
    public var current: LiveViewEndpoint? {
        guard let running, running.process.exitCode == nil else { return nil }
        return running.endpoint
    }

    /// The endpoint of the desktop's RFB server, starting it when it is not running (again, if it
    /// exited). Concurrent callers share one start.
    /// - Throws: `DesktopError` `.spawnFailed` when x11vnc is missing, exits, or reports no port in
    ///   time; `.stopped` once the desktop has stopped.
    public func endpoint() async throws -> LiveViewEndpoint {
        if let current { return current }
        if let starting { return try await starting.value.endpoint }
        launches += 1
        let task = Task { [desktop, launches, startTimeout] in
            try await Self.start(on: desktop, attempt: launches, timeout: startTimeout)
        }
        starting = task
        defer { starting = nil }
        let started = try await task.value
        running = started
        return started.endpoint
    }

    /// Launches x11vnc on `desktop` and waits for the `PORT=` line of its log.
    private static func start(on desktop: VirtualDesktop, attempt: Int, timeout: Duration) async throws
        -> (process: DesktopProcess, endpoint: LiveViewEndpoint)
    {
        guard isInstalled else {
            throw DesktopError(.spawnFailed, "x11vnc is not installed (\(executable)): the live view needs it")
        }
        let password = randomPassword()
        let passwordFile = desktop.sessionDirectory + "/vnc-password"
        guard FileManager.default.createFile(
            atPath: passwordFile, contents: Data(password.utf8), attributes: [.posixPermissions: 0o600]) else {
            throw DesktopError(.sessionDirectory, "cannot write the live view's password file")
        }
        let name = "x11vnc-\(attempt)"
        let log = desktop.session.log(name)
        let process = try await desktop.launchTracked(executable, name: name, arguments: [
            "-display", desktop.displayName, "-auth", desktop.authorityFile,
            "-localhost", "-noipv6", "-autoport", "5900", "-passwdfile", passwordFile,
            "-shared", "-forever", "-norc", "-quiet", "-nolookup",
        ])
        let deadline = ContinuousClock.now + timeout
        while true {
            if let port = reportedPort(in: log) {
                return (process, LiveViewEndpoint(host: "127.0.0.1", port: port, password: password))
            }
            if let code = process.exitCode {
                throw DesktopError(.spawnFailed, "x11vnc exited (status \(code)): \(DesktopSessionDirectory.tail(of: log))")
            }
            guard ContinuousClock.now < deadline else {
                process.requestTermination()
                throw DesktopError(.spawnFailed, "x11vnc reported no port within \(timeout)")
            }
            // x11vnc announces its port only in its output: poll the log file.
            try await Task.sleep(for: .milliseconds(10))
        }
    }

    /// The port of the first `PORT=N` line of `log`, once x11vnc has written it.
    static func reportedPort(in log: String) -> Int? {
        guard let text = try? String(contentsOfFile: log, encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix("PORT=") {
            if let port = Int(line.dropFirst(5)), (1...65535).contains(port) { return port }
        }
        return nil
    }

    /// Eight random characters from a 62-symbol alphabet (about 47 bits).
    static func randomPassword() -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
        var generator = SystemRandomNumberGenerator()
        return String((0..<8).map { _ in alphabet[Int(generator.next(upperBound: UInt64(alphabet.count)))] })
    }
}

extension VirtualDesktop {
    /// Like ``launch(_:arguments:)``, logging to `logs/<name>.log` and returning the watched process.
    func launchTracked(_ executable: String, name: String, arguments: [String]) throws(DesktopError) -> DesktopProcess {
        guard !isStopped else { throw DesktopError(.stopped, "the desktop :\(display) has been stopped") }
        let pid = try DesktopSpawner.spawn(
            arguments: [executable] + arguments, environment: programEnvironment, log: session.log(name))
        let process = DesktopProcess(pid: pid, name: name)
        do {
            try processes.addProgram(process)
        } catch {
            process.forceKill()
            throw error
        }
        return process
    }
}
