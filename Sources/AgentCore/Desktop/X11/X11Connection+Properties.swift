/// Atoms, window properties, the pointer position and window-manager readiness.
extension X11Connection {
    /// A window property's value (GetProperty reply).
    struct Property {
        /// The property's type atom (0 when the property does not exist).
        var type: UInt32
        /// 8, 16 or 32 (0 when the property does not exist).
        var format: UInt8
        /// The raw value bytes.
        var value: [UInt8]

        /// The value as 32-bit items (format 32).
        var items32: [UInt32] {
            guard format == 32 else { return [] }
            return stride(from: 0, to: value.count - 3, by: 4).map { value.x11U32($0) }
        }
    }

    /// InternAtom (opcode 16): the atom named `name`. With `onlyIfExists`, 0 when the server has no such atom.
    func internAtom(_ name: String, onlyIfExists: Bool = false) throws(X11Error) -> UInt32 {
        if let atom = atoms[name] { return atom }
        let bytes = Array(name.utf8)
        // X11 protocol, InternAtom (opcode 16): only-if-exists in the data byte, CARD16 name length, 2 unused, name.
        let reply = try reply(to: request(16, data: onlyIfExists ? 1 : 0) { w in
            w.u16(UInt16(bytes.count))
            w.u16(0)
            w.append(bytes)
        })
        let atom = reply.u32(8) // Reply: atom at 8.
        if atom != 0 { atoms[name] = atom }
        return atom
    }

    /// GetProperty (opcode 20) without deleting: up to `maxLength` 4-byte units of `property` on `window`.
    ///
    /// - Parameter type: The expected type atom, or 0 (AnyPropertyType).
    func getProperty(window: UInt32, property: UInt32, type: UInt32 = 0, maxLength: UInt32 = 1024) throws(X11Error) -> Property {
        // X11 protocol, GetProperty (opcode 20): delete in the data byte, window, property, type,
        // long-offset, long-length.
        let reply = try reply(to: request(20, data: 0) { w in
            w.u32(window)
            w.u32(property)
            w.u32(type)
            w.u32(0)
            w.u32(maxLength)
        })
        // Reply: format at 1, type at 8, bytes-after at 12, length of value (in format units) at 16, value at 32.
        let format = reply.detail
        let count = Int(reply.u32(16)) * Int(format) / 8
        return Property(type: reply.u32(8), format: format, value: Array(reply.body.prefix(count)))
    }

    /// QueryPointer (opcode 38) on the root window: the pointer's position in root coordinates.
    func pointerPosition() throws(X11Error) -> (x: Int, y: Int) {
        // X11 protocol, QueryPointer (opcode 38): window. Reply: same-screen at 1, root at 8, child at 12,
        // root-x at 16, root-y at 18, win-x, win-y, mask.
        let reply = try reply(to: request(38) { w in w.u32(setup.rootWindow) })
        return (Int(reply.i16(16)), Int(reply.i16(18)))
    }

    /// Whether an EWMH window manager runs: the root window's `_NET_SUPPORTING_WM_CHECK` names a window that
    /// exists and carries the same property pointing to itself (EWMH, "_NET_SUPPORTING_WM_CHECK").
    func windowManagerReady() throws(X11Error) -> Bool {
        let atom = try internAtom("_NET_SUPPORTING_WM_CHECK", onlyIfExists: true)
        guard atom != 0 else { return false }
        let windowAtom: UInt32 = 33 // predefined atom WINDOW
        guard let child = try getProperty(window: setup.rootWindow, property: atom, type: windowAtom, maxLength: 1)
            .items32.first, child != 0 else { return false }
        do {
            let own = try getProperty(window: child, property: atom, type: windowAtom, maxLength: 1)
            return own.items32.first == child
        } catch where error.protocolError?.errorCode == 3 { // BadWindow: a stale property, the WM is gone
            return false
        }
    }
}
