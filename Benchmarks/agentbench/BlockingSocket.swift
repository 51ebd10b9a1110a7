import Foundation
import Glibc

/// A blocking TCP connection to a loopback port: enough HTTP/1.1 for the benchmarks to set up
/// servers and to hold many idle keep-alive connections.
///
/// ```swift
/// let socket = try BlockingSocket(port: 8000)
/// let (status, body) = try socket.request("GET", "/api/v1/health")
/// socket.close()
/// ```
struct BlockingSocket: Sendable {
    let fd: Int32

    /// Connects to `127.0.0.1:port`.
    init(port: Int) throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw BenchError("socket() failed: errno \(errno)") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard result == 0 else {
            let code = errno
            Glibc.close(fd)
            throw BenchError("connect to port \(port) failed: errno \(code)")
        }
        var one: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        self.fd = fd
    }

    /// Writes every byte.
    func write(_ bytes: [UInt8]) throws {
        var sent = 0
        while sent < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + sent, bytes.count - sent) }
            if n < 0, errno == EINTR { continue }
            guard n > 0 else { throw BenchError("write failed: errno \(errno)") }
            sent += n
        }
    }

    /// Reads what is there (blocking until something is), or throws when the peer closed.
    func read(into buffer: inout [UInt8]) throws {
        var chunk = [UInt8](repeating: 0, count: 16 * 1024)
        while true {
            let n = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n < 0, errno == EINTR { continue }
            guard n > 0 else { throw BenchError("connection closed (read \(n), errno \(errno))") }
            buffer.append(contentsOf: chunk[0..<n])
            return
        }
    }

    /// Sends one request with a JSON body and reads one `Content-Length` response; the connection stays open.
    func request(_ method: String, _ path: String, body: String? = nil) throws -> (status: Int, body: String) {
        try request(method, path, headers: [], body: body.map { Array($0.utf8) })
    }

    func close() { Glibc.close(fd) }

    /// The index just past the blank line that ends an HTTP head, if `bytes` holds one.
    static func endOfHead(_ bytes: [UInt8]) -> Int? {
        guard bytes.count >= 4 else { return nil }
        for i in 0...(bytes.count - 4)
        where bytes[i] == 13 && bytes[i + 1] == 10 && bytes[i + 2] == 13 && bytes[i + 3] == 10 {
            return i + 4
        }
        return nil
    }

    /// One request on a fresh connection.
    static func request(port: Int, _ method: String, _ path: String, body: String? = nil) throws -> (status: Int, body: String) {
        let socket = try BlockingSocket(port: port)
        defer { socket.close() }
        return try socket.request(method, path, body: body)
    }

    /// A free loopback port (bound and released; another process could take it in between).
    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { Glibc.close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let ok = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0
            }
        }
        guard ok else { throw BenchError("cannot find a free port: errno \(errno)") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
