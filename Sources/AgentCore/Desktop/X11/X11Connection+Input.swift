/// Input injection through the XTEST extension.
extension X11Connection {
    /// Core event types XTEST FakeInput takes.
    enum FakeEvent: UInt8 {
        case keyPress = 2, keyRelease = 3, buttonPress = 4, buttonRelease = 5, motionNotify = 6
    }

    /// XTEST's major opcode, after checking the extension is present (GetVersion on first use).
    ///
    /// - Throws: `.unsupported` when the server has no XTEST.
    func xtest() throws(X11Error) -> UInt8 {
        if let xtestOpcode { return xtestOpcode }
        guard let info = try queryExtension("XTEST") else {
            throw X11Error(.unsupported, "X server :\(display) has no XTEST extension")
        }
        // XTEST GetVersion (minor 0): CARD8 client major version, 1 unused, CARD16 client minor version.
        // Reply: server major version at 1, minor version at 8.
        _ = try reply(to: request(info.majorOpcode, data: 0) { w in
            w.u8(2)
            w.u8(0)
            w.u16(2)
        })
        xtestOpcode = info.majorOpcode
        return info.majorOpcode
    }

    /// Queues one XTEST FakeInput request (sent at the next flush or round trip).
    ///
    /// - Parameters:
    ///   - type: The core event type.
    ///   - detail: The keycode or button; for MotionNotify 0 (absolute coordinates).
    ///   - x: Root x for MotionNotify.
    ///   - y: Root y for MotionNotify.
    func fakeInput(_ type: FakeEvent, detail: UInt8, x: Int = 0, y: Int = 0) throws(X11Error) {
        let opcode = try xtest()
        let root = type == .motionNotify ? setup.rootWindow : 0
        // XTEST FakeInput (minor 2): type, detail, 2 unused, time (0 = CurrentTime), root, 8 unused,
        // INT16 rootX, INT16 rootY, 7 unused, CARD8 deviceid (core device).
        request(opcode, data: 2) { w in
            w.u8(type.rawValue)
            w.u8(detail)
            w.u16(0)
            w.u32(0)
            w.u32(root)
            w.zeros(8)
            w.i16(Int16(clamping: x))
            w.i16(Int16(clamping: y))
            w.zeros(7)
            w.u8(0)
        }
    }

    /// Moves the pointer to (`x`, `y`) on the root window (absolute MotionNotify) and flushes.
    func movePointer(x: Int, y: Int) throws(X11Error) {
        try fakeInput(.motionNotify, detail: 0, x: x, y: y)
        try flush()
    }

    /// Presses or releases pointer button `button` (1 left, 2 middle, 3 right, 4/5 wheel up/down,
    /// 6/7 wheel left/right) and flushes.
    func button(_ button: Int, press: Bool) throws(X11Error) {
        let detail = try Self.buttonDetail(button)
        try fakeInput(press ? .buttonPress : .buttonRelease, detail: detail)
        if press { heldButtons.insert(detail) } else { heldButtons.remove(detail) }
        try flush()
    }

    /// Releases every key and button this connection pressed and did not release (`close()` calls it).
    func releaseHeldInput() throws(X11Error) {
        for keycode in keyboard.held.keys.sorted().reversed() {
            try fakeInput(.keyRelease, detail: keycode)
        }
        keyboard.held.removeAll()
        keyboard.addedShift = nil
        for button in heldButtons.sorted() { try fakeInput(.buttonRelease, detail: button) }
        heldButtons.removeAll()
        try flush()
    }

    /// Clicks `button` `count` times (press and release each time, no delay: the server stamps the events with
    /// its current time, so clients see a double or triple click), then flushes.
    func click(button: Int, count: Int) throws(X11Error) {
        let detail = try Self.buttonDetail(button)
        for _ in 0..<max(count, 0) {
            try fakeInput(.buttonPress, detail: detail)
            try fakeInput(.buttonRelease, detail: detail)
            try syncIfBacklogged()
        }
        try flush()
    }

    private static func buttonDetail(_ button: Int) throws(X11Error) -> UInt8 {
        guard (1...255).contains(button) else { throw X11Error(.invalidArgument, "no pointer button \(button)") }
        return UInt8(button)
    }
}
