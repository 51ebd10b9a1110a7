import Dispatch
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Starts Xvfb on a display it picks itself and stops it again.
///
/// `-displayfd` makes the server choose a free display (no guessing, no races with other desktops)
/// and write its number once it accepts connections, so that number doubles as the readiness signal.
/// The number is written to the server's stdout (a pipe here); the server's log goes to a file.
enum XvfbServer {
    /// The `Xvfb` executable.
    static let executable = "/usr/bin/Xvfb"

    /// The command line for `options` with the cookie file `authorityFile` (desktop-perf §3, §7.7).
    static func arguments(options: DesktopOptions, authorityFile: String, executable: String = executable) -> [String] {
        [
            executable, "-displayfd", "1",
            "-screen", "0", "\(options.width)x\(options.height)x\(options.depth)",
            "-nolisten", "tcp", "-auth", authorityFile,
            "-noreset",  // a reset on last-client disconnect killed openbox (§3)
            "-s", "0",  // no screen saver
            "-dpi", "\(options.dpi)",
        ]
    }

    /// Starts the server and waits until it reports its display. Blocks: call it on a dedicated thread.
    ///
    /// - Parameter executable: The server binary (tests substitute a fake one).
    /// - Returns: The server process and its display number.
    /// - Throws: `DesktopError` `.spawnFailed`, `.serverExited` or `.serverTimeout`; the server is
    ///   killed and reaped first.
    static func start(
        options: DesktopOptions, authorityFile: String, log: String, environment: [String: String],
        timeout: Duration, executable: String = executable
    ) throws(DesktopError) -> (process: DesktopProcess, display: Int) {
        let pipe: (read: Int32, write: Int32)
        do { pipe = try ShellSpawner.makePipe() } catch {
            throw DesktopError(.spawnFailed, "cannot start Xvfb: \(error)")
        }
        defer { close(pipe.read) }
        let pid: pid_t
        do {
            pid = try DesktopSpawner.spawn(
                arguments: arguments(options: options, authorityFile: authorityFile, executable: executable),
                environment: environment, log: log, stdout: pipe.write
            )
        } catch {
            close(pipe.write)
            throw error
        }
        close(pipe.write)
        let process = DesktopProcess(pid: pid, name: "Xvfb")
        switch readDisplay(from: pipe.read, timeout: timeout) {
        case .display(let display):
            return (process, display)
        case .closed:
            process.waitForExit(timeout: 1)
            let code = process.exitCode.map { "status \($0)" } ?? "no display number"
            process.forceKill()
            throw DesktopError(.serverExited, "Xvfb exited during start-up (\(code)): \(tail(log))")
        case .timedOut:
            process.forceKill()
            throw DesktopError(
                .serverTimeout, "Xvfb did not report a display within \(timeout): \(tail(log))")
        }
    }

    /// Stops the server: `SIGTERM` (it then removes its lock file and socket), `SIGKILL` after `grace`.
    /// Blocks.
    static func stop(_ server: DesktopProcess, grace: Double) {
        if server.exitCode == nil {
            kill(server.pid, SIGTERM)
            server.waitForExit(timeout: grace)
        }
        server.forceKill()
    }

    /// The lock file Xvfb holds for `display`.
    static func lockFile(display: Int) -> String { "/tmp/.X\(display)-lock" }

    /// The Unix socket Xvfb listens on for `display`.
    static func socketFile(display: Int) -> String { "/tmp/.X11-unix/X\(display)" }

    /// Removes the lock file and socket a killed server left behind, unless the lock now belongs to
    /// another live server that took the display over. Returns whether both are gone.
    @discardableResult
    static func removeLeftovers(display: Int, serverPID: pid_t) -> Bool {
        let lock = lockFile(display: display)
        if let owner = lockOwner(lock), owner != serverPID, kill(owner, 0) == 0 || errno == EPERM {
            return true  // a new server owns the display now; nothing of ours is left
        }
        unlink(lock)
        unlink(socketFile(display: display))
        return access(lock, F_OK) != 0 && access(socketFile(display: display), F_OK) != 0
    }

    /// The pid in an X lock file ("%10d\n"), or nil.
    static func lockOwner(_ path: String) -> pid_t? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var buffer = [UInt8](repeating: 0, count: 32)
        let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
        guard count > 0 else { return nil }
        return pid_t(String(decoding: buffer[..<count], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
    }

    private enum ReadResult { case display(Int), closed, timedOut }

    /// Reads "N\n" from `descriptor`, waiting with `poll` until `timeout` has passed.
    private static func readDisplay(from descriptor: Int32, timeout: Duration) -> ReadResult {
        let deadline = DesktopClock.now() + DesktopClock.nanoseconds(timeout)
        var text: [UInt8] = []
        while true {
            let now = DesktopClock.now()
            guard now < deadline else { return .timedOut }
            var entry = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            let ready = poll(&entry, 1, Int32(clamping: (deadline - now) / 1_000_000 + 1))
            if ready < 0 && errno == EINTR { continue }
            guard ready > 0 else { continue }
            var buffer = [UInt8](repeating: 0, count: 64)
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 && (errno == EINTR || errno == EAGAIN) { continue }
            guard count > 0 else {
                // EOF: the server closed the descriptor (after writing) or exited.
                return Int(String(decoding: text, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)).map { .display($0) } ?? .closed
            }
            text += buffer[..<count]
            if text.contains(UInt8(ascii: "\n")), let number = Int(String(decoding: text, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)) {
                return .display(number)
            }
        }
    }

    private static func tail(_ log: String) -> String {
        let text = DesktopSessionDirectory.tail(of: log)
        return text.isEmpty ? "(no output)" : text
    }
}
