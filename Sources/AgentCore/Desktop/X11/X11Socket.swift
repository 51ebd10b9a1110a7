import Glibc

/// A non-blocking `AF_UNIX` stream socket with deadlines, and a read buffer.
///
/// Every wait is a `poll(2)` bounded by `timeout`, so a server that stops answering is an error rather than a
/// hang. Partial reads and writes and `EINTR` are retried. Large payloads are read straight into the caller's
/// buffer; small packets come out of a 64 KiB read-ahead buffer so a burst of replies costs one `recv`.
final class X11Socket {
    private(set) var fd: Int32
    let timeout: Double
    private let inbox: UnsafeMutableRawBufferPointer
    private var inStart = 0
    private var inEnd = 0

    /// Connects to `/tmp/.X11-unix/X<display>`, falling back to the abstract socket of the same name
    /// (`@/tmp/.X11-unix/X<display>`, which Xvfb also listens on under Linux).
    init(display: Int, timeout: Double) throws(X11Error) {
        self.timeout = timeout
        let path = "/tmp/.X11-unix/X\(display)"
        var firstErrno: Int32 = 0
        var connected: Int32 = -1
        for abstract in [false, true] {
            let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
            guard fd >= 0 else { throw .system(.connectFailed, "socket(AF_UNIX)", errno: errno) }
            // SO_SNDTIMEO bounds a blocking AF_UNIX connect (a full listen backlog).
            var tv = timeval(tv_sec: Int(timeout), tv_usec: Int((timeout - Double(Int(timeout))) * 1e6))
            setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
            if Self.connect(fd, path: path, abstract: abstract) {
                connected = fd
                break
            }
            if firstErrno == 0 { firstErrno = errno }
            Glibc.close(fd)
        }
        guard connected >= 0 else {
            throw .system(.connectFailed, "cannot connect to X display :\(display) (\(path))", errno: firstErrno)
        }
        fd = connected
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
        inbox = .allocate(byteCount: 65536, alignment: 16)
    }

    deinit {
        close()
        inbox.deallocate()
    }

    /// Closes the socket; later I/O fails with `.closed`.
    func close() {
        if fd >= 0 {
            _ = Glibc.close(fd)
            fd = -1
        }
    }

    /// A deadline `timeout` seconds from now, in monotonic nanoseconds.
    func deadline() -> UInt64 { Self.now() + UInt64(timeout * 1e9) }

    // MARK: - Writing

    /// Sends all of `bytes`. While the socket is full, anything the server sends is read into the buffer, so a
    /// server blocked on writing to us cannot deadlock a long burst of requests.
    func send(_ bytes: [UInt8], deadline: UInt64) throws(X11Error) {
        var sent = 0
        while sent < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress! + sent, bytes.count - sent, Int32(MSG_NOSIGNAL)) }
            if n > 0 { sent += n; continue }
            let code = errno
            if n < 0 && code == EINTR { continue }
            guard n < 0 && (code == EAGAIN || code == EWOULDBLOCK) else {
                throw fd < 0 ? X11Error(.closed, "X connection is closed") : .system(.connectionLost, "X connection write failed", errno: code)
            }
            let events = try wait(Int16(POLLOUT) | Int16(POLLIN), deadline: deadline)
            if events & Int16(POLLIN) != 0 { try fill(deadline: deadline, atLeast: 0) }
        }
    }

    // MARK: - Reading

    /// Reads exactly `destination.count` bytes into `destination`.
    func read(into destination: UnsafeMutableRawBufferPointer, deadline: UInt64) throws(X11Error) {
        var done = 0
        while done < destination.count {
            if inStart < inEnd {
                let n = min(inEnd - inStart, destination.count - done)
                (destination.baseAddress! + done).copyMemory(from: inbox.baseAddress! + inStart, byteCount: n)
                inStart += n
                done += n
            } else if destination.count - done >= inbox.count / 2 {
                // Big payload (GetImage): receive straight into the destination.
                done += try receive(into: destination.baseAddress! + done, count: destination.count - done, deadline: deadline)
            } else {
                try fill(deadline: deadline, atLeast: 1)
            }
        }
    }

    /// Reads `count` bytes into a new array.
    func read(count: Int, deadline: UInt64) throws(X11Error) -> [UInt8] {
        var failure: X11Error?
        let bytes = [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            do throws(X11Error) {
                try read(into: UnsafeMutableRawBufferPointer(buffer), deadline: deadline)
                initialized = count
            } catch {
                failure = error
                initialized = 0
            }
        }
        if let failure { throw failure }
        return bytes
    }

    /// Reads whatever is available into the buffer, waiting until it holds at least `atLeast` unread bytes.
    private func fill(deadline: UInt64, atLeast: Int) throws(X11Error) {
        if inStart == inEnd { inStart = 0; inEnd = 0 }
        if inEnd == inbox.count {
            // Compact: move the unread bytes to the front.
            let unread = inEnd - inStart
            inbox.baseAddress!.copyMemory(from: inbox.baseAddress! + inStart, byteCount: unread)
            inStart = 0
            inEnd = unread
        }
        if atLeast == 0 {
            // Opportunistic drain while writing: take what is ready, if there is room.
            guard inEnd < inbox.count else { return }
            inEnd += try receive(into: inbox.baseAddress! + inEnd, count: inbox.count - inEnd, deadline: deadline,
                                 mayBeEmpty: true)
            return
        }
        while inEnd - inStart < atLeast {
            inEnd += try receive(into: inbox.baseAddress! + inEnd, count: inbox.count - inEnd, deadline: deadline)
        }
    }

    /// One `recv`, waiting for data first when none is ready. Returns the byte count (> 0, or 0 only when
    /// `mayBeEmpty` and nothing was ready).
    private func receive(into pointer: UnsafeMutableRawPointer, count: Int, deadline: UInt64,
                         mayBeEmpty: Bool = false) throws(X11Error) -> Int {
        while true {
            let n = recv(fd, pointer, count, 0)
            if n > 0 { return n }
            if n == 0 { throw X11Error(.connectionLost, "X server closed the connection") }
            let code = errno
            if code == EINTR { continue }
            guard code == EAGAIN || code == EWOULDBLOCK else {
                throw fd < 0 ? X11Error(.closed, "X connection is closed") : .system(.connectionLost, "X connection read failed", errno: code)
            }
            if mayBeEmpty { return 0 }
            _ = try wait(Int16(POLLIN), deadline: deadline)
        }
    }

    /// Polls for `events` until `deadline`; returns the events that occurred.
    private func wait(_ events: Int16, deadline: UInt64) throws(X11Error) -> Int16 {
        while true {
            guard fd >= 0 else { throw X11Error(.closed, "X connection is closed") }
            let now = Self.now()
            guard now < deadline else { throw X11Error(.timeout, "X server did not answer within \(timeout) s") }
            var entry = pollfd(fd: fd, events: events, revents: 0)
            let ms = Int32(min((deadline - now) / 1_000_000 + 1, UInt64(Int32.max)))
            let n = poll(&entry, 1, ms)
            if n < 0 && errno == EINTR { continue }
            if n < 0 { throw .system(.connectionLost, "poll on X connection failed", errno: errno) }
            if n > 0 {
                // POLLHUP/POLLERR: let the next recv/send report what happened.
                if entry.revents & (Int16(POLLHUP) | Int16(POLLERR)) != 0 { return entry.revents | events }
                return entry.revents
            }
        }
    }

    static func now() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
    }

    private static func connect(_ fd: Int32, path: String, abstract: Bool) -> Bool {
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        let start = abstract ? 1 : 0 // abstract namespace: a leading NUL, no trailing NUL
        let capacity = MemoryLayout.size(ofValue: address.sun_path)
        guard start + bytes.count < capacity else { return false }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: [UInt8](repeating: 0, count: start) + bytes)
        }
        let length = MemoryLayout<sockaddr_un>.offset(of: \.sun_path)! + start + bytes.count + (abstract ? 0 : 1)
        while true {
            let result = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(length)) }
            }
            if result == 0 { return true }
            if errno != EINTR { return false }
        }
    }
}

@available(*, unavailable) extension X11Socket: Sendable {}
