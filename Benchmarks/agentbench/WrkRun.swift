import Foundation

/// One `wrk --latency` run against a server, with the server's CPU time over the run.
///
/// ```swift
/// let run = try WrkRun.measure(server, path: "/health", seconds: 5, cpus: "1")
/// print(run.requestsPerSecond, run.p99Milliseconds, run.cpuMicrosecondsPerRequest)
/// ```
struct WrkRun {
    let server: String
    let requestsPerSecond: Double
    let p99Milliseconds: Double
    let requests: Int
    /// Non-2xx/3xx responses plus socket errors (connect, read, write, timeout).
    let errors: Int
    /// The server's user + system CPU over the run, divided by `requests`.
    let cpuMicrosecondsPerRequest: Double

    /// Runs `wrk -t1 -c<connections> -d<seconds>s --latency` on `server` (wrk pinned to `cpus`
    /// with taskset when given) and reads the server's CPU time from /proc before and after.
    /// - Parameter headers: `"Name: value"` lines every request carries (wrk's `-H`).
    static func measure(_ server: ServerProcess, path: String, headers: [String] = [], seconds: Int, connections: Int = 64,
                        cpus: String?) throws -> WrkRun {
        guard let wrk = ServerProcess.which("wrk") else { throw BenchError("wrk is not installed (make deps)") }
        let process = Process()
        let arguments = ["-t1", "-c\(connections)", "-d\(seconds)s", "--latency"] + headers.flatMap { ["-H", $0] }
            + ["http://127.0.0.1:\(server.port)\(path)"]
        if let cpus, let taskset = ServerProcess.which("taskset") {
            process.executableURL = URL(fileURLWithPath: taskset)
            process.arguments = ["-c", cpus, wrk] + arguments
        } else {
            process.executableURL = URL(fileURLWithPath: wrk)
            process.arguments = arguments
        }
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        let cpuBefore = ProcessStats.cpuSeconds(pid: server.pid)
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let cpu = ProcessStats.cpuSeconds(pid: server.pid) - cpuBefore
        let text = String(decoding: data, as: UTF8.self)
        guard let rate = Self.number(after: "Requests/sec:", in: text),
              let requests = Self.number(before: " requests in ", in: text) else {
            throw BenchError("cannot read wrk's output for \(server.name): \(text.prefix(300))")
        }
        return WrkRun(
            server: server.name, requestsPerSecond: rate, p99Milliseconds: Self.p99(in: text) ?? .nan,
            requests: Int(requests), errors: Self.errors(in: text),
            cpuMicrosecondsPerRequest: cpu * 1e6 / max(1, requests))
    }

    /// The `99%` line of the latency distribution, in milliseconds.
    static func p99(in text: String) -> Double? {
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: " ", omittingEmptySubsequences: true)
            guard parts.count == 2, parts[0] == "99%" else { continue }
            return milliseconds(String(parts[1]))
        }
        return nil
    }

    /// `850.00us`, `3.59ms`, `1.20s`, `2.00m` in milliseconds.
    static func milliseconds(_ value: String) -> Double? {
        for (unit, scale) in [("us", 0.001), ("ms", 1.0), ("s", 1000.0), ("m", 60_000.0)] where value.hasSuffix(unit) {
            return Double(value.dropLast(unit.count)).map { $0 * scale }
        }
        return nil
    }

    /// Non-2xx/3xx responses and the socket error counts.
    static func errors(in text: String) -> Int {
        var total = Int(number(after: "Non-2xx or 3xx responses:", in: text) ?? 0)
        if let line = text.split(separator: "\n").first(where: { $0.contains("Socket errors:") }) {
            // "Socket errors: connect 0, read 0, write 0, timeout 0"
            total += line.split(separator: ",").compactMap { $0.split(separator: " ").last.flatMap { Int($0) } }.reduce(0, +)
        }
        return total
    }

    private static func number(after label: String, in text: String) -> Double? {
        guard let range = text.range(of: label) else { return nil }
        return text[range.upperBound...].split(whereSeparator: \.isWhitespace).first.flatMap { Double($0) }
    }

    private static func number(before label: String, in text: String) -> Double? {
        guard let range = text.range(of: label) else { return nil }
        return text[..<range.lowerBound].split(whereSeparator: \.isWhitespace).last.flatMap { Double($0) }
    }
}
