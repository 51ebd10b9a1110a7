import CZlib

/// A fast PNG writer for screenshots: 8-bit truecolour, the Up filter on every row, zlib deflate.
///
/// zlib level 1 with the Up filter is the measured sweet spot for screen content: higher levels and
/// adaptive filtering cost 3–4x the time for about 1% fewer bytes. Large images are cut into horizontal strips
/// compressed on several cores (see ``encode(_:level:parallelism:)``); the result is still one ordinary
/// zlib stream in one IDAT chunk.
///
/// ```swift
/// let png = PNGEncoder.encode(image)              // level 1, all cores
/// let smaller = PNGEncoder.encode(image, level: 6)
/// ```
public enum PNGEncoder {
    /// The eight-byte PNG signature (PNG spec §5.2).
    static let signature: [UInt8] = [137, 80, 78, 71, 13, 10, 26, 10]

    /// Uncompressed bytes filtered and fed to deflate per call: several rows, small enough to stay in cache.
    static let blockBytes = 64 * 1024

    /// Encodes `image` as a PNG file, using several cores for large images.
    ///
    /// The file holds IHDR (8-bit RGB, colour type 2, no interlace), one IDAT and IEND.
    ///
    /// - Parameters:
    ///   - image: The pixels to encode.
    ///   - level: zlib compression level, 0 (store) to 9; 1 is fastest with real compression.
    /// - Returns: The complete PNG file.
    public static func encode(_ image: RGBImage, level: Int32 = 1) -> [UInt8] {
        let parallelism = ImageParallelism.strips(forBytes: (image.width * 3 + 1) * image.height)
        return encode(image, level: level, parallelism: parallelism)
    }

    /// Encodes `image` as a PNG file, compressing `parallelism` horizontal strips concurrently.
    ///
    /// Each strip after the first is primed with the 32 KiB of data before it, so the file is within a few
    /// bytes of the single-strip size. With `parallelism` 1 the IDAT data is exactly zlib's single stream.
    ///
    /// - Parameters:
    ///   - image: The pixels to encode.
    ///   - level: zlib compression level, 0 (store) to 9.
    ///   - parallelism: Number of strips (at least 1; capped at the image height), compressed on up to that
    ///     many threads.
    /// - Returns: The complete PNG file.
    public static func encode(_ image: RGBImage, level: Int32 = 1, parallelism: Int) -> [UInt8] {
        precondition((0...9).contains(level), "zlib level must be 0...9, got \(level)")
        precondition(parallelism >= 1, "parallelism must be at least 1, got \(parallelism)")
        let width = image.width, height = image.height
        let stripCount = min(parallelism, height)

        // Compress the strips (in parallel), each into its own buffer.
        let strips = image.pixels.withUnsafeBufferPointer { pixels in
            [PNGStrip](unsafeUninitializedCapacity: stripCount) { slots, initialized in
                let base = slots.baseAddress!
                ImageParallelism.run(stripCount) { index in
                    let rows = ImageParallelism.range(index, of: stripCount, total: height)
                    (base + index).initialize(to: PNGStrip(image: pixels.baseAddress!, width: width, rows: rows,
                                                           level: level, final: index == stripCount - 1))
                }
                initialized = stripCount
            }
        }

        let compressedCount = strips.reduce(0) { $0 + $1.count }
        let idatCount = 2 + compressedCount + 4  // RFC 1950 §2.2: CMF, FLG, deflate data, ADLER32
        let capacity = 8 + 25 + 12 + idatCount + 12
        return [UInt8](unsafeUninitializedCapacity: capacity) { file, count in
            let base = UnsafeMutableRawPointer(file.baseAddress!)
            var at = 0
            func put(_ bytes: [UInt8]) {
                bytes.withUnsafeBytes { (base + at).copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
                at += bytes.count
            }
            func put32(_ value: UInt32) {
                // PNG spec §7.1 and RFC 1950 §2.1: integers are big-endian (network byte order).
                base.storeBytes(of: value.bigEndian, toByteOffset: at, as: UInt32.self)
                at += 4
            }
            func crc(from start: Int, initial: UInt = 0) -> UInt {
                crc32(initial, file.baseAddress! + start, UInt32(at - start))
            }

            put(signature)

            // PNG spec §11.2.2 IHDR: width, height, bit depth 8, colour type 2 (truecolour), compression method 0,
            // filter method 0 (adaptive, five filter types), interlace method 0 (none).
            put32(13)
            let ihdrType = at
            put(Array("IHDR".utf8))
            put32(UInt32(width))
            put32(UInt32(height))
            put([8, 2, 0, 0, 0])
            // PNG spec §5.3: the CRC covers the chunk type and data, not the length (ISO 3309 CRC-32, as zlib's).
            put32(UInt32(truncatingIfNeeded: crc(from: ihdrType)))

            // PNG spec §11.2.4 IDAT: the zlib stream (PNG spec §10.1), here in a single chunk.
            put32(UInt32(idatCount))
            let idatType = at
            put(Array("IDAT".utf8))
            put(zlibHeader(level: level))
            var idatCRC = crc(from: idatType)
            var adler: UInt = 1
            for strip in strips {
                (base + at).copyMemory(from: strip.buffer.baseAddress!, byteCount: strip.count)
                at += strip.count
                idatCRC = crc32_combine(idatCRC, strip.crc, strip.count)
                // RFC 1950 §8.2: the checksum of the whole uncompressed data, from the strips' own.
                adler = adler32_combine(adler, strip.adler, strip.inputCount)
            }
            let trailer = at
            put32(UInt32(truncatingIfNeeded: adler))
            idatCRC = crc(from: trailer, initial: idatCRC)
            put32(UInt32(truncatingIfNeeded: idatCRC))

            // PNG spec §11.2.5 IEND: empty.
            put32(0)
            let iendType = at
            put(Array("IEND".utf8))
            put32(UInt32(truncatingIfNeeded: crc(from: iendType)))
            precondition(at == capacity)
            count = at
        }
    }

    /// The two-byte zlib header (RFC 1950 §2.2) zlib itself writes for `level` with a 32 KiB window.
    static func zlibHeader(level: Int32) -> [UInt8] {
        // CM = 8 (deflate), CINFO = 7 (2^(7+8) = 32 KiB window).
        let cmf = 0x78
        // FLEVEL: 0 fastest (levels 0-1), 1 fast (2-5), 2 default (6), 3 maximum (7-9), as zlib's deflate.c.
        let flevel = level < 2 ? 0 : (level < 6 ? 1 : (level == 6 ? 2 : 3))
        var flg = flevel << 6
        // FCHECK: CMF·256 + FLG must be a multiple of 31.
        flg += 31 - (cmf * 256 + flg) % 31
        return [UInt8(cmf), UInt8(flg)]
    }
}
