import CZlib

/// A small, strict PNG decoder used as the tests' oracle for `PNGEncoder`.
///
/// It reads 8-bit truecolour (colour type 2), non-interlaced files only, and checks everything it can:
/// the signature, every chunk's CRC, IHDR first and IEND last, consecutive IDATs, a complete zlib stream with
/// nothing after it, and the exact number of scanline bytes. All five filter types are undone (PNG spec §9.2),
/// so it also reads files from other encoders.
struct PNGTestDecoder {
    struct Chunk: Equatable {
        var type: String
        var data: [UInt8]
    }

    struct DecodeError: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }

    /// The decoded image: width, height and packed RGB pixels.
    struct Image {
        var width: Int
        var height: Int
        var pixels: [UInt8]
        /// The filter type byte of every scanline, top to bottom.
        var filterTypes: [UInt8]
        var chunks: [Chunk]
    }

    /// Splits `file` into chunks, verifying the signature and every CRC (PNG spec §5.2, §5.3).
    static func chunks(_ file: [UInt8]) throws -> [Chunk] {
        guard file.count >= 8, Array(file[0..<8]) == [137, 80, 78, 71, 13, 10, 26, 10] else {
            throw DecodeError("bad signature")
        }
        var chunks: [Chunk] = []
        var at = 8
        while at < file.count {
            guard at + 12 <= file.count else { throw DecodeError("truncated chunk header at \(at)") }
            let length = Int(be32(file, at))
            guard length <= 0x7FFF_FFFF, at + 12 + length <= file.count else {
                throw DecodeError("chunk at \(at) overruns the file")
            }
            let typeAndData = Array(file[(at + 4)..<(at + 8 + length)])
            let stored = be32(file, at + 8 + length)
            let computed = UInt32(typeAndData.withUnsafeBufferPointer {
                crc32(0, $0.baseAddress, UInt32($0.count))
            })
            let type = String(decoding: typeAndData[0..<4], as: UTF8.self)
            guard stored == computed else {
                throw DecodeError("CRC mismatch in \(type): stored \(stored), computed \(computed)")
            }
            chunks.append(Chunk(type: type, data: Array(typeAndData[4...])))
            at += 12 + length
        }
        return chunks
    }

    /// Decodes a PNG file to RGB pixels.
    static func decode(_ file: [UInt8]) throws -> Image {
        let chunks = try chunks(file)
        guard let ihdr = chunks.first, ihdr.type == "IHDR", ihdr.data.count == 13 else {
            throw DecodeError("IHDR must come first and hold 13 bytes")
        }
        guard chunks.last?.type == "IEND", chunks.last?.data.isEmpty == true,
              chunks.filter({ $0.type == "IEND" }).count == 1 else {
            throw DecodeError("IEND must come last, once, empty")
        }
        let width = Int(be32(ihdr.data, 0)), height = Int(be32(ihdr.data, 4))
        guard width > 0, height > 0 else { throw DecodeError("zero size") }
        guard Array(ihdr.data[8...]) == [8, 2, 0, 0, 0] else {
            throw DecodeError("only 8-bit RGB, deflate, filter method 0, no interlace: \(Array(ihdr.data[8...]))")
        }
        let idatIndices = chunks.indices.filter { chunks[$0].type == "IDAT" }
        guard let first = idatIndices.first, idatIndices == Array(first..<(first + idatIndices.count)) else {
            throw DecodeError("IDAT chunks missing or not consecutive")
        }
        let compressed = idatIndices.flatMap { chunks[$0].data }
        let rowBytes = width * 3
        let raw = try inflate(compressed, expected: (rowBytes + 1) * height)

        var pixels = [UInt8](repeating: 0, count: rowBytes * height)
        var filterTypes: [UInt8] = []
        for y in 0..<height {
            let filter = raw[y * (rowBytes + 1)]
            filterTypes.append(filter)
            let line = y * (rowBytes + 1) + 1
            for i in 0..<rowBytes {
                let x = Int(raw[line + i])
                let a = i >= 3 ? Int(pixels[y * rowBytes + i - 3]) : 0
                let b = y > 0 ? Int(pixels[(y - 1) * rowBytes + i]) : 0
                let c = (i >= 3 && y > 0) ? Int(pixels[(y - 1) * rowBytes + i - 3]) : 0
                let value: Int
                switch filter {  // PNG spec §9.2
                case 0: value = x
                case 1: value = x + a
                case 2: value = x + b
                case 3: value = x + (a + b) / 2
                case 4: value = x + paeth(a, b, c)
                default: throw DecodeError("bad filter type \(filter) on row \(y)")
                }
                pixels[y * rowBytes + i] = UInt8(truncatingIfNeeded: value)
            }
        }
        return Image(width: width, height: height, pixels: pixels, filterTypes: filterTypes, chunks: chunks)
    }

    /// PNG spec §9.4: the Paeth predictor.
    static func paeth(_ a: Int, _ b: Int, _ c: Int) -> Int {
        let p = a + b - c
        let pa = abs(p - a), pb = abs(p - b), pc = abs(p - c)
        if pa <= pb && pa <= pc { return a }
        return pb <= pc ? b : c
    }

    /// Inflates a complete zlib stream (RFC 1950) that must expand to exactly `expected` bytes.
    static func inflate(_ compressed: [UInt8], expected: Int) throws -> [UInt8] {
        var stream = z_stream()
        guard czlib_inflateInit(&stream) == Z_OK else { throw DecodeError("inflateInit failed") }
        defer { inflateEnd(&stream) }
        // One spare byte: inflating into it would mean the data is longer than the image.
        var output = [UInt8](repeating: 0, count: expected + 1)
        var input = compressed
        let result = input.withUnsafeMutableBufferPointer { inp in
            output.withUnsafeMutableBufferPointer { out in
                stream.next_in = inp.baseAddress
                stream.avail_in = UInt32(inp.count)
                stream.next_out = out.baseAddress
                stream.avail_out = UInt32(out.count)
                return CZlib.inflate(&stream, Z_FINISH)
            }
        }
        guard result == Z_STREAM_END else { throw DecodeError("inflate returned \(result), not Z_STREAM_END") }
        guard stream.avail_in == 0 else { throw DecodeError("\(stream.avail_in) bytes after the zlib stream") }
        guard Int(stream.total_out) == expected else {
            throw DecodeError("inflated \(stream.total_out) bytes, expected \(expected)")
        }
        output.removeLast()
        return output
    }

    private static func be32(_ bytes: [UInt8], _ at: Int) -> UInt32 {
        UInt32(bytes[at]) << 24 | UInt32(bytes[at + 1]) << 16 | UInt32(bytes[at + 2]) << 8 | UInt32(bytes[at + 3])
    }
}
