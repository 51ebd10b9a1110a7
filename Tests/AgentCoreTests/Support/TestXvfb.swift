import AgentTesting
import Foundation
import Glibc
import Testing
@testable import AgentCore

/// A real Xvfb started for one test: a wildcard cookie in a temporary Xauthority file, the display number read
/// back through `-displayfd`, stopped (and its lock file checked gone) at the end.
///
/// ```swift
/// try await TestXvfb.with { xvfb in
///     let display = try await xvfb.connect()
///     …
/// }
/// ```
struct TestXvfb: Sendable {
    /// The display number Xvfb picked.
    let display: Int
    /// The Xauthority file holding `cookie`.
    let authorityFile: String
    /// The server's MIT-MAGIC-COOKIE-1.
    let cookie: [UInt8]
    /// The screen size.
    let width: Int
    let height: Int

    static let path = "/usr/bin/Xvfb"
    static var available: Bool { FileManager.default.isExecutableFile(atPath: path) }

    /// Starts Xvfb, runs `body`, then stops Xvfb (also when `body` throws).
    static func with<T: Sendable>(width: Int = 1280, height: Int = 800,
                                  _ body: (TestXvfb) async throws -> T) async throws -> T {
        let (xvfb, server) = try await onThread { try start(width: width, height: height) }
        let result: Result<T, any Error>
        do { result = .success(try await body(xvfb)) } catch { result = .failure(error) }
        await onThread { server.stop() }
        #expect(!FileManager.default.fileExists(atPath: "/tmp/.X\(xvfb.display)-lock"),
                "Xvfb left /tmp/.X\(xvfb.display)-lock behind")
        #expect(!XSocketProbe.isLeftover(display: xvfb.display),
                "Xvfb left /tmp/.X11-unix/X\(xvfb.display) behind")
        try? FileManager.default.removeItem(atPath: server.directory)
        return try result.get()
    }

    /// A connection actor with the right cookie.
    func connect(timeout: Double = 5) async throws -> X11Display {
        try await X11Display(display: display, authorityFile: authorityFile, timeout: timeout)
    }

    /// A synchronous connection with the right cookie (for test-side clients).
    func connection() throws -> X11Connection {
        try X11Connection(display: display, authorityFile: authorityFile)
    }

    // MARK: - Private

    /// The running server and its scratch directory.
    private final class Server: Sendable {
        let pid: pid_t
        let directory: String

        init(pid: pid_t, directory: String) {
            self.pid = pid
            self.directory = directory
        }

        /// SIGTERM (Xvfb then removes its socket and lock file) and reaping.
        func stop() {
            kill(pid, SIGTERM)
            var status: Int32 = 0
            while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        }
    }

    private static func start(width: Int, height: Int) throws -> (TestXvfb, Server) {
        let directory = NSTemporaryDirectory() + "x11test-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let authority = directory + "/Xauthority"
        let cookie = XAuthority.randomCookie()
        try XAuthority.writeWildcardCookie(to: authority, cookie: cookie)

        // -displayfd 1: stdout is a pipe; the server writes the display number and a newline once it accepts
        // connections. Spawned with posix_spawn and an empty signal mask: Foundation's Process passes on the
        // spawning thread's blocked signals, and an Xvfb with SIGTERM blocked never stops.
        let pipe = try ShellSpawner.makePipe()  // close-on-exec: the child gets fd 1 through dup2 only
        let arguments = [path, "-displayfd", "1", "-screen", "0", "\(width)x\(height)x24", "-nolisten", "tcp",
                         "-auth", authority, "-noreset", "-s", "0"]
        let null = open("/dev/null", O_RDWR | O_CLOEXEC)
        defer { close(null) }
        let environment = ProcessInfo.processInfo.environment.map { "\($0.key)=\($0.value)" }
        let pid = try ShellSpawner.spawnProcess(
            arguments: arguments, environment: environment, stdin: null, stdout: pipe.write, stderr: null)
        close(pipe.write)
        defer { close(pipe.read) }
        let server = Server(pid: pid, directory: directory)

        var text: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 64)
        while !text.contains(10) {
            let n = read(pipe.read, &buffer, buffer.count)
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { break } // EOF: Xvfb exited
            text += buffer[0..<n]
        }
        guard let display = Int(String(decoding: text, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)) else {
            server.stop()
            throw TestXvfbError(message: "Xvfb did not report a display number")
        }
        return (TestXvfb(display: display, authorityFile: authority, cookie: cookie, width: width, height: height), server)
    }

    /// Runs blocking work on its own thread, off the cooperative pool.
    private static func onThread<R: Sendable>(_ body: @escaping @Sendable () throws -> R) async throws -> R {
        try await withCheckedThrowingContinuation { continuation in
            Thread { continuation.resume(with: Result { try body() }) }.start()
        }
    }

    private static func onThread(_ body: @escaping @Sendable () -> Void) async {
        await withCheckedContinuation { continuation in
            Thread { body(); continuation.resume() }.start()
        }
    }
}

struct TestXvfbError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
