import Foundation
import Testing
@testable import AgentCore

/// Screen capture through MIT-SHM and core GetImage against a real Xvfb.
@Suite(.enabled(if: TestXvfb.available), .timeLimit(.minutes(2)))
struct X11CaptureTests {
    /// Random pixels drawn with PutImage at (x, y): the 4th byte of each pixel is padding.
    private static func drawNoise(_ connection: X11Connection, x: Int, y: Int, width: Int, height: Int) throws -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        let pixels = [UInt8](unsafeUninitializedCapacity: width * height * 4) { buffer, count in
            for i in 0..<buffer.count { buffer[i] = UInt8(truncatingIfNeeded: generator.next()) }
            count = buffer.count
        }
        try connection.putImage(x: x, y: y, width: width, height: height, pixels: pixels)
        return pixels
    }

    /// The B, G, R bytes of every pixel (the padding byte dropped).
    private static func colors(_ bytes: [UInt8], width: Int, height: Int, bytesPerRow: Int) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(width * height * 3)
        for row in 0..<height {
            for column in 0..<width {
                let at = row * bytesPerRow + column * 4
                out += bytes[at..<at + 3]
            }
        }
        return out
    }

    @Test func sharedMemoryAndGetImageCapturesAreByteIdentical() async throws {
        try await TestXvfb.with { xvfb in
            let connection = try xvfb.connection()
            defer { connection.close() }
            _ = try Self.drawNoise(connection, x: 100, y: 50, width: 300, height: 200)
            #expect(connection.sharedMemoryAvailable)

            let viaSHM = try connection.capture(x: 0, y: 0, width: 1280, height: 800, method: .sharedMemory)
            let viaGetImage = try connection.capture(x: 0, y: 0, width: 1280, height: 800, method: .getImage)
            #expect(viaSHM.width == 1280 && viaSHM.height == 800 && viaSHM.bytesPerRow == 1280 * 4)
            #expect(viaSHM.bytes.count == 1280 * 800 * 4)
            #expect(viaSHM == viaGetImage)
            #expect(Set(viaSHM.bytes).count > 200) // the noise is there, not a blank screen

            // The same for a region, and for the automatic choice.
            let region = try connection.capture(x: 90, y: 40, width: 333, height: 77, method: .sharedMemory)
            #expect(region == (try connection.capture(x: 90, y: 40, width: 333, height: 77, method: .getImage)))
            #expect(region == (try connection.capture(x: 90, y: 40, width: 333, height: 77)))
        }
    }

    @Test func capturedPixelsAreWhatWasDrawn() async throws {
        try await TestXvfb.with { xvfb in
            let drawer = try xvfb.connection()
            defer { drawer.close() }
            let (x, y, width, height) = (200, 300, 256, 120)
            let drawn = try Self.drawNoise(drawer, x: x, y: y, width: width, height: height)
            let display = try await xvfb.connect()
            #expect(await display.usesSharedMemory)

            let region = try await display.captureScreen(x: x, y: y, width: width, height: height)
            #expect(region.width == width && region.height == height && region.bytesPerRow == width * 4)
            #expect(Self.colors(region.bytes, width: width, height: height, bytesPerRow: region.bytesPerRow)
                        == Self.colors(drawn, width: width, height: height, bytesPerRow: width * 4))

            // The region is the matching rectangle of a full capture.
            let full = try await display.captureScreen()
            for row in 0..<height {
                let fullRow = (y + row) * full.bytesPerRow + x * 4
                #expect(Array(full.bytes[fullRow..<fullRow + width * 4])
                            == Array(region.bytes[row * region.bytesPerRow..<row * region.bytesPerRow + width * 4]))
            }
            let pixel = region.pixel(x: 3, y: 5)
            let at = (5 * width + 3) * 4
            #expect(pixel.red == drawn[at + 2] && pixel.green == drawn[at + 1] && pixel.blue == drawn[at])
            await display.close()
        }
    }

    @Test func segmentIsReusedAndRegionsOutsideTheScreenAreRejected() async throws {
        try await TestXvfb.with { xvfb in
            let connection = try xvfb.connection()
            defer { connection.close() }
            _ = try connection.capture(x: 0, y: 0, width: 10, height: 10)
            let first = try #require(connection.sharedImage.segment)
            #expect(first.memory.size >= 1280 * 800 * 4) // sized for a full screen up front
            _ = try connection.capture(x: 0, y: 0, width: 1280, height: 800)
            #expect(connection.sharedImage.segment?.xid == first.xid)

            for (x, y, width, height) in [(0, 0, 0, 10), (0, 0, 1281, 800), (-1, 0, 10, 10), (1270, 790, 11, 10)] {
                #expect {
                    try connection.capture(x: x, y: y, width: width, height: height)
                } throws: { ($0 as? X11Error)?.code == .invalidArgument }
            }
            try connection.sync() // still usable
        }
    }

    @Test func segmentIsMarkedForRemovalOnceAttached() async throws {
        try await TestXvfb.with { xvfb in
            let connection = try xvfb.connection()
            _ = try connection.capture(x: 0, y: 0, width: 16, height: 16)
            let id = try #require(connection.sharedImage.segment).memory.id
            // /proc/sysvipc/shm lists live segments; a segment marked IPC_RMID has key 0 and mode with 01000 set
            // (SHM_DEST), so it disappears when both sides detach.
            let table = try String(contentsOfFile: "/proc/sysvipc/shm", encoding: .utf8)
            let line = table.split(separator: "\n").first { $0.split(separator: " ", omittingEmptySubsequences: true)
                .dropFirst().first == Substring(String(id)) }
            let mode = try #require(line.flatMap { Int($0.split(separator: " ", omittingEmptySubsequences: true)[2], radix: 8) })
            #expect(mode & 0o1000 != 0)
            #expect(mode & 0o777 == 0o600)
            connection.close()
            let after = try String(contentsOfFile: "/proc/sysvipc/shm", encoding: .utf8)
            #expect(!after.split(separator: "\n").contains { $0.split(separator: " ", omittingEmptySubsequences: true)
                .dropFirst().first == Substring(String(id)) })
        }
    }

    /// Prints capture times; asserts nothing tight.
    @Test func measureCaptureTimes() async throws {
        try await TestXvfb.with { xvfb in
            let connection = try xvfb.connection()
            defer { connection.close() }
            _ = try Self.drawNoise(connection, x: 0, y: 0, width: 200, height: 200)
            var results: [String] = []
            for method in [X11Connection.CaptureMethod.sharedMemory, .getImage] {
                _ = try connection.capture(x: 0, y: 0, width: 1280, height: 800, method: method) // warm-up
                var times: [Double] = []
                for _ in 0..<20 {
                    let start = ContinuousClock.now
                    _ = try connection.capture(x: 0, y: 0, width: 1280, height: 800, method: method)
                    let elapsed = ContinuousClock.now - start
                    times.append(Double(elapsed.components.attoseconds) / 1e15 + Double(elapsed.components.seconds) * 1000)
                }
                times.sort()
                results.append(String(format: "%@ 1280x800 x20: median %.2f ms, min %.2f ms, max %.2f ms",
                                      "\(method)", times[10], times[0], times[19]))
            }
            for line in results { print("X11 capture timing: \(line)") }
            #expect(results.count == 2)
        }
    }
}
