/// A key to press to produce a keysym: its keycode, and whether Shift must be held (level 1).
struct KeyStroke: Hashable {
    var keycode: UInt8
    var shift: Bool
}

/// The server's core keyboard mapping (GetKeyboardMapping) and modifier mapping (GetModifierMapping).
///
/// Only levels 0 and 1 (group 1, without and with Shift) are used for lookups, as xdotool does. Keycodes whose
/// whole row is NoSymbol and that carry no modifier are "spare": a keysym found nowhere is bound to one of them.
struct KeyboardMap {
    /// The first keycode of `rows`.
    let minKeycode: UInt8
    /// Keysyms per keycode in the server's map.
    let keysymsPerKeycode: Int
    /// One row of keysyms per keycode, `minKeycode` first.
    private(set) var rows: [[UInt32]]
    /// The keycodes of each modifier: Shift, Lock, Control, Mod1…Mod5.
    let modifiers: [[UInt8]]
    private var index: [UInt32: KeyStroke] = [:]

    /// Builds the map from GetKeyboardMapping's flat keysym list and GetModifierMapping's keycode list.
    init(minKeycode: UInt8, keysymsPerKeycode: Int, keysyms: [UInt32], modifierKeycodes: [UInt8]) {
        self.minKeycode = minKeycode
        self.keysymsPerKeycode = max(keysymsPerKeycode, 1)
        let width = self.keysymsPerKeycode
        rows = stride(from: 0, to: keysyms.count - width + 1, by: width).map { Array(keysyms[$0..<$0 + width]) }
        let perModifier = modifierKeycodes.count / 8
        modifiers = (0..<8).map { m in
            perModifier == 0 ? [] : modifierKeycodes[m * perModifier..<(m + 1) * perModifier].filter { $0 != 0 }
        }
        rebuildIndex()
    }

    /// The keycode (and Shift) producing `keysym` at level 0 or 1; level 0 and low keycodes win.
    func stroke(for keysym: UInt32) -> KeyStroke? { keysym == 0 ? nil : index[keysym] }

    /// The keysyms of `keycode`'s row (empty outside the map).
    func keysyms(of keycode: UInt8) -> [UInt32] {
        let i = Int(keycode) - Int(minKeycode)
        return rows.indices.contains(i) ? rows[i] : []
    }

    /// The keycode to hold for Shift: the first keycode of the Shift modifier, else one carrying Shift_L.
    var shiftKeycode: UInt8? {
        modifiers[0].first ?? stroke(for: Keysyms.shiftL).flatMap { $0.shift ? nil : $0.keycode }
    }

    /// Keycodes with no keysyms at all and no modifier role, in ascending order.
    var spareKeycodes: [UInt8] {
        let modifierKeycodes = Set(modifiers.joined())
        return rows.indices.compactMap { i in
            let keycode = UInt8(Int(minKeycode) + i)
            return rows[i].allSatisfy({ $0 == 0 }) && !modifierKeycodes.contains(keycode) ? keycode : nil
        }
    }

    /// Records that `keycode`'s row is now `keysyms` (after ChangeKeyboardMapping).
    mutating func setRow(_ keycode: UInt8, to keysyms: [UInt32]) {
        let i = Int(keycode) - Int(minKeycode)
        guard rows.indices.contains(i) else { return }
        rows[i] = (keysyms + Array(repeating: 0, count: keysymsPerKeycode)).prefix(keysymsPerKeycode).map { $0 }
        rebuildIndex()
    }

    /// The effective level-0 and level-1 keysyms of a row.
    ///
    /// X11 protocol, "Keyboards": if the second keysym of a group is NoSymbol, the group acts as if it were the
    /// first, except that an alphabetic keysym with case forms yields its lower and upper case.
    static func levels(of row: [UInt32]) -> (UInt32, UInt32) {
        let first = row.first ?? 0
        let second = row.count > 1 ? row[1] : 0
        guard second == 0 else { return (first, second) }
        if let (lower, upper) = Keysyms.caseForms(first), lower != upper { return (lower, upper) }
        return (first, first)
    }

    private mutating func rebuildIndex() {
        index.removeAll(keepingCapacity: true)
        for shifted in [false, true] {
            for (i, row) in rows.enumerated() {
                let (level0, level1) = Self.levels(of: row)
                let keysym = shifted ? level1 : level0
                if keysym != 0 && index[keysym] == nil {
                    index[keysym] = KeyStroke(keycode: UInt8(Int(minKeycode) + i), shift: shifted)
                }
            }
        }
    }
}

/// The connection's keyboard bookkeeping: the cached map, keysyms bound to spare keycodes, and held keys.
struct KeyboardState {
    /// The cached map; `nil` until first needed or after another client changed the mapping.
    var map: KeyboardMap?
    /// Keycodes this connection may bind (spare when the map was first read).
    var spares: [UInt8] = []
    /// Keysym → spare keycode bindings currently in the server's map.
    var bindings: [UInt32: UInt8] = [:]
    /// When each bound spare keycode was last used (for least-recently-used reuse).
    var lastUse: [UInt8: UInt64] = [:]
    var useCounter: UInt64 = 0
    /// Keycodes pressed and not yet released, and how many times.
    var held: [UInt8: Int] = [:]
    /// The Shift keycode pressed automatically for a level-1 keysym, until its key is released.
    var addedShift: UInt8?
    /// The sequence number of our first ChangeKeyboardMapping not yet followed by a reply. Until a reply to a
    /// later request arrives, MappingNotify events are taken as consequences of our own change: an XKB server
    /// announces the key, then (when the XTEST device's key event switches the master keyboard's map) the whole
    /// keycode range and the modifier map, with the sequence number of whichever of our requests was running.
    var ownChangeSince: UInt64?

    /// Reacts to a MappingNotify (X11 protocol, event 34: request at 4 — 0 Modifier, 1 Keyboard, 2 Pointer):
    /// notifications following our own changes are expected; any other keyboard or modifier change invalidates
    /// the cached map (it is read again when next needed).
    mutating func noteMappingNotify(_ event: [UInt8], sequence: UInt64) {
        guard event[4] != 2 else { return }
        if let since = ownChangeSince, sequence >= since { return }
        map = nil
    }

    /// A reply to request `sequence` arrived: every notification about earlier requests has been read.
    mutating func noteReply(_ sequence: UInt64) {
        if let since = ownChangeSince, sequence > since { ownChangeSince = nil }
    }
}
