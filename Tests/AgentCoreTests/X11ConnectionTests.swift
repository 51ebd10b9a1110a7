import Foundation
import Glibc
import AgentTesting
import Testing
@testable import AgentCore

/// Connection setup, authorization, round trips and window-manager detection against a real Xvfb.
@Suite(.enabled(if: TestXvfb.available), .timeLimit(.minutes(2)))
struct X11ConnectionTests {
    @Test func setupDescribesTheScreen() async throws {
        try await TestXvfb.with { xvfb in
            let display = try await xvfb.connect()
            let setup = display.setup
            #expect(await display.size == (1280, 800))
            #expect(setup.width == 1280 && setup.height == 800)
            #expect(setup.rootDepth == 24)
            #expect(setup.protocolMajor == 11 && setup.protocolMinor == 0)
            #expect(setup.rootWindow != 0)
            #expect(setup.minKeycode == 8 && setup.maxKeycode == 255)
            #expect(setup.format(forDepth: 24)?.bitsPerPixel == 32)
            #expect(setup.format(forDepth: 24)?.scanlinePad == 32)
            #expect((setup.redMask, setup.greenMask, setup.blueMask) == (0xFF0000, 0x00FF00, 0x0000FF))
            #expect(setup.resourceIDMask != 0 && setup.resourceIDBase & setup.resourceIDMask == 0)
            #expect(setup.vendor.contains("X.Org"))
            #expect(setup.maximumRequestLength == 65535)
            #expect(setup.imageLSBFirst)
            await display.close()
        }
    }

    @Test func displayRunsOnItsOwnQueue() async throws {
        try await TestXvfb.with { xvfb in
            let display = try await xvfb.connect()
            #expect(await display.runsOnOwnQueue())
            async let a = display.runsOnOwnQueue()
            async let b = display.pointerPosition()
            #expect(try await (a, b.x >= 0) == (true, true))
            await display.close()
            await #expect { try await display.sync() } throws: { ($0 as? X11Error)?.code == .closed }
        }
    }

    @Test func connectsByDisplayName() async throws {
        try await TestXvfb.with { xvfb in
            let display = try await X11Display.connect(display: ":\(xvfb.display).0", authorityFile: xvfb.authorityFile)
            #expect(display.displayNumber == xvfb.display)
            try await display.sync()
            await display.close()
            await #expect { try await X11Display.connect(display: "host:1", authorityFile: nil) } throws: {
                ($0 as? X11Error)?.code == .invalidArgument
            }
        }
    }

    @Test func noCookieOrWrongCookieIsRefusedWithTheServersReason() async throws {
        try await TestXvfb.with { xvfb in
            await #expect {
                try await X11Display(display: xvfb.display, authorityFile: nil)
            } throws: { error in
                let error = try #require(error as? X11Error)
                return error.code == .refused && error.message.contains("Authorization required")
            }

            let wrongFile = xvfb.authorityFile + ".wrong"
            try XAuthority.writeWildcardCookie(to: wrongFile, cookie: XAuthority.randomCookie())
            defer { try? FileManager.default.removeItem(atPath: wrongFile) }
            await #expect {
                try await X11Display(display: xvfb.display, authorityFile: wrongFile)
            } throws: { error in
                let error = try #require(error as? X11Error)
                return error.code == .refused && error.message.contains("Invalid MIT-MAGIC-COOKIE-1")
            }

            // A cookie for another display number is not presented either.
            let otherDisplay = xvfb.authorityFile + ".other"
            let entry = XAuthority.Entry(family: XAuthority.familyWild, address: [], number: String(xvfb.display + 1),
                                         name: XAuthority.magicCookieName, data: xvfb.cookie)
            try Data(XAuthority(entries: [entry]).serialized).write(to: URL(fileURLWithPath: otherDisplay))
            defer { try? FileManager.default.removeItem(atPath: otherDisplay) }
            await #expect(throws: X11Error.self) { try await X11Display(display: xvfb.display, authorityFile: otherDisplay) }

            // The right cookie still works after the refusals.
            let display = try await xvfb.connect()
            try await display.sync()
            await display.close()
        }
    }

    @Test func missingDisplayIsAConnectError() async {
        await #expect {
            try await X11Display(display: 65000 + Int.random(in: 0..<500), authorityFile: nil)
        } throws: { ($0 as? X11Error)?.code == .connectFailed }
    }

    /// A server that accepts but never answers (here: a silent listener on the abstract socket, which also
    /// exercises the fallback from the filesystem path) is a timeout, not a hang.
    @Test func silentServerTimesOut() async throws {
        let number = 64000 + Int.random(in: 0..<900)
        #expect(!FileManager.default.fileExists(atPath: "/tmp/.X11-unix/X\(number)"))
        let listener = try SilentListener(abstractPath: "/tmp/.X11-unix/X\(number)")
        defer { listener.close() }
        let started = ContinuousClock.now
        await #expect {
            try await X11Display(display: number, authorityFile: nil, timeout: 0.3)
        } throws: { ($0 as? X11Error)?.code == .timeout }
        #expect(ContinuousClock.now - started < .seconds(45))  // ends instead of hanging, even on a loaded machine
    }

    @Test func syncIsARoundTripAndManySyncsKeepSequenceNumbersInStep() async throws {
        try await TestXvfb.with { xvfb in
            let connection = try xvfb.connection()
            // Cross the 16-bit sequence wrap with reply-less requests (NoOperation, opcode 127), then round-trip.
            for _ in 0..<70_000 { connection.request(127) }
            try connection.sync()
            #expect(connection.sequence > 65536)
            #expect(try connection.pointerPosition().x >= 0)
            connection.close()
        }
    }

    @Test func errorsOfRepliesAndOfReplylessRequestsAreThrown() async throws {
        try await TestXvfb.with { xvfb in
            let connection = try xvfb.connection()
            // GetProperty on a window that does not exist: BadWindow (3) for the awaited request.
            #expect {
                try connection.getProperty(window: 0x7FFF_FFF0, property: 1)
            } throws: { ($0 as? X11Error)?.protocolError?.errorCode == 3 }
            // MapWindow (opcode 8) has no reply: its BadWindow surfaces at the next sync.
            connection.request(8) { $0.u32(0x7FFF_FFF0) }
            #expect {
                try connection.sync()
            } throws: { error in
                let error = try #require(error as? X11Error)
                return error.code == .requestFailed && error.protocolError?.majorOpcode == 8
                    && error.protocolError?.badValue == 0x7FFF_FFF0
            }
            try connection.sync() // reported once
            connection.close()
            #expect { try connection.sync() } throws: { ($0 as? X11Error)?.code == .closed }
        }
    }

    @Test func windowManagerReadinessFollowsTheSupportingWMCheck() async throws {
        try await TestXvfb.with { xvfb in
            let display = try await xvfb.connect()
            #expect(try await display.windowManagerReady() == false)

            // Play window manager: a child window whose _NET_SUPPORTING_WM_CHECK names itself, and the same
            // property on the root window.
            let wm = try xvfb.connection()
            let atom = try wm.internAtom("_NET_SUPPORTING_WM_CHECK")
            let window = try wm.createWindow(x: 0, y: 0, width: 1, height: 1, eventMask: 0)
            try wm.changeProperty(window: wm.setup.rootWindow, property: atom, type: 33, values: [window])
            #expect(try await display.windowManagerReady() == false) // the window does not name itself yet
            try wm.changeProperty(window: window, property: atom, type: 33, values: [window])
            #expect(try await display.windowManagerReady() == true)

            // The window manager dies: its window goes, the root property stays stale. The server
            // destroys the window once it has handled the disconnect, which this connection cannot
            // observe as an event: wait for the condition.
            wm.close()
            #expect(try await pollUntil { try await display.windowManagerReady() == false })
            await display.close()
        }
    }
}

// MARK: - Test-side X client requests

extension X11Connection {
    /// CreateWindow (opcode 1): an InputOutput child of the root with a white background and `eventMask`.
    func createWindow(x: Int, y: Int, width: Int, height: Int, eventMask: UInt32) throws -> UInt32 {
        let window = try allocateID()
        request(1, data: 0) { w in // depth CopyFromParent
            w.u32(window)
            w.u32(setup.rootWindow)
            w.i16(Int16(x)); w.i16(Int16(y))
            w.u16(UInt16(width)); w.u16(UInt16(height))
            w.u16(0) // border width
            w.u16(1) // InputOutput
            w.u32(0) // visual CopyFromParent
            w.u32(0x0000_0002 | 0x0000_0800) // background-pixel, event-mask
            w.u32(0xFFFFFF)
            w.u32(eventMask)
        }
        try sync()
        return window
    }

    /// MapWindow (8), SetInputFocus (42) to it, and a round trip.
    func mapAndFocus(_ window: UInt32) throws {
        request(8) { $0.u32(window) }
        request(42, data: 1) { w in // revert-to PointerRoot
            w.u32(window)
            w.u32(0) // CurrentTime
        }
        try sync()
    }

    /// ChangeProperty (18), mode Replace, format 32.
    func changeProperty(window: UInt32, property: UInt32, type: UInt32, values: [UInt32]) throws {
        request(18, data: 0) { w in
            w.u32(window); w.u32(property); w.u32(type)
            w.u8(32); w.zeros(3)
            w.u32(UInt32(values.count))
            for value in values { w.u32(value) }
        }
        try sync()
    }

    /// CreateGC (55) on the root and PutImage (72) of 32-bit ZPixmap `pixels` at (`x`, `y`).
    func putImage(x: Int, y: Int, width: Int, height: Int, pixels: [UInt8]) throws {
        let gc = try allocateID()
        request(55) { w in w.u32(gc); w.u32(setup.rootWindow); w.u32(0) }
        request(72, data: 2) { w in
            w.u32(setup.rootWindow); w.u32(gc)
            w.u16(UInt16(width)); w.u16(UInt16(height))
            w.i16(Int16(x)); w.i16(Int16(y))
            w.u8(0); w.u8(24); w.u16(0)
            w.append(pixels)
        }
        request(60) { $0.u32(gc) } // FreeGC
        try sync()
    }
}

/// A Unix socket in the abstract namespace that accepts connections (into its backlog) and never answers.
private final class SilentListener: Sendable {
    private let fd: Int32

    init(abstractPath: String) throws {
        fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = [0] + Array(abstractPath.utf8)
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: bytes) }
        let length = socklen_t(MemoryLayout<sockaddr_un>.offset(of: \.sun_path)! + bytes.count)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
        }
        guard fd >= 0, bound == 0, listen(fd, 4) == 0 else {
            throw TestXvfbError(message: "cannot listen on @\(abstractPath): errno \(errno)")
        }
    }

    func close() { _ = Glibc.close(fd) }
}
