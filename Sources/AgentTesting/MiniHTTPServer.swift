import Dispatch
import Foundation
import Glibc
import Synchronization

/// A minimal HTTP/1.1 server on blocking POSIX sockets: one accept thread, one thread per connection.
///
/// Listens on 127.0.0.1 with an ephemeral port. Connections are kept alive between requests;
/// `stop()` shuts every socket down (waking blocked `accept`, `recv` and `poll` calls) and waits for
/// every thread to exit.
final class MiniHTTPServer: Sendable {
    /// Handles one request: writes the response on the connection and returns whether the connection
    /// may serve another request.
    typealias Handler = @Sendable (ServerRequest, HTTPServerConnection) -> Bool

    /// Connection lifecycle notifications (accepted, closed).
    struct Observer: Sendable {
        var accepted: @Sendable () -> Void = {}
        var closed: @Sendable () -> Void = {}
    }

    struct Limits: Sendable {
        var maxHeaderBytes = 64 * 1024
        var maxBodyBytes = 32 * 1024 * 1024
    }

    private struct State {
        var stopped = false
        /// Set under the lock when the accept thread closes the listener, so ``stop()`` never shuts
        /// down a descriptor number the process has since reused.
        var listenerClosed = false
        var connections: Set<Int32> = []
    }

    let port: UInt16
    private let listener: Int32
    private let state = Mutex(State())
    private let threads = DispatchGroup()
    private let handler: Handler
    private let observer: Observer
    let limits: Limits

    /// Binds 127.0.0.1:0, listens and starts the accept thread.
    init(limits: Limits = Limits(), observer: Observer = Observer(), handler: @escaping Handler) throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw FakeServerError("socket() failed: errno \(errno)") }
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = in_addr_t(0x7F00_0001).bigEndian
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0, listen(fd, 256) == 0 else {
            let code = errno
            Glibc.close(fd)
            throw FakeServerError("bind/listen on 127.0.0.1 failed: errno \(code)")
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        port = UInt16(bigEndian: address.sin_port)
        listener = fd
        self.limits = limits
        self.observer = observer
        self.handler = handler
        spawn(name: "fake-server-accept") { [self] in acceptLoop() }
    }

    /// Closes the listener and every connection, then waits (up to 5 s) for all threads to exit.
    func stop() {
        state.withLock { s in
            for fd in s.connections { shutdown(fd, Int32(SHUT_RDWR)) }
            if !s.stopped && !s.listenerClosed { shutdown(listener, Int32(SHUT_RDWR)) }
            s.stopped = true
        }
        _ = threads.wait(timeout: .now() + 5)
    }

    private func spawn(name: String, _ body: @escaping @Sendable () -> Void) {
        threads.enter()
        let thread = Thread { [threads] in
            body()
            threads.leave()
        }
        thread.name = name
        thread.stackSize = 1 << 20
        thread.start()
    }

    private func acceptLoop() {
        defer {
            state.withLock { s in
                s.listenerClosed = true
                Glibc.close(listener)
            }
        }
        while true {
            let fd = accept(listener, nil, nil)
            if fd < 0 {
                if errno == EINTR || errno == ECONNABORTED { continue }
                if state.withLock({ $0.stopped }) { return }
                if errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM {
                    var pfd = pollfd(fd: listener, events: Int16(POLLIN), revents: 0)
                    _ = poll(&pfd, 1, 100)  // back off until descriptors free up
                    continue
                }
                return
            }
            let accepted = state.withLock { s -> Bool in
                if s.stopped { return false }
                s.connections.insert(fd)
                return true
            }
            guard accepted else {
                Glibc.close(fd)
                return
            }
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)  // child processes of the tests must not inherit it
            var one: Int32 = 1
            setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
            observer.accepted()
            spawn(name: "fake-server-conn") { [self] in serve(fd) }
        }
    }

    private func serve(_ fd: Int32) {
        let connection = HTTPServerConnection(fd: fd, limits: limits)
        loop: while !connection.isClosed {
            switch connection.readRequest() {
            case .request(let request):
                let keepAlive = handler(request, connection)
                if !keepAlive || !request.keepAlive { break loop }
            case .closed:
                break loop
            case .rejected(let status, let type, let message):
                connection.writeError(status: status, type: type, message: message)
                connection.lingerClose()
                break loop
            }
        }
        state.withLock { _ = $0.connections.remove(fd) }
        connection.close()
        observer.closed()
    }
}

/// A failure to start the fake server.
public struct FakeServerError: Error, CustomStringConvertible, Sendable {
    public let description: String
    init(_ description: String) { self.description = description }
}
