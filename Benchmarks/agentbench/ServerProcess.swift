import Foundation
import Glibc

/// A server under test in a child process: started on a free loopback port (optionally pinned to
/// CPUs with `taskset`, which keeps the process id), ready once the port answers `readyPath`, and
/// stopped with SIGTERM. Its output goes to /dev/null.
///
/// ```swift
/// let peer = try ServerProcess.start(name: "hummingbird", executable: "/path/peer", arguments: { ["\($0)"] })
/// let cpu = ProcessStats.cpuSeconds(pid: peer.pid)
/// peer.stop()
/// ```
final class ServerProcess {
    let name: String
    let port: Int
    /// The server's own process id (taskset execs it in place).
    var pid: Int32 { process.processIdentifier }
    private let process: Process

    private init(name: String, port: Int, process: Process) {
        self.name = name
        self.port = port
        self.process = process
    }

    /// Starts `executable` with the arguments `arguments(port)`, on the CPUs in `cpus` (a taskset
    /// list such as `"0"`, nil for any), and waits up to `timeout` seconds until `GET readyPath` answers 200.
    static func start(name: String, executable: String, arguments: (Int) -> [String], cpus: String? = nil,
                      directory: String? = nil, readyPath: String, timeout: Double = 30) throws -> ServerProcess {
        let port = try BlockingSocket.freePort()
        let process = Process()
        if let cpus, let taskset = Self.which("taskset") {
            process.executableURL = URL(fileURLWithPath: taskset)
            process.arguments = ["-c", cpus, executable] + arguments(port)
        } else {
            process.executableURL = URL(fileURLWithPath: executable)
            process.arguments = arguments(port)
        }
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let server = ServerProcess(name: name, port: port, process: process)
        let deadline = nowNanoseconds() + UInt64(timeout * 1e9)
        while nowNanoseconds() < deadline {
            guard process.isRunning else { throw BenchError("\(name) exited with status \(process.terminationStatus) at start-up") }
            if let answer = try? BlockingSocket.request(port: port, "GET", readyPath), answer.status == 200 { return server }
            usleep(50_000)
        }
        server.stop()
        throw BenchError("\(name) did not answer GET \(readyPath) within \(Int(timeout)) s")
    }

    /// SIGTERM, then SIGKILL if it has not exited within 10 s.
    func stop() {
        guard process.isRunning else { return }
        kill(pid, SIGTERM)
        let deadline = nowNanoseconds() + 10_000_000_000
        while process.isRunning, nowNanoseconds() < deadline { usleep(20_000) }
        if process.isRunning { kill(pid, SIGKILL) }
        process.waitUntilExit()
    }

    /// VmRSS of the server, in bytes (0 when unreadable).
    var residentBytes: Int {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return 0 }
        for line in status.split(separator: "\n") where line.hasPrefix("VmRSS:") {
            return (line.split(separator: " ").compactMap { Int($0) }.first ?? 0) * 1024
        }
        return 0
    }

    /// Open file descriptors of the server.
    var openDescriptors: Int {
        (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/fd").count) ?? 0
    }

    /// The full path of `program` on `PATH`, if it is there.
    static func which(_ program: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        return path.split(separator: ":").map { "\($0)/\(program)" }.first { access($0, X_OK) == 0 }
    }
}
