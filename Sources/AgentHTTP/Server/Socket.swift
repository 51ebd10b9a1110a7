import CEpoll
import Glibc

/// Thin wrappers over the socket calls the server makes, with their Swift import quirks in one place.
enum Socket {
    /// Resolves `host` and binds a non-blocking listening socket on it.
    ///
    /// - Returns: the socket and the port it is bound to (the ephemeral one when `port` is 0).
    /// - Throws: ``HTTPServerError`` naming `host:port`, e.g. when the port is already in use.
    static func listen(host: String, port: Int, backlog: Int) throws(HTTPServerError) -> (fd: Int32, port: Int) {
        let display = host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
        guard (0...65535).contains(port) else { throw HTTPServerError("invalid port \(port)") }
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_flags = AI_PASSIVE
        var results: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, String(port), &hints, &results)
        guard status == 0, let first = results else {
            throw HTTPServerError("cannot resolve \(display): \(String(cString: gai_strerror(status)))")
        }
        defer { freeaddrinfo(results) }

        let fd = socket(first.pointee.ai_family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue)
                        | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw HTTPServerError("socket() for \(display) failed: \(errorText(errno))", errno: errno) }
        setOption(fd, SOL_SOCKET, SO_REUSEADDR, 1)
        if bind(fd, first.pointee.ai_addr, first.pointee.ai_addrlen) != 0 {
            let code = errno
            Glibc.close(fd)
            if code == EADDRINUSE { throw HTTPServerError("\(display) is already in use", errno: code) }
            throw HTTPServerError("cannot bind \(display): \(errorText(code))", errno: code)
        }
        guard Glibc.listen(fd, Int32(clamping: backlog)) == 0 else {
            let code = errno
            Glibc.close(fd)
            throw HTTPServerError("cannot listen on \(display): \(errorText(code))", errno: code)
        }
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        _ = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        return (fd, address(of: storage).port)
    }

    /// Accepts one connection as a non-blocking, close-on-exec socket with `TCP_NODELAY`.
    ///
    /// - Returns: the socket and the peer's address, or nil with `errno` set (EAGAIN when none is waiting).
    static func accept(_ listener: Int32) -> (fd: Int32, peer: String)? {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let fd = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                accept4(listener, $0, &length, Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue))
            }
        }
        guard fd >= 0 else { return nil }
        setOption(fd, Int32(IPPROTO_TCP), TCP_NODELAY, 1)
        let peer = address(of: storage)
        return (fd, peer.host.contains(":") ? "[\(peer.host)]:\(peer.port)" : "\(peer.host):\(peer.port)")
    }

    /// Sets an integer socket option, ignoring failure (the options we set are optimisations).
    static func setOption(_ fd: Int32, _ level: Int32, _ name: Int32, _ value: Int32) {
        var value = value
        _ = setsockopt(fd, level, name, &value, socklen_t(MemoryLayout<Int32>.size))
    }

    /// The numeric host and port of an IPv4 or IPv6 socket address.
    static func address(of storage: sockaddr_storage) -> (host: String, port: Int) {
        var storage = storage
        var text = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN) + 1)
        switch Int32(storage.ss_family) {
        case AF_INET:
            return withUnsafePointer(to: &storage) {
                $0.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { sin in
                    var addr = sin.pointee.sin_addr
                    inet_ntop(AF_INET, &addr, &text, socklen_t(text.count))
                    return (string(text), Int(UInt16(bigEndian: sin.pointee.sin_port)))
                }
            }
        case AF_INET6:
            return withUnsafePointer(to: &storage) {
                $0.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { sin6 in
                    var addr = sin6.pointee.sin6_addr
                    inet_ntop(AF_INET6, &addr, &text, socklen_t(text.count))
                    return (string(text), Int(UInt16(bigEndian: sin6.pointee.sin6_port)))
                }
            }
        default:
            return ("", 0)
        }
    }

    /// A NUL-terminated C buffer as a string.
    private static func string(_ text: [CChar]) -> String {
        let bytes = text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// `strerror` as a Swift string.
    static func errorText(_ code: Int32) -> String { String(cString: strerror(code)) }

    /// Nanoseconds on the monotonic clock.
    static func now() -> UInt64 {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return UInt64(spec.tv_sec) * 1_000_000_000 + UInt64(spec.tv_nsec)
    }
}

extension Duration {
    /// The duration in whole nanoseconds, clamped to 0 for negative values.
    var nanoseconds: UInt64 {
        let (seconds, attoseconds) = components
        guard seconds >= 0 else { return 0 }
        return UInt64(seconds) * 1_000_000_000 + UInt64(attoseconds / 1_000_000_000)
    }
}
