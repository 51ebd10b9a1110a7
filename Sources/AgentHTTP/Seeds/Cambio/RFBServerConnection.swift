import Dispatch
import Foundation
import Glibc
import Synchronization

/// A TCP connection from agentd to a desktop's RFB server (x11vnc on loopback), as bytes in and out.
///
/// Reading is a dedicated thread in a blocking `recv` loop that hands chunks to ``inbound``
/// (RFB is demand-driven: the server sends a framebuffer update only after the viewer asked for
/// one, so what waits there stays small). Writes are blocking `send`s on a serial queue, bounded by
/// a send timeout; neither ever blocks the Swift cooperative pool. The reading thread owns the
/// descriptor and closes it when it ends, under the same lock writers take, so no write can reach a
/// reused descriptor.
final class RFBServerConnection: Sendable {
    /// Bytes from the server, in order; finishes when the server or ``close()`` ends the connection.
    let inbound: AsyncStream<[UInt8]>
    private let descriptor: Descriptor
    private let writes = DispatchQueue(label: "agentd.rfb-bridge.write")

    struct ConnectError: Error, CustomStringConvertible {
        let description: String
    }

    /// Connects to `host` (an IPv4 address) and `port`.
    /// - Throws: `ConnectError` when the server cannot be reached.
    init(host: String, port: Int) throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw ConnectError(description: "socket() failed: errno \(errno)") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        guard inet_pton(AF_INET, host, &address.sin_addr) == 1 else {
            Glibc.close(fd)
            throw ConnectError(description: "not an IPv4 address: \(host)")
        }
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else {
            let code = errno
            Glibc.close(fd)
            throw ConnectError(description: "cannot connect to the live view at \(host):\(port): errno \(code)")
        }
        var timeout = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var noDelay: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &noDelay, socklen_t(MemoryLayout<Int32>.size))
        let descriptor = Descriptor(fd)
        let (stream, feed) = AsyncStream.makeStream(of: [UInt8].self)
        inbound = stream
        self.descriptor = descriptor
        let thread = Thread {
            var buffer = [UInt8](repeating: 0, count: 64 * 1024)
            while true {
                let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
                if count < 0, errno == EINTR { continue }
                guard count > 0 else { break }
                feed.yield(Array(buffer[0..<count]))
            }
            feed.finish()
            descriptor.value.withLock { fd in
                if let open = fd { Glibc.close(open) }
                fd = nil
            }
        }
        thread.name = "rfb-bridge-read"
        thread.start()
    }

    /// Sends `bytes` to the server.
    /// - Throws: `ConnectError` once the connection is closed or a send fails.
    func write(_ bytes: [UInt8]) async throws {
        guard !bytes.isEmpty else { return }
        let descriptor = self.descriptor
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            writes.async {
                let failure: ConnectError? = descriptor.value.withLock { fd in
                    guard let fd else { return ConnectError(description: "the live view connection is closed") }
                    var offset = 0
                    while offset < bytes.count {
                        let sent = bytes.withUnsafeBytes {
                            send(fd, $0.baseAddress! + offset, bytes.count - offset, Int32(MSG_NOSIGNAL))
                        }
                        if sent < 0, errno == EINTR { continue }
                        guard sent > 0 else { return ConnectError(description: "send to the live view failed: errno \(errno)") }
                        offset += sent
                    }
                    return nil
                }
                if let failure { continuation.resume(throwing: failure) } else { continuation.resume() }
            }
        }
    }

    /// Ends the connection both ways; ``inbound`` then finishes.
    func close() {
        descriptor.value.withLock { fd in
            if let fd { _ = shutdown(fd, Int32(SHUT_RDWR)) }
        }
    }
}

/// Reads exact byte counts from a stream of chunks (RFB handshake messages arrive split or merged
/// in any way), keeping what is left over for the relay.
///
/// `@unchecked Sendable`: a reader is used by one task at a time; the bridge hands it from the
/// handshake to the relay task that then owns it, and never touches it again.
struct ChunkReader: @unchecked Sendable {
    private var iterator: AsyncStream<[UInt8]>.Iterator
    /// Bytes received and not yet consumed.
    private(set) var buffered: [UInt8] = []

    init(_ source: AsyncStream<[UInt8]>) { iterator = source.makeAsyncIterator() }

    /// The next `count` bytes, or nil when the stream ends first.
    mutating func read(_ count: Int) async -> [UInt8]? {
        while buffered.count < count {
            guard let chunk = await iterator.next() else { return nil }
            buffered += chunk
        }
        let bytes = Array(buffered[0..<count])
        buffered.removeFirst(count)
        return bytes
    }

    /// What is buffered, emptied.
    mutating func drain() -> [UInt8] {
        defer { buffered = [] }
        return buffered
    }

    /// The next chunk: buffered bytes first, then the stream's; nil at its end.
    mutating func next() async -> [UInt8]? {
        if !buffered.isEmpty { return drain() }
        return await iterator.next()
    }
}

/// The socket descriptor, nil once closed, behind the lock every user takes.
private final class Descriptor: Sendable {
    let value: Mutex<Int32?>
    init(_ fd: Int32) { value = Mutex(fd) }
}
