import CZlib
import Foundation
import Testing
@testable import AgentCore

/// Correctness of the screenshot pipeline: BGRX conversion, crop, area-average scaling, PNG encoding and base64.
/// The PNG oracle is `PNGTestDecoder` (CRC-checked, zlib-inflated, all filters undone).
@Suite struct ImagePipelineTests {
    // MARK: - PNG round trip

    @Test(arguments: [(1, 1), (3, 7), (7, 3), (2, 1), (1, 5), (33, 17), (1366, 768)])
    func encodeThenDecodeReturnsTheExactPixels(width: Int, height: Int) throws {
        var rng = SplitMix64(seed: UInt64(width * 10_007 + height))
        let image = RGBImage(width: width, height: height, pixels: rng.bytes(width * height * 3))
        let png = PNGEncoder.encode(image)
        let decoded = try PNGTestDecoder.decode(png)
        #expect(decoded.width == width && decoded.height == height)
        #expect(decoded.pixels == image.pixels)
        // PNG spec §9.2: we use the Up filter on every row.
        #expect(decoded.filterTypes.allSatisfy { $0 == 2 })
        #expect(decoded.chunks.map(\.type) == ["IHDR", "IDAT", "IEND"])
    }

    @Test(arguments: [0, 1, 6, 9] as [Int32])
    func everyCompressionLevelRoundTrips(level: Int32) throws {
        let screen = SyntheticScreen.bgrx(width: 320, height: 200, bytesPerRow: 320 * 4)
        let image = RGBImage(bgrx: screen, width: 320, height: 200, bytesPerRow: 320 * 4)
        let decoded = try PNGTestDecoder.decode(PNGEncoder.encode(image, level: level))
        #expect(decoded.pixels == image.pixels)
    }

    @Test func headerIsEightBitTruecolour() throws {
        let png = PNGEncoder.encode(RGBImage(width: 300, height: 2, pixels: [UInt8](repeating: 7, count: 1800)))
        #expect(Array(png[0..<8]) == [137, 80, 78, 71, 13, 10, 26, 10])
        let chunks = try PNGTestDecoder.chunks(png)
        // PNG spec §11.2.2: width 300, height 2, depth 8, colour type 2, compression 0, filter 0, interlace 0.
        #expect(chunks[0] == .init(type: "IHDR", data: [0, 0, 1, 44, 0, 0, 0, 2, 8, 2, 0, 0, 0]))
        // The IEND chunk is the fixed 12 bytes every PNG ends with.
        #expect(Array(png.suffix(12)) == [0, 0, 0, 0, 73, 69, 78, 68, 0xAE, 0x42, 0x60, 0x82])
    }

    @Test func oneStripIsExactlyZlibsOwnStream() throws {
        let frame = SyntheticScreen.bgrx(width: 301, height: 190, bytesPerRow: 301 * 4)
        let image = RGBImage(bgrx: frame, width: 301, height: 190, bytesPerRow: 301 * 4)
        for level: Int32 in [1, 6] {
            let idat = try #require(PNGTestDecoder.chunks(PNGEncoder.encode(image, level: level, parallelism: 1))
                .first { $0.type == "IDAT" })
            // The reference: zlib's compress2 (windowBits 15, memLevel 8, default strategy) over the same
            // Up-filtered scanlines.
            var filtered: [UInt8] = []
            for y in 0..<190 {
                filtered.append(2)
                for i in 0..<(301 * 3) {
                    filtered.append(image.pixels[y * 903 + i] &- (y > 0 ? image.pixels[(y - 1) * 903 + i] : 0))
                }
            }
            #expect(idat.data == zlibCompress(filtered, level: level), "level \(level)")
        }
    }

    @Test(arguments: [2, 3, 5, 16, 1000])
    func stripsDecodeToTheSamePixels(parallelism: Int) throws {
        let frame = SyntheticScreen.bgrx(width: 640, height: 400, bytesPerRow: 640 * 4)
        let image = RGBImage(bgrx: frame, width: 640, height: 400, bytesPerRow: 640 * 4)
        let single = PNGEncoder.encode(image, parallelism: 1)
        let split = PNGEncoder.encode(image, parallelism: parallelism)
        let decoded = try PNGTestDecoder.decode(split)
        #expect(decoded.pixels == image.pixels)
        #expect(decoded.chunks.map(\.type) == ["IHDR", "IDAT", "IEND"])
        // Each seam costs a sync-flush marker and a new block's Huffman tables (about 100 bytes at most), but the
        // preset dictionary keeps matches across it.
        #expect(split.count <= single.count + 120 * (min(parallelism, 400) - 1), "\(split.count) vs \(single.count)")
    }

    @Test func flatImagesCompressWell() throws {
        let image = RGBImage(width: 1366, height: 768, pixels: [UInt8](repeating: 200, count: 1366 * 768 * 3))
        let png = PNGEncoder.encode(image)
        #expect(png.count < 20_000)
        #expect(try PNGTestDecoder.decode(png).pixels == image.pixels)
    }

    @Test func corruptedFilesAreRejectedByTheOracle() {
        var png = PNGEncoder.encode(RGBImage(width: 4, height: 4, pixels: [UInt8](repeating: 9, count: 48)))
        png[40] ^= 1  // inside the IDAT data: its CRC no longer matches
        #expect(throws: PNGTestDecoder.DecodeError.self) { try PNGTestDecoder.decode(png) }
    }

    // MARK: - BGRX conversion and crop

    @Test(arguments: [1, 2, 3, 4, 5, 7, 8, 9, 13])
    func bgrxWithRowPaddingConvertsExactly(width: Int) {
        let height = 5, bytesPerRow = width * 4 + 12
        var rng = SplitMix64(seed: UInt64(width))
        // Padding bytes and the X byte are random garbage: neither may leak into the output.
        let frame = rng.bytes(bytesPerRow * (height - 1) + width * 4)
        let image = RGBImage(bgrx: frame, width: width, height: height, bytesPerRow: bytesPerRow)
        var expected: [UInt8] = []
        for y in 0..<height {
            for x in 0..<width {
                let p = y * bytesPerRow + x * 4
                expected += [frame[p + 2], frame[p + 1], frame[p]]
            }
        }
        #expect(image.width == width && image.height == height)
        #expect(image.pixels == expected)
        let viaPointer = frame.withUnsafeBytes { RGBImage(bgrx: $0, width: width, height: height,
                                                          bytesPerRow: bytesPerRow) }
        #expect(viaPointer == image)
    }

    @Test func bgrxChannelOrderIsBlueGreenRedPadding() {
        let image = RGBImage(bgrx: [10, 20, 30, 255, 1, 2, 3, 0], width: 2, height: 1, bytesPerRow: 8)
        #expect(image.pixels == [30, 20, 10, 3, 2, 1])
    }

    @Test func cropCopiesTheRectangle() {
        let image = RGBImage.gradient(width: 9, height: 6)
        let crop = image.cropped(x: 2, y: 1, width: 4, height: 3)
        #expect(crop.width == 4 && crop.height == 3)
        for y in 0..<3 {
            for x in 0..<4 {
                #expect(crop.pixel(x, y) == image.pixel(x + 2, y + 1))
            }
        }
        #expect(image.cropped(x: 0, y: 0, width: 9, height: 6) == image)
        #expect(image.cropped(x: 8, y: 5, width: 1, height: 1).pixels == image.pixel(8, 5))
    }

    // MARK: - Area-average scaling

    @Test func sameSizeIsAnExactCopy() {
        var rng = SplitMix64(seed: 1)
        let image = RGBImage(width: 17, height: 9, pixels: rng.bytes(17 * 9 * 3))
        #expect(image.scaled(toWidth: 17, height: 9) == image)
        let frame = rng.bytes(17 * 9 * 4)
        #expect(RGBImage(bgrx: frame, width: 17, height: 9, bytesPerRow: 68, targetWidth: 17, targetHeight: 9)
                == RGBImage(bgrx: frame, width: 17, height: 9, bytesPerRow: 68))
    }

    @Test func twoByTwoBlocksAverageExactly() {
        // 4x2 → 2x1: each output pixel is the rounded mean of one 2x2 block.
        let pixels: [UInt8] = [0, 10, 255, 4, 20, 255, 100, 0, 1, 200, 0, 2,
                               8, 30, 255, 8, 41, 254, 50, 0, 0, 250, 0, 0]
        let image = RGBImage(width: 4, height: 2, pixels: pixels).scaled(toWidth: 2, height: 1)
        // (0+4+8+8)/4 = 5, (10+20+30+41)/4 = 25.25 → 25, (255+255+255+254)/4 = 254.75 → 255;
        // (100+200+50+250)/4 = 150, 0, (1+2+0+0)/4 = 0.75 → 1.
        #expect(image.pixels == [5, 25, 255, 150, 0, 1])
    }

    @Test func fractionalCoverageIsWeighted() {
        // 3 → 2 columns: output 0 covers source [0, 1.5), output 1 covers [1.5, 3).
        let image = RGBImage(width: 3, height: 1, pixels: [0, 0, 0, 90, 90, 90, 180, 180, 180])
        // (1·0 + 0.5·90) / 1.5 = 30; (0.5·90 + 1·180) / 1.5 = 150.
        #expect(image.scaled(toWidth: 2, height: 1).pixels == [30, 30, 30, 150, 150, 150])
        let column = RGBImage(width: 1, height: 3, pixels: [0, 0, 0, 90, 90, 90, 180, 180, 180])
        #expect(column.scaled(toWidth: 1, height: 2).pixels == [30, 30, 30, 150, 150, 150])
    }

    @Test(arguments: [(1280, 800, 1024, 640), (1920, 1080, 1366, 768), (1024, 768, 1000, 700), (640, 400, 37, 11)])
    func solidColourStaysSolid(width: Int, height: Int, targetWidth: Int, targetHeight: Int) {
        let frame = [UInt8]((0..<(width * height)).flatMap { _ in [0x12, 0xA0, 0xFE, 0x5A] as [UInt8] })
        let fused = RGBImage(bgrx: frame, width: width, height: height, bytesPerRow: width * 4,
                             targetWidth: targetWidth, targetHeight: targetHeight)
        #expect(fused.width == targetWidth && fused.height == targetHeight)
        let expected = [UInt8]((0..<(targetWidth * targetHeight)).flatMap { _ in [0xFE, 0xA0, 0x12] as [UInt8] })
        #expect(fused.pixels == expected)
        let twoStep = RGBImage(bgrx: frame, width: width, height: height, bytesPerRow: width * 4)
            .scaled(toWidth: targetWidth, height: targetHeight)
        #expect(twoStep.pixels == expected)
    }

    @Test func halvedCheckerboardIsUniformGrey() {
        let width = 64, height = 40
        var pixels: [UInt8] = []
        for y in 0..<height {
            for x in 0..<width { pixels += [UInt8](repeating: (x + y) % 2 == 0 ? 255 : 0, count: 3) }
        }
        let half = RGBImage(width: width, height: height, pixels: pixels).scaled(toWidth: 32, height: 20)
        #expect(half.pixels.allSatisfy { $0 >= 127 && $0 <= 128 })
        // A 1.25x shrink of the same pattern is grey too, within rounding of the fractional weights.
        let shrunk = RGBImage(width: width, height: height, pixels: pixels).scaled(toWidth: 51, height: 32)
        #expect(shrunk.pixels.allSatisfy { $0 >= 80 && $0 <= 175 })
    }

    @Test func fusedPathMatchesConvertThenScale() {
        let width = 333, height = 217, bytesPerRow = width * 4 + 20
        var rng = SplitMix64(seed: 99)
        let frame = rng.bytes(bytesPerRow * height)
        for (tw, th) in [(250, 160), (100, 217), (333, 100), (500, 300), (1, 1)] {
            let fused = RGBImage(bgrx: frame, width: width, height: height, bytesPerRow: bytesPerRow,
                                 targetWidth: tw, targetHeight: th)
            let twoStep = RGBImage(bgrx: frame, width: width, height: height, bytesPerRow: bytesPerRow)
                .scaled(toWidth: tw, height: th)
            #expect(fused == twoStep, "\(tw)x\(th)")
        }
    }

    @Test func scalingInStripsMatchesOneStrip() {
        var rng = SplitMix64(seed: 3)
        let frame = rng.bytes(300 * 200 * 4)
        for (tw, th) in [(213, 150), (450, 260), (300, 31)] {
            let scaler = AreaAverageScaler(sourceWidth: 300, sourceHeight: 200, targetWidth: tw, targetHeight: th)
            let one = frame.withUnsafeBytes { scaler.scale($0.baseAddress!, bytesPerRow: 1200, layout: .bgrx,
                                                            parallelism: 1) }
            for strips in [2, 3, 7, th] {
                let many = frame.withUnsafeBytes { scaler.scale($0.baseAddress!, bytesPerRow: 1200, layout: .bgrx,
                                                                 parallelism: strips) }
                #expect(many == one, "\(tw)x\(th) in \(strips) strips")
            }
        }
    }

    @Test func downscaleMatchesAReferenceAreaAverage() {
        var rng = SplitMix64(seed: 5)
        let image = RGBImage(width: 23, height: 13, pixels: rng.bytes(23 * 13 * 3))
        for (tw, th) in [(17, 10), (5, 3), (11, 13), (23, 4)] {
            let scaled = image.scaled(toWidth: tw, height: th)
            let reference = referenceAreaAverage(image, width: tw, height: th)
            for i in 0..<scaled.pixels.count {
                #expect(abs(Double(scaled.pixels[i]) - reference[i]) <= 0.51, "\(tw)x\(th) byte \(i)")
            }
        }
    }

    @Test func upscaleHasTheRequestedShape() {
        let image = RGBImage(width: 2, height: 2, pixels: [10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 110, 120])
        // An integer factor repeats each pixel exactly.
        let doubled = image.scaled(toWidth: 4, height: 4)
        #expect(doubled.width == 4 && doubled.height == 4)
        for y in 0..<4 {
            for x in 0..<4 { #expect(doubled.pixel(x, y) == image.pixel(x / 2, y / 2)) }
        }
        // A fractional factor: the right size, corners taken from the corner pixels, values in range.
        let odd = RGBImage.gradient(width: 5, height: 3).scaled(toWidth: 13, height: 8)
        #expect(odd.width == 13 && odd.height == 8 && odd.pixels.count == 13 * 8 * 3)
        let source = RGBImage.gradient(width: 5, height: 3)
        #expect(odd.pixel(0, 0) == source.pixel(0, 0))
        #expect(odd.pixel(12, 7) == source.pixel(4, 2))
        // Zoom-like: a crop enlarged from a BGRX frame in one pass.
        let frame = SyntheticScreen.bgrx(width: 64, height: 48, bytesPerRow: 256)
        let zoomed = RGBImage(bgrx: frame, width: 64, height: 48, bytesPerRow: 256, targetWidth: 128, targetHeight: 96)
        let plain = RGBImage(bgrx: frame, width: 64, height: 48, bytesPerRow: 256)
        #expect(zoomed.pixel(2 * 17, 2 * 9) == plain.pixel(17, 9))
    }

    // MARK: - Base64

    @Test func base64MatchesRFC4648TestVectors() {
        // RFC 4648 §10.
        let vectors = ["": "", "f": "Zg==", "fo": "Zm8=", "foo": "Zm9v", "foob": "Zm9vYg==", "fooba": "Zm9vYmE=",
                       "foobar": "Zm9vYmFy"]
        for (input, output) in vectors { #expect(Base64.encode(Array(input.utf8)) == output) }
    }

    @Test func base64MatchesFoundation() {
        var rng = SplitMix64(seed: 64)
        for count in Array(0..<70) + [1 << 20, (1 << 20) + 1, (1 << 20) + 2] {
            let bytes = rng.bytes(count)
            #expect(Base64.encode(bytes) == Data(bytes).base64EncodedString(), "\(count) bytes")
        }
    }

    // MARK: - Another decoder reads our files

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/convert"),
                   "ImageMagick's /usr/bin/convert is not installed"))
    func imageMagickReadsOurPNG() throws {
        let frame = SyntheticScreen.bgrx(width: 200, height: 120, bytesPerRow: 200 * 4 + 8)
        let image = RGBImage(bgrx: frame, width: 200, height: 120, bytesPerRow: 808, targetWidth: 150, targetHeight: 90)
        let path = FileManager.default.temporaryDirectory
            .appendingPathComponent("agentd-png-\(UUID().uuidString).png").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(FileManager.default.createFile(atPath: path, contents: Data(PNGEncoder.encode(image))))
        // `rgb:-` writes the decoded pixels as raw 8-bit RGB: they must equal ours exactly.
        let decoded = try run("/usr/bin/convert", [path, "-depth", "8", "rgb:-"])
        #expect(decoded.status == 0)
        #expect(decoded.output == image.pixels)
        let identify = try run("/usr/bin/convert", [path, "-format", "%w %h %[type]", "info:-"])
        #expect(String(decoding: identify.output, as: UTF8.self).hasPrefix("150 90"))
    }

    private func zlibCompress(_ data: [UInt8], level: Int32) -> [UInt8] {
        var length = compressBound(UInt(data.count))
        var out = [UInt8](repeating: 0, count: Int(length))
        let result = compress2(&out, &length, data, UInt(data.count), level)
        precondition(result == Z_OK)
        return Array(out[0..<Int(length)])
    }

    private func run(_ executable: String, _ arguments: [String]) throws -> (status: Int32, output: [UInt8]) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, [UInt8](data))
    }

    /// Area average in Double, straight from the definition: integrate the source over the output pixel's box.
    private func referenceAreaAverage(_ image: RGBImage, width: Int, height: Int) -> [Double] {
        let sx = Double(image.width) / Double(width), sy = Double(image.height) / Double(height)
        var out: [Double] = []
        for y in 0..<height {
            for x in 0..<width {
                var sum = [0.0, 0.0, 0.0], area = 0.0
                let x0 = Double(x) * sx, x1 = Double(x + 1) * sx, y0 = Double(y) * sy, y1 = Double(y + 1) * sy
                for j in Int(y0)..<min(image.height, Int(y1.rounded(.up))) {
                    let h = min(y1, Double(j + 1)) - max(y0, Double(j))
                    for i in Int(x0)..<min(image.width, Int(x1.rounded(.up))) {
                        let w = (min(x1, Double(i + 1)) - max(x0, Double(i))) * h
                        let p = image.pixel(i, j)
                        for c in 0..<3 { sum[c] += w * Double(p[c]) }
                        area += w
                    }
                }
                out += sum.map { $0 / area }
            }
        }
        return out
    }
}

// MARK: - Shared helpers for the image tests

/// A tiny deterministic generator (SplitMix64), so failures reproduce.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func bytes(_ count: Int) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: count)
        var i = 0
        while i < count {
            var word = next()
            for _ in 0..<8 where i < count {
                out[i] = UInt8(truncatingIfNeeded: word)
                word >>= 8
                i += 1
            }
        }
        return out
    }
}

extension RGBImage {
    /// The three bytes of pixel (x, y).
    func pixel(_ x: Int, _ y: Int) -> [UInt8] {
        Array(pixels[((y * width + x) * 3)..<((y * width + x) * 3 + 3)])
    }

    /// A small image whose every pixel differs.
    static func gradient(width: Int, height: Int) -> RGBImage {
        var pixels: [UInt8] = []
        for y in 0..<height {
            for x in 0..<width { pixels += [UInt8(x * 20 % 256), UInt8(y * 30 % 256), UInt8((x * 7 + y * 11) % 256)] }
        }
        return RGBImage(width: width, height: height, pixels: pixels)
    }
}

/// A desktop-like BGRX frame: a flat title bar, a terminal (light monospace text on a dark background), a
/// document (dark anti-aliased text on white, ragged lines, paragraph gaps) and a photo-like gradient with a little
/// noise. Text uses a fixed alphabet of 48 random glyph bitmaps, so like real text it repeats at full size but not
/// after a fractional downscale; the photo region defeats deflate's string matching, as real photos do.
enum SyntheticScreen {
    static func bgrx(width: Int, height: Int, bytesPerRow: Int, seed: UInt64 = 7) -> [UInt8] {
        var rng = SplitMix64(seed: seed)
        // 48 glyphs of 7x11 cells; 0 = background, 1 = edge (anti-aliasing), 2 = ink.
        let glyphs: [[UInt8]] = (0..<48).map { _ in
            (0..<77).map { _ in
                let r = rng.next() % 100
                return r < 30 ? 2 : (r < 42 ? 1 : 0)
            }
        }
        var frame = [UInt8](repeating: 0, count: bytesPerRow * height)
        frame.withUnsafeMutableBufferPointer { f in
            func put(_ x: Int, _ y: Int, _ r: UInt8, _ g: UInt8, _ b: UInt8) {
                let p = y * bytesPerRow + x * 4
                f[p] = b; f[p + 1] = g; f[p + 2] = r; f[p + 3] = 0x5A  // padding byte: garbage, not alpha
            }
            /// Glyph level at (x, y) for text laid out in cells of cellWidth x lineHeight, or nil for background.
            func text(_ x: Int, _ y: Int, cellWidth: Int, lineHeight: Int, salt: Int) -> UInt8? {
                let line = y / lineHeight, column = x / cellWidth
                let gx = x % cellWidth, gy = y % lineHeight - (lineHeight - 11) / 2
                guard gx < 7, gy >= 0, gy < 11, line % 7 != 6 else { return nil }  // paragraph gap every 7th line
                let lineLength = 20 + (line &* 37 &+ salt) % 60  // ragged right edge
                guard column < lineLength else { return nil }
                let code = (column &* 7 &+ line &* 13 &+ salt) % 53
                guard code < 48, code % 9 != 4 else { return nil }  // spaces between words
                let level = glyphs[code][gy * 7 + gx]
                return level == 0 ? nil : level
            }
            let photoX = width * 3 / 5, photoY = height / 3
            let terminalWidth = width * 2 / 5
            for y in 0..<height {
                for x in 0..<width {
                    if y < 24 {  // title bar / panel: flat with a 1-px border
                        let v: UInt8 = y == 23 ? 90 : 210
                        put(x, y, v, v, v &+ 10)
                    } else if x < terminalWidth {  // terminal: light text on a dark background
                        switch text(x, y - 24, cellWidth: 8, lineHeight: 15, salt: 3) {
                        case 2: put(x, y, 80, 230, 120)
                        case 1: put(x, y, 40, 110, 64)
                        default: put(x, y, 20, 22, 28)
                        }
                    } else if x >= photoX && y >= photoY {  // photo: smooth gradient plus sensor-like noise
                        let noise = Int(rng.next() % 7) - 3
                        let r = min(255, max(0, (x - photoX) * 255 / max(1, width - photoX) + noise))
                        let g = min(255, max(0, (y - photoY) * 255 / max(1, height - photoY) + noise))
                        let b = min(255, max(0, 128 + (x + y) % 64 + noise))
                        put(x, y, UInt8(r), UInt8(g), UInt8(b))
                    } else {  // document: dark anti-aliased text on white
                        switch text(x - terminalWidth, y - 24, cellWidth: 9, lineHeight: 20, salt: 11) {
                        case 2: put(x, y, 30, 30, 30)
                        case 1: put(x, y, 160, 160, 165)
                        default: put(x, y, 255, 255, 255)
                        }
                    }
                }
            }
        }
        return frame
    }
}
