/// Checks that the window manager's event loop is answering, not merely that it has claimed the screen.
///
/// openbox sets `_NET_SUPPORTING_WM_CHECK` early in its start-up, before its event loop runs, and
/// requests that reach it in between can go unanswered: a window mapped then may stall for about 5 s
/// (desktop-perf §3; Xt programs such as xterm wait their `wmTimeout`, 5 s, for the window manager's
/// answer), and a probe sent then was never answered here. The probe asks something only a running
/// event loop answers: `_NET_REQUEST_FRAME_EXTENTS` for a small unmapped window of its own (EWMH 1.5),
/// which openbox answers by setting `_NET_FRAME_EXTENTS` on that window. The request is repeated until
/// the answer arrives.
///
/// It uses a short-lived connection of its own and blocks: call it on a dedicated thread.
enum WindowManagerProbe {
    /// Sends the request every `resend` seconds and polls for the answer every `interval` seconds
    /// until `timeout` passes.
    ///
    /// - Returns: Whether the window manager answered.
    /// - Throws: `X11Error` when the display cannot be used.
    static func answers(
        display: Int, authorityFile: String, timeout: Double, resend: Double = 0.025, interval: Double = 0.002
    ) throws(X11Error) -> Bool {
        let connection = try X11Connection(display: display, authorityFile: authorityFile, timeout: max(timeout, 1))
        defer { connection.close() }
        let root = connection.setup.rootWindow
        let request = try connection.internAtom("_NET_REQUEST_FRAME_EXTENTS")
        let extents = try connection.internAtom("_NET_FRAME_EXTENTS")
        let window = try connection.allocateID()
        // X11 protocol, CreateWindow (opcode 1): depth in the data byte (0 = CopyFromParent), wid, parent,
        // x, y, width, height, border-width, class (1 = InputOutput), visual (0 = CopyFromParent),
        // value-mask (none). Never mapped.
        connection.request(1, data: 0) { w in
            w.u32(window)
            w.u32(root)
            w.i16(-10)
            w.i16(-10)
            w.u16(1)
            w.u16(1)
            w.u16(0)
            w.u16(1)
            w.u32(0)
            w.u32(0)
        }
        defer {
            connection.request(4) { w in w.u32(window) }  // DestroyWindow
            try? connection.sync()
        }
        let deadline = DesktopClock.now() + UInt64(timeout * 1e9)
        while DesktopClock.now() < deadline {
            // X11 protocol, SendEvent (opcode 25): propagate in the data byte, destination, event-mask
            // (SubstructureNotify 1<<19 | SubstructureRedirect 1<<20, as EWMH asks for root messages), then
            // a 32-byte ClientMessage event (code 33, format 32, sequence, window, type, 20 data bytes).
            connection.request(25, data: 0) { w in
                w.u32(root)
                w.u32(1 << 19 | 1 << 20)
                w.u8(33)
                w.u8(32)
                w.u16(0)
                w.u32(window)
                w.u32(request)
                w.zeros(20)
            }
            let remaining = Double(deadline - min(deadline, DesktopClock.now())) / 1e9
            let answered = try DesktopClock.poll(timeout: min(resend, remaining), interval: interval) { () throws(X11Error) in
                try connection.getProperty(window: window, property: extents, maxLength: 4).type != 0
            }
            if answered { return true }
        }
        return false
    }
}
