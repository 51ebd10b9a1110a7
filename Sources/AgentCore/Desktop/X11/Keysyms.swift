/// X keysym names and values, as models use them in xdotool-style `key` actions.
///
/// Values are those of `X11/keysymdef.h` and `X11/XF86keysym.h`. Lookup is exact first, then a single
/// character (its own keysym), then xdotool's aliases and common spellings (`ctrl`, `enter`, `esc`, `win`, …), then
/// case-insensitive, then `U+XXXX`/`UXXXX`/`0x…` numbers. Unknown names give `nil`.
///
/// ```swift
/// Keysyms.lookup("Return")   // 0xFF0D
/// Keysyms.lookup("ctrl")     // 0xFFE3 (Control_L)
/// Keysyms.lookup("é")        // 0xE9
/// ```
public enum Keysyms {
    /// The keysym `name` denotes, or `nil` if it is not a known name.
    public static func lookup(_ name: String) -> UInt32? {
        if let value = table[name] { return value }
        let scalars = name.unicodeScalars
        if scalars.count == 1, let scalar = scalars.first, let value = keysym(for: scalar) { return value }
        let lowered = name.lowercased()
        if let value = aliases[lowered] ?? caseInsensitive[lowered] { return value }
        return numeric(name)
    }

    /// The keysym typing `scalar` produces: Latin-1 (U+0020–U+00FF) keysyms equal the code point, other
    /// characters are `0x01000000 + code point`; newline and carriage return are Return, tab is Tab, backspace
    /// BackSpace, escape Escape, delete Delete. Other control characters have none.
    public static func keysym(for scalar: Unicode.Scalar) -> UInt32? {
        switch scalar.value {
        case 0x0A, 0x0D: return 0xFF0D // Return
        case 0x09: return 0xFF09 // Tab
        case 0x08: return 0xFF08 // BackSpace
        case 0x1B: return 0xFF1B // Escape
        case 0x7F: return 0xFFFF // Delete
        case 0x20...0x7E, 0xA0...0xFF: return scalar.value
        case 0x00...0x1F, 0x80...0x9F: return nil
        default: return 0x0100_0000 + scalar.value
        }
    }

    /// Shift_L.
    static let shiftL: UInt32 = 0xFFE1

    /// The lower- and upper-case keysyms of a letter keysym (Latin-1 or Unicode), or `nil` if it has no case.
    static func caseForms(_ value: UInt32) -> (lower: UInt32, upper: UInt32)? {
        switch value {
        case 0x41...0x5A, 0xC0...0xD6, 0xD8...0xDE: return (value + 0x20, value)
        case 0x61...0x7A, 0xE0...0xF6, 0xF8...0xFE: return (value, value - 0x20)
        case 0x0100_0100...0x0110_FFFF:
            guard let scalar = Unicode.Scalar(value - 0x0100_0000) else { return nil }
            let lower = scalar.properties.lowercaseMapping.unicodeScalars
            let upper = scalar.properties.uppercaseMapping.unicodeScalars
            guard lower.count == 1, upper.count == 1, let l = lower.first, let u = upper.first, l != u else { return nil }
            return (keysym(for: l) ?? value, keysym(for: u) ?? value)
        default: return nil
        }
    }

    // MARK: - Tables

    /// Exact names.
    static let table: [String: UInt32] = {
        var table: [String: UInt32] = [:]
        for (name, value) in entries where table[name] == nil { table[name] = value }
        return table
    }()

    /// Lower-cased names; the first spelling listed wins (so `aacute` keeps meaning á, `a` a).
    private static let caseInsensitive: [String: UInt32] = {
        var table: [String: UInt32] = [:]
        for (name, value) in entries where table[name.lowercased()] == nil { table[name.lowercased()] = value }
        return table
    }()

    /// xdotool's aliases (`ctrl`, `alt`, `shift`, `super`, `meta`) and other spellings models send.
    private static let aliases: [String: UInt32] = [
        "ctrl": 0xFFE3, "control": 0xFFE3, "lctrl": 0xFFE3, "rctrl": 0xFFE4,
        "alt": 0xFFE9, "option": 0xFFE9, "opt": 0xFFE9, "lalt": 0xFFE9, "ralt": 0xFFEA, "altgr": 0xFE03,
        "shift": 0xFFE1, "lshift": 0xFFE1, "rshift": 0xFFE2,
        "super": 0xFFEB, "win": 0xFFEB, "windows": 0xFFEB, "cmd": 0xFFEB, "command": 0xFFEB, "meta": 0xFFE7,
        "enter": 0xFF0D, "esc": 0xFF1B, "del": 0xFFFF, "ins": 0xFF63, "backspace": 0xFF08, "bksp": 0xFF08,
        "pgup": 0xFF55, "pageup": 0xFF55, "pgdn": 0xFF56, "pgdown": 0xFF56, "pagedown": 0xFF56,
        "capslock": 0xFFE5, "numlock": 0xFF7F, "scrolllock": 0xFF14,
        "printscreen": 0xFF61, "prtsc": 0xFF61, "prtscn": 0xFF61, "print_screen": 0xFF61,
        "arrowup": 0xFF52, "arrowdown": 0xFF54, "arrowleft": 0xFF51, "arrowright": 0xFF53,
        "context_menu": 0xFF67, "contextmenu": 0xFF67, "apps": 0xFF67, "spacebar": 0x20,
    ]

    /// `U+XXXX`, `UXXXX` (Unicode, as `XStringToKeysym` reads it) or `0x…` (a raw keysym).
    private static func numeric(_ name: String) -> UInt32? {
        let upper = name.uppercased()
        for prefix in ["U+", "U"] where upper.hasPrefix(prefix) {
            let digits = upper.dropFirst(prefix.count)
            guard (1...6).contains(digits.count), let value = UInt32(digits, radix: 16),
                  let scalar = Unicode.Scalar(value) else { return nil }
            return keysym(for: scalar)
        }
        if upper.hasPrefix("0X"), let value = UInt32(upper.dropFirst(2), radix: 16), value != 0 { return value }
        return nil
    }

    /// Every name, in priority order for case-insensitive lookup.
    private static let entries: [(String, UInt32)] = {
        var list: [(String, UInt32)] = []
        // ASCII printable: X11 names, keysym = code point.
        let ascii = ["space", "exclam", "quotedbl", "numbersign", "dollar", "percent", "ampersand", "apostrophe",
                     "parenleft", "parenright", "asterisk", "plus", "comma", "minus", "period", "slash"]
        for (i, name) in ascii.enumerated() { list.append((name, 0x20 + UInt32(i))) }
        for d in 0...9 { list.append((String(d), 0x30 + UInt32(d))) }
        let asciiMid = ["colon", "semicolon", "less", "equal", "greater", "question", "at"]
        for (i, name) in asciiMid.enumerated() { list.append((name, 0x3A + UInt32(i))) }
        for c in 0..<26 {
            list.append((String(UnicodeScalar(UInt8(0x61 + c))), 0x61 + UInt32(c)))
            list.append((String(UnicodeScalar(UInt8(0x41 + c))), 0x41 + UInt32(c)))
        }
        let asciiHigh: [(String, UInt32)] = [
            ("bracketleft", 0x5B), ("backslash", 0x5C), ("bracketright", 0x5D), ("asciicircum", 0x5E),
            ("underscore", 0x5F), ("grave", 0x60), ("braceleft", 0x7B), ("bar", 0x7C), ("braceright", 0x7D),
            ("asciitilde", 0x7E), ("quoteright", 0x27), ("quoteleft", 0x60),
        ]
        list += asciiHigh
        // Latin-1 supplement, U+00A0…U+00FF.
        let latin1 = [
            "nobreakspace", "exclamdown", "cent", "sterling", "currency", "yen", "brokenbar", "section",
            "diaeresis", "copyright", "ordfeminine", "guillemotleft", "notsign", "hyphen", "registered", "macron",
            "degree", "plusminus", "twosuperior", "threesuperior", "acute", "mu", "paragraph", "periodcentered",
            "cedilla", "onesuperior", "masculine", "guillemotright", "onequarter", "onehalf", "threequarters",
            "questiondown", "Agrave", "Aacute", "Acircumflex", "Atilde", "Adiaeresis", "Aring", "AE", "Ccedilla",
            "Egrave", "Eacute", "Ecircumflex", "Ediaeresis", "Igrave", "Iacute", "Icircumflex", "Idiaeresis",
            "ETH", "Ntilde", "Ograve", "Oacute", "Ocircumflex", "Otilde", "Odiaeresis", "multiply", "Oslash",
            "Ugrave", "Uacute", "Ucircumflex", "Udiaeresis", "Yacute", "THORN", "ssharp",
        ]
        for (i, name) in latin1.enumerated() { list.append((name, 0xA0 + UInt32(i))) }
        // Lower-case letters U+00E0…U+00FF: the capital's name lower-cased, except where it differs.
        for i in 0xE0...0xFF {
            let name: String
            switch i {
            case 0xE6: name = "ae"
            case 0xF0: name = "eth"
            case 0xF7: name = "division"
            case 0xFE: name = "thorn"
            case 0xFF: name = "ydiaeresis"
            default: name = latin1[i - 0x20 - 0xA0].lowercased()
            }
            list.append((name, UInt32(i)))
        }
        list += [("Eth", 0xD0),
                 ("Ooblique", 0xD8), ("Thorn", 0xDE), ("ooblique", 0xF8)]
        list += functionKeys
        for n in 1...35 { list.append(("F\(n)", 0xFFBE + UInt32(n - 1))) }
        for d in 0...9 { list.append(("KP_\(d)", 0xFFB0 + UInt32(d))) }
        list += modifierAndMediaKeys
        return list
    }()

    private static let functionKeys: [(String, UInt32)] = [
        ("BackSpace", 0xFF08), ("Tab", 0xFF09), ("Linefeed", 0xFF0A), ("Clear", 0xFF0B), ("Return", 0xFF0D),
        ("Pause", 0xFF13), ("Scroll_Lock", 0xFF14), ("Sys_Req", 0xFF15), ("Escape", 0xFF1B), ("Delete", 0xFFFF),
        ("Multi_key", 0xFF20), ("Home", 0xFF50), ("Left", 0xFF51), ("Up", 0xFF52), ("Right", 0xFF53),
        ("Down", 0xFF54), ("Prior", 0xFF55), ("Page_Up", 0xFF55), ("Next", 0xFF56), ("Page_Down", 0xFF56),
        ("End", 0xFF57), ("Begin", 0xFF58), ("Select", 0xFF60), ("Print", 0xFF61), ("Execute", 0xFF62),
        ("Insert", 0xFF63), ("Undo", 0xFF65), ("Redo", 0xFF66), ("Menu", 0xFF67), ("Find", 0xFF68),
        ("Cancel", 0xFF69), ("Help", 0xFF6A), ("Break", 0xFF6B), ("Mode_switch", 0xFF7E), ("Num_Lock", 0xFF7F),
        ("KP_Space", 0xFF80), ("KP_Tab", 0xFF89), ("KP_Enter", 0xFF8D), ("KP_F1", 0xFF91), ("KP_F2", 0xFF92),
        ("KP_F3", 0xFF93), ("KP_F4", 0xFF94), ("KP_Home", 0xFF95), ("KP_Left", 0xFF96), ("KP_Up", 0xFF97),
        ("KP_Right", 0xFF98), ("KP_Down", 0xFF99), ("KP_Prior", 0xFF9A), ("KP_Page_Up", 0xFF9A),
        ("KP_Next", 0xFF9B), ("KP_Page_Down", 0xFF9B), ("KP_End", 0xFF9C), ("KP_Begin", 0xFF9D),
        ("KP_Insert", 0xFF9E), ("KP_Delete", 0xFF9F), ("KP_Multiply", 0xFFAA), ("KP_Add", 0xFFAB),
        ("KP_Separator", 0xFFAC), ("KP_Subtract", 0xFFAD), ("KP_Decimal", 0xFFAE), ("KP_Divide", 0xFFAF),
        ("KP_Equal", 0xFFBD),
    ]

    private static let modifierAndMediaKeys: [(String, UInt32)] = [
        ("Shift_L", 0xFFE1), ("Shift_R", 0xFFE2), ("Control_L", 0xFFE3), ("Control_R", 0xFFE4),
        ("Caps_Lock", 0xFFE5), ("Shift_Lock", 0xFFE6), ("Meta_L", 0xFFE7), ("Meta_R", 0xFFE8),
        ("Alt_L", 0xFFE9), ("Alt_R", 0xFFEA), ("Super_L", 0xFFEB), ("Super_R", 0xFFEC),
        ("Hyper_L", 0xFFED), ("Hyper_R", 0xFFEE), ("ISO_Level3_Shift", 0xFE03), ("ISO_Left_Tab", 0xFE20),
        ("XF86MonBrightnessUp", 0x1008_FF02), ("XF86MonBrightnessDown", 0x1008_FF03),
        ("XF86AudioLowerVolume", 0x1008_FF11), ("XF86AudioMute", 0x1008_FF12),
        ("XF86AudioRaiseVolume", 0x1008_FF13), ("XF86AudioPlay", 0x1008_FF14), ("XF86AudioStop", 0x1008_FF15),
        ("XF86AudioPrev", 0x1008_FF16), ("XF86AudioNext", 0x1008_FF17), ("XF86HomePage", 0x1008_FF18),
        ("XF86Mail", 0x1008_FF19), ("XF86Search", 0x1008_FF1B), ("XF86Calculator", 0x1008_FF1D),
        ("XF86Back", 0x1008_FF26), ("XF86Forward", 0x1008_FF27), ("XF86Refresh", 0x1008_FF29),
        ("XF86PowerOff", 0x1008_FF2A), ("XF86WWW", 0x1008_FF2E), ("XF86Sleep", 0x1008_FF2F),
        ("XF86Favorites", 0x1008_FF30), ("XF86AudioPause", 0x1008_FF31), ("XF86Copy", 0x1008_FF57),
        ("XF86Cut", 0x1008_FF58), ("XF86Explorer", 0x1008_FF5D), ("XF86Paste", 0x1008_FF6D),
        ("XF86AudioMicMute", 0x1008_FFB2),
    ]
}
