import AgentCore
import Foundation

/// `POST /api/v1/auth/login` one after another on a keep-alive connection, every one with the
/// right password (so the failed-login throttle never counts one), timed from the request's first
/// byte to the answer's last. The cost is the stored hash's PBKDF2 verification.
///
/// ```swift
/// let milliseconds = try LoginLatencyRun().run(port: daemon.port)
/// print(Percentiles(milliseconds).p50)
/// ```
struct LoginLatencyRun {
    var logins = 20

    /// Each login's latency in milliseconds, in order.
    func run(port: Int) throws -> [Double] {
        let socket = try BlockingSocket(port: port)
        defer { socket.close() }
        var samples: [Double] = []
        for _ in 0..<logins {
            let start = nowNanoseconds()
            _ = try PlatformDaemon.login(port: port, on: socket)
            samples.append(Double(nowNanoseconds() - start) / 1e6)
        }
        return samples
    }
}
