import Foundation
import Testing
@testable import AgentCore

/// XTEST input against a real Xvfb, checked by a second client that owns a focused window and reads its events.
@Suite(.enabled(if: TestXvfb.available), .timeLimit(.minutes(2)))
struct X11InputTests {
    /// A test-side client: a full-screen window with the input focus that records key and button events.
    private struct Observer {
        let connection: X11Connection
        let window: UInt32

        init(_ xvfb: TestXvfb) throws {
            connection = try xvfb.connection()
            connection.retainsEvents = true
            // KeyPress | KeyRelease | ButtonPress | ButtonRelease
            window = try connection.createWindow(x: 0, y: 0, width: xvfb.width, height: xvfb.height, eventMask: 0xF)
            try connection.mapAndFocus(window)
            connection.events.removeAll()
        }

        /// Input events (types 2–5) until `count` have arrived; other events are skipped.
        func inputEvents(_ count: Int) throws -> [[UInt8]] {
            var result: [[UInt8]] = []
            while result.count < count {
                let event = try connection.nextEvent(timeout: 5)
                if (2...5).contains(event[0] & 0x7F) { result.append(event) }
            }
            return result
        }

        /// The text typed by the KeyPress events among `events` (modifier keys skipped), decoded with the
        /// server's current keyboard map and each event's Shift state.
        func decode(_ events: [[UInt8]]) throws -> String {
            connection.keyboard.map = nil
            let map = try connection.keyboardMap()
            var text = ""
            for event in events where event[0] == 2 {
                let (level0, level1) = KeyboardMap.levels(of: map.keysyms(of: event[1]))
                let keysym = event.x11U16(28) & 1 != 0 ? level1 : level0 // state & ShiftMask
                if (0xFFE1...0xFFEE).contains(keysym) { continue }
                switch keysym {
                case 0xFF0D: text += "\n"
                case 0xFF09: text += "\t"
                case 0x0100_0000...: text.unicodeScalars.append(Unicode.Scalar(keysym - 0x0100_0000)!)
                default: text.unicodeScalars.append(Unicode.Scalar(keysym)!)
                }
            }
            return text
        }
    }

    /// Prints input timings; asserts nothing tight.
    @Test func measureInputTimes() async throws {
        try await TestXvfb.with { xvfb in
            let display = try await xvfb.connect()
            func milliseconds(_ body: () async throws -> Void) async rethrows -> Double {
                let start = ContinuousClock.now
                try await body()
                let elapsed = ContinuousClock.now - start
                return Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
            }
            try await display.typeText("warm-up")
            var clicks: [Double] = []
            for i in 0..<20 {
                clicks.append(try await milliseconds {
                    try await display.movePointer(x: 100 + i, y: 100)
                    try await display.click(button: 1)
                    try await display.sync()
                })
            }
            let text = String(repeating: "The quick brown fox, 123! ", count: 4).prefix(100)
            let typing = try await milliseconds { try await display.typeText(String(text)) }
            let chord = try await milliseconds {
                try await display.pressChord(KeyChord(parsing: "ctrl+l"))
                try await display.sync()
            }
            clicks.sort()
            print(String(format: "X11 input timing: move+click+sync median %.3f ms (min %.3f); type 100 chars %.2f ms; "
                            + "ctrl+l+sync %.3f ms", clicks[10], clicks[0], typing, chord))
            await display.close()
        }
    }

    @Test func motionMovesThePointer() async throws {
        try await TestXvfb.with { xvfb in
            let display = try await xvfb.connect()
            for (x, y) in [(321, 456), (0, 0), (1279, 799), (640, 400)] {
                try await display.movePointer(x: x, y: y)
                #expect(try await display.pointerPosition() == (x, y))
            }
            // Moving to where the pointer already is returns at once (xdotool's --sync stalls 15 s here).
            try await display.movePointer(x: 640, y: 400)
            #expect(try await display.pointerPosition() == (640, 400))
            await display.close()
        }
    }

    @Test func buttonsClicksAndScrollsArriveAtThePointer() async throws {
        try await TestXvfb.with { xvfb in
            let observer = try Observer(xvfb)
            let display = try await xvfb.connect()
            try await display.movePointer(x: 100, y: 200)
            try await display.click(button: 1, count: 2)
            try await display.button(3, press: true)
            try await display.button(3, press: false)
            try await display.scroll(.down, amount: 2)
            try await display.scroll(.right, amount: 1)
            try await display.sync()

            let events = try observer.inputEvents(12)
            let expected: [(UInt8, UInt8)] = [(4, 1), (5, 1), (4, 1), (5, 1), (4, 3), (5, 3),
                                              (4, 5), (5, 5), (4, 5), (5, 5), (4, 7), (5, 7)]
            #expect(events.map { [$0[0], $0[1]] } == expected.map { [$0.0, $0.1] })
            #expect(events.allSatisfy { $0.x11I16(20) == 100 && $0.x11I16(22) == 200 }) // root x, y
            await #expect { try await display.button(0, press: true) } throws: {
                ($0 as? X11Error)?.code == .invalidArgument
            }
            // A button left down (left_mouse_down without left_mouse_up) is released by close().
            try await display.button(1, press: true)
            #expect(try observer.inputEvents(1).map { [$0[0], $0[1]] } == [[4, 1]])
            await display.close()
            #expect(try observer.inputEvents(1).map { [$0[0], $0[1]] } == [[5, 1]])
            observer.connection.close()
        }
    }

    @Test func keyboardMapFindsShiftLevels() async throws {
        try await TestXvfb.with { xvfb in
            let connection = try xvfb.connection()
            defer { connection.close() }
            let map = try connection.keyboardMap()
            let a = try #require(map.stroke(for: 0x61))
            #expect(!a.shift)
            #expect(map.stroke(for: 0x41) == KeyStroke(keycode: a.keycode, shift: true)) // 'A': same key, Shift
            let one = try #require(map.stroke(for: 0x31))
            #expect(!one.shift)
            #expect(map.stroke(for: 0x21) == KeyStroke(keycode: one.keycode, shift: true)) // '!' is Shift+1
            #expect(map.stroke(for: 0xFF0D)?.shift == false) // Return
            #expect(map.shiftKeycode != nil)
            #expect(map.modifiers[2].contains(try #require(map.stroke(for: 0xFFE3)).keycode)) // Control_L is Control
            #expect(map.stroke(for: 0x1000436) == nil) // ж is not on a US keyboard
            #expect(map.spareKeycodes.count >= 8)
            print("X11 keyboard: \(map.keysymsPerKeycode) keysyms per keycode, spare keycodes \(map.spareKeycodes)")
        }
    }

    @Test func typedTextArrivesExactly() async throws {
        try await TestXvfb.with { xvfb in
            let observer = try Observer(xvfb)
            let display = try await xvfb.connect()
            let text = "Hello, World! 123 ~`_+-={}[]|\\:;\"'<>?,./@#$%^&*()\tTab\r\nÄé ж Ж €ß\u{1}end\n"
            try await display.typeText(text)
            try await display.pressChord(KeyChord(parsing: "F1")) // end marker
            let f1 = try #require(try observer.connection.keyboardMap().stroke(for: 0xFFBE)).keycode
            var events: [[UInt8]] = []
            while events.last.map({ $0[0] == 2 && $0[1] == f1 }) != true {
                events += try observer.inputEvents(1)
            }
            let expected = text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\u{1}", with: "")
            #expect(try observer.decode(events.dropLast()) == expected)
            // Every press has its release.
            #expect(events.filter { $0[0] == 2 }.count == events.filter { $0[0] == 3 }.count + 1)
            await display.close()
            observer.connection.close()
        }
    }

    @Test func unicodeKeysymIsBoundToASpareKeycodeAndRestored() async throws {
        try await TestXvfb.with { xvfb in
            let driver = try xvfb.connection()
            let observer = try xvfb.connection()
            let spares = try driver.keyboardMap().spareKeycodes
            try driver.typeText("ж")
            let keycode = try #require(driver.keyboard.bindings[0x1000436])
            #expect(spares.contains(keycode))
            // The MappingNotify our own change caused was recognised: the cached map is still valid.
            #expect(driver.keyboard.map != nil)

            // Another client sees the binding in the server's map...
            #expect(try observer.keyboardMap().keysyms(of: keycode).first == 0x1000436)
            #expect(try observer.keyboardMap().stroke(for: 0x1000436)?.keycode == keycode)
            // ...typing it again reuses the binding...
            try driver.typeText("жж")
            #expect(driver.keyboard.bindings == [0x1000436: keycode])
            // ...and restoring empties the keycode again.
            try driver.restoreKeyboardBindings()
            #expect(driver.keyboard.bindings.isEmpty)
            observer.keyboard.map = nil
            #expect(try observer.keyboardMap().keysyms(of: keycode).allSatisfy { $0 == 0 })
            #expect(try observer.keyboardMap().stroke(for: 0x1000436) == nil)

            // close() restores too.
            try driver.typeText("€")
            let euro = try #require(driver.keyboard.bindings[0x10020AC])
            driver.close()
            observer.keyboard.map = nil
            #expect(try observer.keyboardMap().keysyms(of: euro).allSatisfy { $0 == 0 })
            observer.close()
        }
    }

    @Test func moreDistinctCharactersThanSpareKeycodesReuseTheLeastRecentlyUsed() async throws {
        try await TestXvfb.with { xvfb in
            let driver = try xvfb.connection()
            defer { driver.close() }
            let spareCount = try driver.keyboardMap().spareKeycodes.count
            let text = String(String.UnicodeScalarView((0..<spareCount + 5).map { Unicode.Scalar(0x0410 + $0)! }))
            try driver.typeText(text)
            #expect(driver.keyboard.bindings.count == spareCount)
            #expect(driver.keyboard.bindings[0x1000410] == nil) // the first letters were evicted
            #expect(driver.keyboard.bindings[0x1000410 + UInt32(spareCount + 4)] != nil)
            try driver.sync()
        }
    }

    @Test func chordsPressInOrderAndReleaseInReverse() async throws {
        try await TestXvfb.with { xvfb in
            let observer = try Observer(xvfb)
            let map = try observer.connection.keyboardMap()
            let display = try await xvfb.connect()
            func keycode(_ keysym: UInt32) throws -> UInt8 { try #require(map.stroke(for: keysym)).keycode }
            let (ctrl, shift, t, a) = (try keycode(0xFFE3), try keycode(0xFFE1), try keycode(0x74), try keycode(0x61))

            try await display.pressChord(KeyChord(parsing: "ctrl+shift+t"))
            let first = try observer.inputEvents(6).map { [$0[0], $0[1]] }
            #expect(first == [[2, ctrl], [2, shift], [2, t], [3, t], [3, shift], [3, ctrl]])

            // "ctrl+A": Shift is added for the capital; the 'a' press carries Control and Shift in its state.
            try await display.pressChords(KeyChord.parseSequence("ctrl+A"))
            let second = try observer.inputEvents(6)
            let press = try #require(second.first { $0[0] == 2 && $0[1] == a })
            #expect(press.x11U16(28) & 0x5 == 0x5) // ShiftMask | ControlMask
            #expect(second.last.map { [$0[0], $0[1]] } == [3, shift])

            // hold_key: Shift stays down across another key, then is released.
            try await display.holdKeys(KeyChord(parsing: "shift"), press: true)
            try await display.pressChord(KeyChord(parsing: "a"))
            try await display.holdKeys(KeyChord(parsing: "shift"), press: false)
            let third = try observer.inputEvents(4)
            #expect(third.map { [$0[0], $0[1]] } == [[2, shift], [2, a], [3, a], [3, shift]])
            #expect(third[1].x11U16(28) & 1 == 1)

            // An explicitly held Shift is not released by a chord that needs Shift.
            try await display.holdKeys(KeyChord(parsing: "shift"), press: true)
            try await display.pressChord(KeyChord(parsing: "A"))
            let fourth = try observer.inputEvents(3)
            #expect(fourth.map { [$0[0], $0[1]] } == [[2, shift], [2, a], [3, a]])

            // close() releases what is still held: here, Shift (after the key checks below).

            // key(keysym:press:) for a key with no keycode binds a spare for the duration.
            try await display.key(keysym: 0xFFD0, press: true) // F19
            try await display.key(keysym: 0xFFD0, press: false)
            #expect(try observer.inputEvents(2).map { $0[0] } == [2, 3])
            try await display.sync()
            await display.close()
            #expect(try observer.inputEvents(1).map { [$0[0], $0[1]] } == [[3, shift]])
            observer.connection.close()
        }
    }
}
