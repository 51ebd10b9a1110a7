import Foundation
import Testing
@testable import AgentCore

/// Keysym names and xdotool chord syntax, without a server.
@Suite(.timeLimit(.minutes(2)))
struct X11KeyChordTests {
    @Test(arguments: [
        ("Return", 0xFF0D), ("enter", 0xFF0D), ("Enter", 0xFF0D), ("return", 0xFF0D), ("Tab", 0xFF09),
        ("BackSpace", 0xFF08), ("Escape", 0xFF1B), ("esc", 0xFF1B), ("Delete", 0xFFFF), ("Insert", 0xFF63),
        ("Home", 0xFF50), ("End", 0xFF57), ("Page_Up", 0xFF55), ("Prior", 0xFF55), ("Page_Down", 0xFF56),
        ("Next", 0xFF56), ("Left", 0xFF51), ("Up", 0xFF52), ("Right", 0xFF53), ("Down", 0xFF54),
        ("F1", 0xFFBE), ("F12", 0xFFC9), ("F35", 0xFFE0), ("KP_0", 0xFFB0), ("KP_9", 0xFFB9), ("KP_Enter", 0xFF8D),
        ("KP_Add", 0xFFAB), ("KP_Subtract", 0xFFAD), ("KP_Multiply", 0xFFAA), ("KP_Divide", 0xFFAF),
        ("KP_Decimal", 0xFFAE), ("KP_Separator", 0xFFAC), ("KP_Equal", 0xFFBD), ("KP_Home", 0xFF95),
        ("KP_Begin", 0xFF9D), ("KP_Page_Down", 0xFF9B), ("Shift_L", 0xFFE1), ("Control_R", 0xFFE4),
        ("Alt_L", 0xFFE9), ("Meta_L", 0xFFE7), ("Super_R", 0xFFEC), ("Hyper_L", 0xFFED), ("Caps_Lock", 0xFFE5),
        ("Num_Lock", 0xFF7F), ("Scroll_Lock", 0xFF14), ("Print", 0xFF61), ("Pause", 0xFF13), ("Break", 0xFF6B),
        ("Menu", 0xFF67), ("Sys_Req", 0xFF15), ("XF86AudioRaiseVolume", 0x1008FF13),
        ("XF86AudioLowerVolume", 0x1008FF11), ("XF86AudioMute", 0x1008FF12),
        ("ctrl", 0xFFE3), ("control", 0xFFE3), ("CTRL", 0xFFE3), ("alt", 0xFFE9), ("shift", 0xFFE1),
        ("super", 0xFFEB), ("win", 0xFFEB), ("cmd", 0xFFEB), ("command", 0xFFEB), ("meta", 0xFFE7),
        ("a", 0x61), ("A", 0x41), ("z", 0x7A), ("0", 0x30), ("space", 0x20), ("exclam", 0x21), ("!", 0x21),
        ("quotedbl", 0x22), ("numbersign", 0x23), ("apostrophe", 0x27), ("plus", 0x2B), ("+", 0x2B),
        ("minus", 0x2D), ("slash", 0x2F), ("at", 0x40), ("bracketleft", 0x5B), ("backslash", 0x5C),
        ("asciicircum", 0x5E), ("underscore", 0x5F), ("grave", 0x60), ("braceleft", 0x7B), ("bar", 0x7C),
        ("asciitilde", 0x7E), ("é", 0xE9), ("eacute", 0xE9), ("Eacute", 0xC9), ("ssharp", 0xDF),
        ("ж", 0x1000436), ("€", 0x10020AC), ("U+0436", 0x1000436), ("U20AC", 0x10020AC), ("0xff0d", 0xFF0D),
        ("page_up", 0xFF55), ("PAGE_DOWN", 0xFF56), ("kp_enter", 0xFF8D), ("backspace", 0xFF08),
    ] as [(String, UInt32)])
    func namesMapToKeysyms(name: String, keysym: UInt32) {
        #expect(Keysyms.lookup(name) == keysym)
    }

    @Test(arguments: ["", "Foo", "ctrlx", "F36", "KP_10", "U+", "Uzzzz", "0x", "Return1"])
    func unknownNamesAreNil(name: String) {
        #expect(Keysyms.lookup(name) == nil)
    }

    @Test func charactersMapToTheirKeysyms() {
        #expect(Keysyms.keysym(for: "a") == 0x61)
        #expect(Keysyms.keysym(for: "~") == 0x7E)
        #expect(Keysyms.keysym(for: "\u{A0}") == 0xA0)
        #expect(Keysyms.keysym(for: "ÿ") == 0xFF)
        #expect(Keysyms.keysym(for: "Ā") == 0x1000100)
        #expect(Keysyms.keysym(for: "😀") == 0x101F600)
        #expect(Keysyms.keysym(for: "\n") == 0xFF0D)
        #expect(Keysyms.keysym(for: "\t") == 0xFF09)
        #expect(Keysyms.keysym(for: "\u{1}") == nil)
        #expect(Keysyms.keysym(for: "\u{85}") == nil)
    }

    @Test func caseFormsCoverLatin1AndUnicode() {
        #expect(Keysyms.caseForms(0x61)! == (0x61, 0x41))
        #expect(Keysyms.caseForms(0xC9)! == (0xE9, 0xC9))
        #expect(Keysyms.caseForms(0x1000436)! == (0x1000436, 0x1000416)) // ж / Ж
        #expect(Keysyms.caseForms(0xD7) == nil) // multiply
        #expect(Keysyms.caseForms(0x31) == nil)
    }

    /// Every name in the table has the value `X11/keysymdef.h` or `X11/XF86keysym.h` gives it.
    @Test(.enabled(if: FileManager.default.fileExists(atPath: "/usr/include/X11/keysymdef.h")))
    func tableMatchesTheSystemHeaders() throws {
        var defined: [String: UInt32] = [:]
        for header in ["/usr/include/X11/keysymdef.h", "/usr/include/X11/XF86keysym.h"] {
            guard let text = try? String(contentsOfFile: header, encoding: .utf8) else { continue }
            for line in text.split(separator: "\n") where line.hasPrefix("#define XK_") || line.hasPrefix("#define XF86XK_") {
                let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
                guard fields.count >= 3, fields[2].hasPrefix("0x"), let value = UInt32(fields[2].dropFirst(2), radix: 16)
                else { continue }
                let name = fields[1].hasPrefix("XK_") ? String(fields[1].dropFirst(3)) : "XF86" + fields[1].dropFirst(7)
                defined[name] = value
            }
        }
        #expect(defined.count > 1000)
        for (name, value) in Keysyms.table {
            #expect(defined[name] == value, "\(name) is 0x\(String(value, radix: 16)) here")
        }
    }

    // MARK: - Chords

    @Test(arguments: [
        ("ctrl+shift+t", [0xFFE3, 0xFFE1, 0x74]),
        ("alt+Tab", [0xFFE9, 0xFF09]),
        ("KP_0", [0xFFB0]),
        ("super", [0xFFEB]),
        ("ctrl+plus", [0xFFE3, 0x2B]),
        ("ctrl++", [0xFFE3, 0x2B]),
        ("+", [0x2B]),
        ("ctrl+", [0xFFE3]),
        ("Return", [0xFF0D]),
        ("ctrl+A", [0xFFE3, 0x41]),
        ("ctrl+alt+Delete", [0xFFE3, 0xFFE9, 0xFFFF]),
        ("shift+ж", [0xFFE1, 0x1000436]),
    ] as [(String, [UInt32])])
    func chordsParse(text: String, keysyms: [UInt32]) throws {
        #expect(try KeyChord(parsing: text).keysyms == keysyms)
    }

    @Test func sequencesSplitOnSpaces() throws {
        let chords = try KeyChord.parseSequence("ctrl+a Delete  alt+F4\tReturn")
        #expect(chords.map(\.keysyms) == [[0xFFE3, 0x61], [0xFFFF], [0xFFE9, 0xFFC1], [0xFF0D]])
        #expect(chords.map(\.description) == ["ctrl+a", "Delete", "alt+F4", "Return"])
        #expect(try KeyChord.parseSequence("ctrl+plus +").map(\.keysyms) == [[0xFFE3, 0x2B], [0x2B]])
    }

    @Test func invalidKeysAreReportedByName() {
        #expect(throws: KeyChord.ParseError.invalidKey("Foo")) { try KeyChord(parsing: "ctrl+Foo") }
        #expect(throws: KeyChord.ParseError.invalidKey("nope")) { try KeyChord.parseSequence("ctrl+a nope") }
        #expect(throws: KeyChord.ParseError.empty) { try KeyChord.parseSequence("   ") }
        #expect(throws: KeyChord.ParseError.empty) { try KeyChord(parsing: "") }
        #expect(KeyChord.ParseError.invalidKey("Foo").description == "Invalid key: Foo")
    }
}
