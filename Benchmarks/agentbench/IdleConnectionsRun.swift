import Foundation
import Glibc

/// Idle keep-alive connections: opens `count` connections to a server, sends one
/// `GET path` on each and keeps every socket open, and reads the server's RSS before and after.
struct IdleConnectionsRun {
    var count = 10_000
    var path = "/api/v1/health"

    struct Outcome {
        let opened: Int
        let answered: Int
        let firstFailure: String?
        let residentBytesBefore: Int
        let residentBytesAfter: Int
        /// The server's open descriptors while the connections are held.
        let serverDescriptors: Int
        let seconds: Double
    }

    func run(_ server: ServerProcess) -> Outcome {
        Self.raiseDescriptorLimit(to: count + 1024)
        // Settle first: one request, then a moment for the allocator.
        _ = try? BlockingSocket.request(port: server.port, "GET", path)
        usleep(200_000)
        let before = server.residentBytes
        let start = nowNanoseconds()
        var sockets: [BlockingSocket] = []
        sockets.reserveCapacity(count)
        var answered = 0
        var failure: String?
        for _ in 0..<count {
            do {
                let socket = try BlockingSocket(port: server.port)
                sockets.append(socket)
                if try socket.request("GET", path).status == 200 { answered += 1 }
            } catch {
                failure = failure ?? "\(error)"
            }
        }
        let seconds = secondsSince(start)
        usleep(500_000)
        let after = server.residentBytes
        let descriptors = server.openDescriptors
        for socket in sockets { socket.close() }
        return Outcome(opened: sockets.count, answered: answered, firstFailure: failure, residentBytesBefore: before,
                       residentBytesAfter: after, serverDescriptors: descriptors, seconds: seconds)
    }

    /// Raises this process's soft RLIMIT_NOFILE to `wanted` (at most the hard limit); children inherit it.
    static func raiseDescriptorLimit(to wanted: Int) {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0, limit.rlim_cur < rlim_t(wanted) else { return }
        limit.rlim_cur = min(rlim_t(wanted), limit.rlim_max)
        setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
    }
}
