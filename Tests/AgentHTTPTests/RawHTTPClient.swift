import Glibc
import Synchronization

/// A response as `RawHTTPClient` read it.
struct RawResponse {
    var status: Int
    var headers: [(name: String, value: String)]
    var body: [UInt8]

    func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }

    var text: String { String(decoding: body, as: UTF8.self) }
}

struct ClientError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// A blocking test client over a raw TCP socket, with a receive timeout so nothing hangs.
///
/// Every blocking call runs on its own thread (``offPool(_:)``), never on the cooperative pool
/// the server's handlers need.
final class RawHTTPClient: @unchecked Sendable {
    let fd: Int32
    private var buffer: [UInt8] = []

    /// Connects to 127.0.0.1:`port`.
    init(port: Int, receiveTimeout: Int = 20) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw ClientError("socket failed") }
        var timeout = timeval(tv_sec: receiveTimeout, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = in_addr_t(0x7F00_0001).bigEndian
        let status = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard status == 0 else {
            let code = errno
            Glibc.close(fd)
            throw ClientError("connect failed: errno \(code)")
        }
    }

    deinit { Glibc.close(fd) }

    // MARK: Async wrappers

    /// Runs `body` with this client on a fresh thread.
    func run<T: Sendable>(_ body: @escaping @Sendable (RawHTTPClient) throws -> T) async throws -> T {
        try await offPool { try body(self) }
    }

    func send(_ text: String) async throws { try await run { try $0.sendNow(Array(text.utf8)) } }
    func response(forHEAD: Bool = false) async throws -> RawResponse { try await run { try $0.readResponse(forHEAD: forHEAD) } }
    func closedWithin(seconds: Double) async throws -> Bool { try await closeDelay(within: seconds) != nil }
    /// Seconds until the server closed, measured on the client thread; nil when it did not within `seconds`.
    func closeDelay(within seconds: Double) async throws -> Double? {
        try await run { client in
            let started = monotonicSeconds()
            return client.waitForClose(seconds: seconds) ? monotonicSeconds() - started : nil
        }
    }

    // MARK: Blocking operations

    func sendNow(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress! + offset, bytes.count - offset, Int32(MSG_NOSIGNAL)) }
            guard sent > 0 else { throw ClientError("send failed: errno \(errno)") }
            offset += sent
        }
    }

    /// Reads more bytes into the buffer; false at EOF.
    private func fill() throws -> Bool {
        var chunk = [UInt8](repeating: 0, count: 65536)
        let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        if count == 0 { return false }
        guard count > 0 else { throw ClientError("recv failed: errno \(errno)") }
        buffer += chunk[0..<count]
        return true
    }

    private func readLine() throws -> String {
        while true {
            if let index = buffer.indices.dropFirst().first(where: { buffer[$0 - 1] == 13 && buffer[$0] == 10 }) {
                let line = String(decoding: buffer[0..<(index - 1)], as: UTF8.self)
                buffer.removeSubrange(0...index)
                return line
            }
            guard try fill() else { throw ClientError("EOF in line") }
        }
    }

    func readExactly(_ count: Int) throws -> [UInt8] {
        while buffer.count < count {
            guard try fill() else { throw ClientError("EOF in body") }
        }
        defer { buffer.removeSubrange(0..<count) }
        return Array(buffer[0..<count])
    }

    /// Reads one response head and (unless `forHEAD` or the status has none) its body.
    func readResponse(forHEAD: Bool = false) throws -> RawResponse {
        var response = try readHead()
        if forHEAD || (100..<200).contains(response.status) || response.status == 204 || response.status == 304 {
            return response
        }
        if let length = response.header("content-length") {
            response.body = try readExactly(Int(length)!)
        } else if response.header("transfer-encoding") == "chunked" {
            while let chunk = try readChunk() { response.body += chunk }
        } else {
            while try fill() {}
            response.body = buffer
            buffer = []
        }
        return response
    }

    /// Reads a status line and header section.
    func readHead() throws -> RawResponse {
        let statusLine = try readLine()
        let parts = statusLine.split(separator: " ", maxSplits: 2)
        guard parts.count >= 2, parts[0] == "HTTP/1.1", let status = Int(parts[1]) else {
            throw ClientError("bad status line: \(statusLine)")
        }
        var headers: [(name: String, value: String)] = []
        while true {
            let line = try readLine()
            if line.isEmpty { break }
            let colon = line.firstIndex(of: ":")!
            headers.append((String(line[..<colon]), line[line.index(after: colon)...].trimmingPrefix(" ").description))
        }
        return RawResponse(status: status, headers: headers, body: [])
    }

    /// The next chunk of a chunked body, or nil after the last chunk (and its empty trailer).
    func readChunk() throws -> [UInt8]? {
        let sizeLine = try readLine()
        guard let size = Int(sizeLine, radix: 16) else { throw ClientError("bad chunk size \(sizeLine)") }
        if size == 0 {
            while try !readLine().isEmpty {}
            return nil
        }
        let data = try readExactly(size)
        guard try readLine().isEmpty else { throw ClientError("chunk not followed by CRLF") }
        return data
    }

    /// Waits up to `seconds` for the server to close (EOF or reset), discarding what arrives.
    func waitForClose(seconds: Double) -> Bool {
        let deadline = monotonicSeconds() + seconds
        while monotonicSeconds() < deadline {
            var pollFD = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            guard poll(&pollFD, 1, 50) > 0 else { continue }
            var chunk = [UInt8](repeating: 0, count: 4096)
            let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT)) }
            if count == 0 || (count < 0 && errno != EAGAIN) { return true }
            if count > 0 { buffer += chunk[0..<count] }
        }
        return false
    }

    /// Bytes received but not consumed (e.g. a 408 before a close).
    var unread: String { String(decoding: buffer, as: UTF8.self) }

    func shutdownWrite() { shutdown(fd, Int32(SHUT_WR)) }
}

func monotonicSeconds() -> Double {
    var spec = timespec()
    clock_gettime(CLOCK_MONOTONIC, &spec)
    return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
}

/// Runs blocking `body` on a new thread so the cooperative pool stays free for the server's handlers.
func offPool<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        let box = Unmanaged.passRetained(ThreadBody { continuation.resume(with: Result { try body() }) }).toOpaque()
        var thread = pthread_t()
        pthread_create(&thread, nil, { argument in
            Unmanaged<ThreadBody>.fromOpaque(argument!).takeRetainedValue().run()
            return nil
        }, box)
        pthread_detach(thread)
    }
}

private final class ThreadBody {
    let run: () -> Void
    init(_ run: @escaping () -> Void) { self.run = run }
}

/// Opened once; waiting suspends until then. Tests use it to hold handlers at known points.
final class TestGate: Sendable {
    private let state = Mutex<(open: Bool, waiters: [CheckedContinuation<Void, Never>])>((false, []))

    func open() {
        let waiters = state.withLock { s in
            s.open = true
            defer { s.waiters = [] }
            return s.waiters
        }
        for waiter in waiters { waiter.resume() }
    }

    var isOpen: Bool { state.withLock { $0.open } }

    func wait() async {
        await withCheckedContinuation { c in
            let now = state.withLock { s in
                if s.open { return true }
                s.waiters.append(c)
                return false
            }
            if now { c.resume() }
        }
    }
}
