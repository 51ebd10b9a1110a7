import Foundation
import Testing
@testable import AgentCore

/// Times each stage of the screenshot pipeline on a desktop-like frame and prints medians.
///
/// The bound asserted is deliberately loose (debug builds, a shared 2-core machine); the printed numbers are the
/// point. For release numbers: `swift test -c release --scratch-path <dir> --filter ImagePerformance`.
@Suite(.serialized) struct ImagePerformanceTests {
    @Test(arguments: [(1280, 800, 1024, 640), (1920, 1080, 1366, 768)])
    func screenshotStagesAreFast(width: Int, height: Int, targetWidth: Int, targetHeight: Int) throws {
        let bytesPerRow = width * 4
        let frame = SyntheticScreen.bgrx(width: width, height: height, bytesPerRow: bytesPerRow)
        #if DEBUG
        let runs = 3  // unoptimized code is 20-100x slower; keep the suite quick
        #else
        let runs = 10
        #endif

        var scaled = RGBImage(width: 1, height: 1, pixels: [0, 0, 0])
        let scale = median(runs) {
            frame.withUnsafeBytes { raw in
                scaled = RGBImage(bgrx: raw, width: width, height: height, bytesPerRow: bytesPerRow,
                                  targetWidth: targetWidth, targetHeight: targetHeight)
            }
        }
        var full = scaled
        let convert = median(runs) {
            frame.withUnsafeBytes { raw in
                full = RGBImage(bgrx: raw, width: width, height: height, bytesPerRow: bytesPerRow)
            }
        }
        let scaler = AreaAverageScaler(sourceWidth: width, sourceHeight: height,
                                       targetWidth: targetWidth, targetHeight: targetHeight)
        let scaleSerial = median(runs) {
            _ = frame.withUnsafeBytes { scaler.scale($0.baseAddress!, bytesPerRow: bytesPerRow, layout: .bgrx,
                                                     parallelism: 1) }
        }
        var png: [UInt8] = []
        let encode = median(runs) { png = PNGEncoder.encode(scaled) }
        var serialPNG: [UInt8] = []
        let encodeSerial = median(runs) { serialPNG = PNGEncoder.encode(scaled, parallelism: 1) }
        var fullPNG: [UInt8] = []
        let encodeFull = median(runs) { fullPNG = PNGEncoder.encode(full) }
        var text = ""
        let base64 = median(runs) { text = Base64.encode(png) }
        var foundationText = ""
        let foundationBase64 = median(runs) { foundationText = Data(png).base64EncodedString() }

        #expect(try PNGTestDecoder.decode(png).pixels == scaled.pixels)
        #expect(text == foundationText)
        let total = scale + encode + base64
        let load = (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8))?.split(separator: " ").first ?? "?"
        print("""
            [image-bench] \(width)x\(height) -> \(targetWidth)x\(targetHeight), \(ImageParallelism.processors) CPUs, \
            load \(load), median of \(runs): convert+scale \(ms(scale)) ms (1 thread \(ms(scaleSerial))), \
            encode \(ms(encode)) ms, \(png.count) B (1 thread \(ms(encodeSerial)) ms, \(serialPNG.count) B), \
            base64 \(ms(base64)) ms (Foundation \(ms(foundationBase64)) ms), total \(ms(total)) ms; \
            unscaled: convert \(ms(convert)) ms, encode \(ms(encodeFull)) ms, \(fullPNG.count) B
            """)
    }

    private func median(_ runs: Int, _ body: () -> Void) -> Duration {
        body()  // warm-up: first-touch page faults and lazy tables
        let clock = ContinuousClock()
        var times: [Duration] = []
        for _ in 0..<runs { times.append(clock.measure(body)) }
        return times.sorted()[runs / 2]
    }

    private func ms(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        return String(format: "%.2f", Double(seconds) * 1000 + Double(attoseconds) / 1e15)
    }
}
