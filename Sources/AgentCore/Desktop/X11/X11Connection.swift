import Glibc

/// A client connection to an X server, speaking the X11 wire protocol over the display's Unix socket.
///
/// No libX11: requests are encoded here, sent with sequence numbers, and replies, errors and events are read and
/// matched by sequence number. Every call is synchronous and may block for up to `timeout` seconds, so the
/// connection belongs on a dedicated thread: `X11Display` wraps it in an actor that runs on its own queue.
///
/// Errors: an error packet for a request whose reply is being awaited is thrown by that call. An error for a
/// request without a reply (FakeInput, ChangeKeyboardMapping, …) is thrown by the next call that waits for a reply,
/// such as `sync()`, the way Xlib reports it at the next `XSync`. A timeout or I/O failure leaves the byte
/// stream out of step, so it closes the connection and every later call throws `.connectionLost`.
final class X11Connection {
    /// What the server said about itself at setup.
    let setup: X11Setup
    /// The display number (`3` for `:3`).
    let display: Int

    private let socket: X11Socket
    private var outbox = WireWriter()
    /// The sequence number of the last request written (the server counts from 1).
    private(set) var sequence: UInt64 = 0
    private var deferredError: X11Error?
    /// The sequence number of the last reply read.
    private var lastReplied: UInt64 = 0
    private var failure: X11Error?
    private var resourceCounter: UInt32 = 0
    private var extensionCache: [String: ExtensionInfo?] = [:]

    /// Events read while waiting for replies are kept here when `retainsEvents` is set (tests), else dropped.
    var retainsEvents = false
    /// Kept events, each the 32-byte event packet.
    var events: [[UInt8]] = []
    /// Interned atoms, by name.
    var atoms: [String: UInt32] = [:]
    /// Keyboard map, spare-keycode bindings and held keys (see `X11Connection+Keyboard.swift`).
    var keyboard = KeyboardState()
    /// The MIT-SHM capture segment (see `X11Connection+Image.swift`).
    var sharedImage = SharedImageState()
    /// XTEST's major opcode once its version was checked.
    var xtestOpcode: UInt8?
    /// Pointer buttons pressed through XTEST and not yet released.
    var heldButtons: Set<UInt8> = []

    /// A QueryExtension answer.
    struct ExtensionInfo {
        var majorOpcode: UInt8
        var firstEvent: UInt8
        var firstError: UInt8
    }

    /// Connects to display `:display` and performs the connection setup.
    ///
    /// - Parameters:
    ///   - display: The display number.
    ///   - authorityFile: An Xauthority file; its MIT-MAGIC-COOKIE-1 for this display (FamilyLocal with this host's
    ///     name, or FamilyWild) is sent. `nil` connects without authorization (pass `XAuthority.defaultPath` to do
    ///     what Xlib does).
    ///   - timeout: How long any single exchange with the server may take.
    /// - Throws: `X11Error` `.connectFailed`, `.authority`, `.refused` (with the server's reason), `.timeout`.
    init(display: Int, authorityFile: String?, timeout: Double = 5) throws(X11Error) {
        var authName: [UInt8] = []
        var authData: [UInt8] = []
        if let authorityFile, let cookie = try XAuthority(contentsOf: authorityFile).cookie(forDisplay: display) {
            authName = Array(XAuthority.magicCookieName.utf8)
            authData = cookie
        }
        let socket = try X11Socket(display: display, timeout: timeout)
        let deadline = socket.deadline()

        // X11 protocol, "Connection Setup": byte-order 'l', protocol 11.0, auth name and data, each padded.
        var request = WireWriter()
        request.u8(0x6C)
        request.u8(0)
        request.u16(11)
        request.u16(0)
        request.u16(UInt16(authName.count))
        request.u16(UInt16(authData.count))
        request.u16(0)
        request.append(authName)
        request.pad()
        request.append(authData)
        request.pad()
        try socket.send(request.bytes, deadline: deadline)

        let head = try socket.read(count: 8, deadline: deadline)
        let additional = try socket.read(count: 4 * Int(head.x11U16(6)), deadline: deadline)
        switch head[0] {
        case 1: // Success
            setup = try X11Setup(parsing: head + additional)
        case 0: // Failed: reason length in byte 1, reason in the additional data
            let reason = String(decoding: additional.prefix(Int(head[1])), as: UTF8.self)
            throw Self.refusal(display, reason, version: "\(head.x11U16(2)).\(head.x11U16(4))")
        case 2: // Authenticate: the additional data is the reason, NUL-padded
            throw Self.refusal(display, String(decoding: additional.prefix { $0 != 0 }, as: UTF8.self), version: nil)
        default:
            throw X11Error(.connectionLost, "X server :\(display) sent an unknown setup status \(head[0])")
        }
        self.socket = socket
        self.display = display
    }

    deinit {
        sharedImage.release()
    }

    /// Releases server-side state (SHM segment, spare-keycode bindings) and closes the socket. Idempotent.
    func close() {
        guard failure?.code != .closed else { return }
        if failure == nil {
            // Undo our server-side changes and wait for them, so nothing outlives close(): no key or button
            // stays down, no keysym stays bound, no segment stays attached.
            try? releaseHeldInput()
            try? restoreKeyboardBindings()
            try? detachSharedImage()
            try? sync()
        }
        sharedImage.release()
        socket.close()
        failure = X11Error(.closed, "X connection to :\(display) is closed")
    }

    // MARK: - Requests

    /// Queues one request: `opcode`, the header's data byte, then what `body` writes, padded to 4 bytes, with the
    /// length field filled in. Returns its sequence number. Nothing is sent until `flush()` or a reply is awaited.
    @discardableResult
    func request(_ opcode: UInt8, data: UInt8 = 0, _ body: (inout WireWriter) -> Void = { _ in }) -> UInt64 {
        let start = outbox.bytes.count
        // X11 protocol, "Request Format": opcode, data byte, CARD16 length in 4-byte units (header included).
        outbox.u8(opcode)
        outbox.u8(data)
        outbox.u16(0)
        body(&outbox)
        outbox.pad()
        let units = (outbox.bytes.count - start) / 4
        precondition(units <= min(setup.maximumRequestLength, 65535), "X11 request \(opcode) of \(units * 4) bytes is too long")
        outbox.set16(UInt16(units), at: start + 2)
        sequence += 1
        return sequence
    }

    /// Bytes of queued requests not yet sent.
    var pendingBytes: Int { outbox.bytes.count }

    /// Sends every queued request.
    func flush() throws(X11Error) {
        try checkUsable()
        guard !outbox.bytes.isEmpty else { return }
        let bytes = outbox.bytes
        outbox.bytes.removeAll(keepingCapacity: outbox.bytes.count <= 65536)
        try guarded { () throws(X11Error) in try socket.send(bytes, deadline: socket.deadline()) }
    }

    /// Flushes, then reads until the reply (or error) for request `awaited` arrives.
    ///
    /// - Throws: the request's own error; otherwise the first error of an earlier reply-less request.
    func reply(to awaited: UInt64) throws(X11Error) -> X11Reply {
        try flush()
        let deadline = socket.deadline()
        while true {
            switch try readPacket(deadline: deadline) {
            case .error(let sequence, let error):
                if sequence == awaited { throw error }
                if deferredError == nil { deferredError = error }
            case .reply(let sequence, let reply):
                guard sequence == awaited else { continue } // a late reply to an abandoned request
                lastReplied = sequence
                keyboard.noteReply(sequence)
                if let error = deferredError {
                    deferredError = nil
                    throw error
                }
                return reply
            case .event:
                continue
            }
        }
    }

    /// The next event (with `retainsEvents` set), reading from the server for up to `timeout` seconds.
    func nextEvent(timeout: Double) throws(X11Error) -> [UInt8] {
        try flush()
        let deadline = X11Socket.now() + UInt64(timeout * 1e9)
        while events.isEmpty {
            if case .error(_, let error) = try readPacket(deadline: deadline), deferredError == nil { deferredError = error }
        }
        return events.removeFirst()
    }

    private enum Packet {
        case reply(UInt64, X11Reply)
        case error(UInt64, X11Error)
        case event
    }

    /// Reads one packet: a reply (with its additional data), an error, or an event (handled and queued or dropped).
    private func readPacket(deadline: UInt64) throws(X11Error) -> Packet {
        let header = try guarded { () throws(X11Error) in try socket.read(count: 32, deadline: deadline) }
        let full = fullSequence(header.x11U16(2))
        switch header[0] {
        case 0: // X11 protocol, "Errors": code, sequence, bad value, minor opcode, major opcode
            let error = X11Error.ProtocolError(errorCode: header[1], majorOpcode: header[10],
                                               minorOpcode: header.x11U16(8), badValue: header.x11U32(4),
                                               sequence: header.x11U16(2))
            return .error(full, .request(error, requestName: requestName(major: error.majorOpcode, minor: error.minorOpcode)))
        case 1: // Reply: 4 * length additional bytes follow the 32-byte header
            let count = Int(header.x11U32(4)) * 4
            let body = try guarded { () throws(X11Error) in try socket.read(count: count, deadline: deadline) }
            return .reply(full, X11Reply(header: header, body: body))
        default:
            if header[0] & 0x7F == 35 { // GenericEvent (X Generic Event Extension): has a length field
                _ = try guarded { () throws(X11Error) in try socket.read(count: Int(header.x11U32(4)) * 4, deadline: deadline) }
            } else {
                handleEvent(header, sequence: full)
            }
            return .event
        }
    }

    /// A round trip (GetInputFocus, like `XSync`): every earlier request has been processed when it returns.
    ///
    /// - Throws: the first error of an earlier request.
    func sync() throws(X11Error) {
        // X11 protocol, GetInputFocus (opcode 43): no arguments, a 32-byte reply.
        _ = try reply(to: request(43))
    }

    /// Syncs when many requests were sent since the last reply, so the 16-bit sequence numbers in error packets
    /// stay unambiguous during long bursts (typing a long text).
    func syncIfBacklogged() throws(X11Error) {
        if sequence - lastReplied > 16384 { try sync() }
    }

    /// Sends a reply-less request and waits until the server has processed it, so its error is thrown here.
    func checked(_ opcode: UInt8, data: UInt8 = 0, _ body: (inout WireWriter) -> Void) throws(X11Error) {
        request(opcode, data: data, body)
        try sync()
    }

    /// A new resource id (window, SHM segment) from the range the server gave this client.
    func allocateID() throws(X11Error) -> UInt32 {
        // X11 protocol, "Resource IDs": base | bits within mask.
        let mask = setup.resourceIDMask
        let shift = UInt32(mask.trailingZeroBitCount)
        resourceCounter += 1
        let value = resourceCounter << shift
        guard value & ~mask == 0, value >> shift == resourceCounter else {
            throw X11Error(.unsupported, "X resource ids exhausted")
        }
        return setup.resourceIDBase | value
    }

    /// QueryExtension (opcode 98): the extension's opcodes, or `nil` if the server lacks it. Cached.
    func queryExtension(_ name: String) throws(X11Error) -> ExtensionInfo? {
        if let cached = extensionCache[name] { return cached }
        let bytes = Array(name.utf8)
        let reply = try reply(to: request(98) { w in
            w.u16(UInt16(bytes.count))
            w.u16(0)
            w.append(bytes)
        })
        // Reply: present (BOOL) at 8, major-opcode 9, first-event 10, first-error 11.
        let info = reply.u8(8) == 0 ? nil : ExtensionInfo(majorOpcode: reply.u8(9), firstEvent: reply.u8(10),
                                                          firstError: reply.u8(11))
        extensionCache[name] = info
        return info
    }

    // MARK: - Private

    private func checkUsable() throws(X11Error) {
        if let failure { throw failure }
    }

    /// Runs socket I/O; a failure other than a protocol error breaks the connection for good.
    private func guarded<T>(_ body: () throws(X11Error) -> T) throws(X11Error) -> T {
        try checkUsable()
        do {
            return try body()
        } catch {
            failure = X11Error(error.code == .closed ? .closed : .connectionLost,
                               "X connection to :\(display) is unusable: \(error.message)")
            socket.close()
            throw error
        }
    }

    /// The full sequence number of a packet carrying the low 16 bits `low`: the latest request at or before
    /// `sequence` with those bits (replies never refer to requests not yet sent).
    private func fullSequence(_ low: UInt16) -> UInt64 {
        sequence - UInt64(UInt16(truncatingIfNeeded: sequence) &- low)
    }

    private func handleEvent(_ event: [UInt8], sequence: UInt64) {
        if event[0] & 0x7F == 34 { keyboard.noteMappingNotify(event, sequence: sequence) } // MappingNotify
        if retainsEvents { events.append(event) }
    }

    private func requestName(major: UInt8, minor: UInt16) -> String? {
        let core: [UInt8: String] = [16: "InternAtom", 20: "GetProperty", 38: "QueryPointer", 43: "GetInputFocus",
                                     73: "GetImage", 98: "QueryExtension", 100: "ChangeKeyboardMapping",
                                     101: "GetKeyboardMapping", 119: "GetModifierMapping"]
        if let name = core[major] { return name }
        for (name, info) in extensionCache where info?.majorOpcode == major { return "\(name) request \(minor)" }
        return nil
    }

    private static func refusal(_ display: Int, _ reason: String, version: String?) -> X11Error {
        let trimmed = reason.trimmingSuffix { $0 == "\n" || $0 == " " || $0 == "\0" }
        let detail = version.map { " (server protocol \($0))" } ?? ""
        return X11Error(.refused, "X server :\(display) refused the connection\(detail): \(trimmed)")
    }
}

@available(*, unavailable) extension X11Connection: Sendable {}

extension String {
    /// The string without trailing characters matching `predicate`.
    fileprivate func trimmingSuffix(while predicate: (Character) -> Bool) -> String {
        var result = self[...]
        while let last = result.last, predicate(last) { result.removeLast() }
        return String(result)
    }
}
