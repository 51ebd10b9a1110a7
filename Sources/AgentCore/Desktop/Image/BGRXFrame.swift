/// Helpers for raw 32-bits-per-pixel frames as X11 returns them for a depth-24 `ZPixmap` on a little-endian
/// server: bytes B, G, R, X per pixel, where X is padding (not alpha), rows `bytesPerRow` apart.
enum BGRXFrame {
    /// Traps unless `frame` can hold `height` rows of `width` BGRX pixels, `bytesPerRow` apart.
    static func validate(_ frame: UnsafeRawBufferPointer, width: Int, height: Int, bytesPerRow: Int) {
        precondition(width > 0 && height > 0, "BGRX frame needs a positive size, got \(width)x\(height)")
        precondition(bytesPerRow >= width * 4, "bytesPerRow \(bytesPerRow) < width * 4 (\(width * 4))")
        precondition(frame.count >= bytesPerRow * (height - 1) + width * 4,
                     "BGRX frame \(width)x\(height) stride \(bytesPerRow) needs "
                     + "\(bytesPerRow * (height - 1) + width * 4) bytes, got \(frame.count)")
    }

    /// Writes `height` packed RGB rows (`width * 3` bytes each) to `rgb`.
    static func convert(_ frame: UnsafeRawPointer, width: Int, height: Int, bytesPerRow: Int,
                        into rgb: UnsafeMutablePointer<UInt8>) {
        for y in 0..<height {
            convertRow(frame + y * bytesPerRow, count: width, into: UnsafeMutableRawPointer(rgb + y * width * 3))
        }
    }

    /// Converts `count` BGRX pixels at `source` to RGB at `destination`.
    @inline(__always)
    static func convertRow(_ source: UnsafeRawPointer, count: Int, into destination: UnsafeMutableRawPointer) {
        var i = 0
        #if _endian(little)
        // Four pixels per step: four 32-bit loads (B | G<<8 | R<<16 | X<<24), three 32-bit stores.
        // byteSwapped >> 8 == R | G<<8 | B<<16, the three RGB bytes in little-endian order; X drops out.
        while i &+ 4 <= count {
            let s = source + i &* 4, d = destination + i &* 3
            let p0 = s.loadUnaligned(fromByteOffset: 0, as: UInt32.self).byteSwapped &>> 8
            let p1 = s.loadUnaligned(fromByteOffset: 4, as: UInt32.self).byteSwapped &>> 8
            let p2 = s.loadUnaligned(fromByteOffset: 8, as: UInt32.self).byteSwapped &>> 8
            let p3 = s.loadUnaligned(fromByteOffset: 12, as: UInt32.self).byteSwapped &>> 8
            d.storeBytes(of: p0 | p1 &<< 24, toByteOffset: 0, as: UInt32.self)
            d.storeBytes(of: p1 &>> 8 | p2 &<< 16, toByteOffset: 4, as: UInt32.self)
            d.storeBytes(of: p2 &>> 16 | p3 &<< 8, toByteOffset: 8, as: UInt32.self)
            i &+= 4
        }
        #endif
        while i < count {
            let s = source + i &* 4, d = destination + i &* 3
            d.storeBytes(of: s.load(fromByteOffset: 2, as: UInt8.self), toByteOffset: 0, as: UInt8.self)
            d.storeBytes(of: s.load(fromByteOffset: 1, as: UInt8.self), toByteOffset: 1, as: UInt8.self)
            d.storeBytes(of: s.load(fromByteOffset: 0, as: UInt8.self), toByteOffset: 2, as: UInt8.self)
            i &+= 1
        }
    }
}
