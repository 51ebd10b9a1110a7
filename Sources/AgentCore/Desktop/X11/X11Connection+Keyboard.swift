/// Keys: the keyboard map, binding keysyms to spare keycodes, chords, held keys and typing text.
///
/// A keysym the map lacks (most non-ASCII text, unusual keys) is bound to a spare keycode with
/// ChangeKeyboardMapping, as xdotool does. Unlike xdotool, the binding is not undone right after the key event:
/// clients such as Xlib apps re-read the map lazily, when they handle the key event, and by then an immediate
/// restore would have removed the keysym again. Bindings therefore stay until the spare is needed for another
/// keysym (least recently used first), `restoreKeyboardBindings()` or `close()`.
extension X11Connection {
    /// The keyboard map, read with GetKeyboardMapping and GetModifierMapping on first use and again after another
    /// client changed the mapping.
    func keyboardMap() throws(X11Error) -> KeyboardMap {
        if let map = keyboard.map { return map }
        let first = setup.minKeycode
        let count = Int(setup.maxKeycode) - Int(first) + 1
        // X11 protocol, GetKeyboardMapping (opcode 101): first-keycode, count, 2 unused.
        // Reply: keysyms-per-keycode at 1, then count * keysyms-per-keycode KEYSYMs.
        let keys = try reply(to: request(101) { w in
            w.u8(first)
            w.u8(UInt8(count))
            w.u16(0)
        })
        // X11 protocol, GetModifierMapping (opcode 119). Reply: keycodes-per-modifier at 1, then 8 lists of keycodes.
        let modifiers = try reply(to: request(119))
        let keysyms = stride(from: 0, to: keys.body.count - 3, by: 4).map { keys.body.x11U32($0) }
        let map = KeyboardMap(minKeycode: first, keysymsPerKeycode: Int(keys.detail), keysyms: keysyms,
                              modifierKeycodes: Array(modifiers.body.prefix(8 * Int(modifiers.detail))))
        if keyboard.spares.isEmpty {
            keyboard.spares = map.spareKeycodes
        } else {
            // Re-read after a change: keep our bindings the server still has; spares stay ours while empty or bound by us.
            keyboard.bindings = keyboard.bindings.filter { map.keysyms(of: $0.value).first == $0.key }
            let bound = Set(keyboard.bindings.values)
            keyboard.spares = keyboard.spares.filter { bound.contains($0) || map.keysyms(of: $0).allSatisfy { $0 == 0 } }
        }
        keyboard.map = map
        return map
    }

    /// The key that produces `keysym`, binding it to a spare keycode if the map has none.
    ///
    /// - Throws: `.unsupported` when every spare keycode is held down.
    func stroke(for keysym: UInt32) throws(X11Error) -> KeyStroke {
        let map = try keyboardMap()
        keyboard.useCounter += 1
        if let keycode = keyboard.bindings[keysym] {
            keyboard.lastUse[keycode] = keyboard.useCounter
            return KeyStroke(keycode: keycode, shift: false)
        }
        if let stroke = map.stroke(for: keysym) { return stroke }
        // XTEST set up first, so its round trips do not fall between our mapping change and the key events
        // whose MappingNotify echoes it (see KeyboardState.ownChangeSince).
        _ = try xtest()
        let bound = Set(keyboard.bindings.values)
        let keycode: UInt8
        if let free = keyboard.spares.first(where: { !bound.contains($0) }) {
            keycode = free
        } else if let reused = keyboard.spares.filter({ keyboard.held[$0] == nil })
            .min(by: { keyboard.lastUse[$0, default: 0] < keyboard.lastUse[$1, default: 0] }) {
            keycode = reused
            keyboard.bindings = keyboard.bindings.filter { $0.value != reused }
        } else {
            throw X11Error(.unsupported, "no spare keycode to bind keysym 0x\(String(keysym, radix: 16)) to")
        }
        setKeycode(keycode, to: [keysym, keysym])
        keyboard.bindings[keysym] = keycode
        keyboard.lastUse[keycode] = keyboard.useCounter
        return KeyStroke(keycode: keycode, shift: false)
    }

    /// Undoes every spare-keycode binding whose key is not held, and waits for the server.
    func restoreKeyboardBindings() throws(X11Error) {
        let idle = keyboard.bindings.filter { keyboard.held[$0.value] == nil }
        guard !idle.isEmpty else { return }
        for (keysym, keycode) in idle {
            setKeycode(keycode, to: [0, 0])
            keyboard.bindings[keysym] = nil
        }
        try sync()
    }

    /// Presses (in order) or releases (in reverse order) `keysyms`, holding Shift around keys that need it,
    /// then flushes. Keys stay down between the press and the release call (hold_key, modifiers during a click).
    func holdKeys(_ keysyms: [UInt32], press: Bool) throws(X11Error) {
        let strokes = try keysyms.map { keysym throws(X11Error) in try stroke(for: keysym) }
        try queue(strokes, press: press)
        try flush()
    }

    /// Presses the chord's keys in order, then releases them in reverse order, then flushes.
    func pressChord(_ keysyms: [UInt32]) throws(X11Error) {
        let strokes = try keysyms.map { keysym throws(X11Error) in try stroke(for: keysym) }
        try queue(strokes, press: true)
        try queue(strokes, press: false)
        try flush()
    }

    /// Types `text`: each character's key pressed and released (with Shift when its keysym is on level 1),
    /// binding spare keycodes for characters the map lacks. `\n`, `\r\n` and `\r` type Return, `\t` Tab; other
    /// control characters are skipped. Waits until the server has processed every event.
    func typeText(_ text: String) throws(X11Error) {
        var previous: Unicode.Scalar?
        for scalar in text.unicodeScalars {
            defer { previous = scalar }
            if scalar == "\n" && previous == "\r" { continue }
            guard let keysym = Keysyms.keysym(for: scalar) else { continue }
            let stroke = try stroke(for: keysym)
            try queue([stroke], press: true)
            try queue([stroke], press: false)
            if pendingBytes > 32768 { try flush() }
            try syncIfBacklogged()
        }
        try sync()
    }

    // MARK: - Private

    /// Queues key events for `strokes`: presses in order, or releases in reverse. Shift is pressed before the
    /// first key that needs it (unless a Shift key is part of the strokes or already down) and released after
    /// the last release, only if it was pressed here.
    private func queue(_ strokes: [KeyStroke], press: Bool) throws(X11Error) {
        let map = try keyboardMap()
        let shiftKeycodes = Set(map.modifiers[0])
        let needsShift = strokes.contains { $0.shift } && !strokes.contains { shiftKeycodes.contains($0.keycode) }
        let shift = needsShift ? map.shiftKeycode : nil
        if press {
            for stroke in strokes {
                if let shift, stroke.shift, keyboard.held[shift] == nil {
                    try keyEvent(shift, press: true)
                    keyboard.addedShift = shift
                }
                try keyEvent(stroke.keycode, press: true)
            }
        } else {
            for stroke in strokes.reversed() { try keyEvent(stroke.keycode, press: false) }
            if shift != nil, let added = keyboard.addedShift {
                try keyEvent(added, press: false)
                keyboard.addedShift = nil
            }
        }
    }

    /// One XTEST key event, tracking which keycodes are down.
    private func keyEvent(_ keycode: UInt8, press: Bool) throws(X11Error) {
        try fakeInput(press ? .keyPress : .keyRelease, detail: keycode)
        if press {
            keyboard.held[keycode, default: 0] += 1
        } else if let count = keyboard.held[keycode] {
            keyboard.held[keycode] = count > 1 ? count - 1 : nil
        }
    }

    /// ChangeKeyboardMapping for one keycode, noting the MappingNotify it will cause.
    private func setKeycode(_ keycode: UInt8, to keysyms: [UInt32]) {
        // X11 protocol, ChangeKeyboardMapping (opcode 100): keycode-count in the data byte, first-keycode,
        // keysyms-per-keycode, 2 unused, then count * keysyms-per-keycode KEYSYMs.
        let sequence = request(100, data: 1) { w in
            w.u8(keycode)
            w.u8(UInt8(keysyms.count))
            w.u16(0)
            for keysym in keysyms { w.u32(keysym) }
        }
        if keyboard.ownChangeSince == nil { keyboard.ownChangeSince = sequence }
        keyboard.map?.setRow(keycode, to: keysyms)
    }
}
