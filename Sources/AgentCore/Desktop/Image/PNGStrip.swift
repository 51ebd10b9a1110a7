import CZlib

/// One horizontal band of a PNG's scanlines, Up-filtered and compressed as a segment of raw deflate data.
///
/// Concatenating the strips of an image in order gives one valid deflate stream (RFC 1951): every strip but the
/// last ends with a sync flush (an empty stored block, §3.2.4, which leaves the stream byte-aligned and not
/// final), and the last ends with the final block. Each strip after the first is primed with the 32 KiB of
/// filtered data before it as a preset dictionary, so it can refer back across the seam exactly as a single
/// stream could, and compression stays within a few bytes of the one-stream result. With a single strip the
/// bytes are exactly what zlib's own stream would hold.
final class PNGStrip {
    /// The compressed bytes; `count` of them are valid.
    private(set) var buffer: UnsafeMutableBufferPointer<UInt8>
    /// Number of valid compressed bytes in `buffer`.
    private(set) var count = 0
    /// Adler-32 (RFC 1950 §8.2) of this strip's uncompressed, filtered scanlines.
    private(set) var adler: UInt = 1
    /// Length of those filtered scanlines.
    let inputCount: Int
    /// CRC-32 of the compressed bytes (for the IDAT chunk's CRC, combined with its neighbours').
    private(set) var crc: UInt = 0

    /// Filters and compresses scanlines `rows` of `image`.
    ///
    /// - Parameters:
    ///   - image: The whole image (rows before `rows` are read for the Up filter and the dictionary).
    ///   - rows: The scanlines of this strip.
    ///   - level: zlib level 0...9.
    ///   - final: Whether this is the image's last strip (ends the deflate stream).
    init(image pixels: UnsafePointer<UInt8>, width: Int, rows: Range<Int>, level: Int32, final: Bool) {
        let rowBytes = width * 3
        let filteredRow = rowBytes + 1  // PNG spec §7.2: each scanline is preceded by its filter-type byte
        inputCount = filteredRow * rows.count

        var stream = z_stream()
        // Negative windowBits: raw deflate (RFC 1951) with a 32 KiB window; the zlib wrapper (RFC 1950) is written
        // once for the whole image by PNGEncoder. memLevel 8 and the default strategy are zlib's defaults.
        let initResult = czlib_deflateInit2(&stream, level, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY)
        precondition(initResult == Z_OK, "deflateInit2 failed: \(initResult)")
        defer { deflateEnd(&stream) }

        let rowsPerBlock = max(1, PNGEncoder.blockBytes / filteredRow)
        let blockCapacity = max(rowsPerBlock, PNGStrip.dictionaryRows(filteredRow)) * filteredRow
        let block = UnsafeMutablePointer<UInt8>.allocate(capacity: blockCapacity)
        defer { block.deallocate() }

        if rows.lowerBound > 0 {
            // Preset dictionary: the filtered scanlines just above this strip, at most the 32 KiB window.
            let dictionaryRows = min(rows.lowerBound, PNGStrip.dictionaryRows(filteredRow))
            PNGStrip.filter(pixels, rowBytes: rowBytes, rows: (rows.lowerBound - dictionaryRows)..<rows.lowerBound,
                            into: block)
            let available = dictionaryRows * filteredRow, used = min(available, 32 * 1024)
            let result = deflateSetDictionary(&stream, block + (available - used), UInt32(used))
            precondition(result == Z_OK, "deflateSetDictionary failed: \(result)")
        }

        let bound = Int(deflateBound(&stream, UInt(inputCount))) + 64  // + room for the sync-flush marker
        buffer = .allocate(capacity: bound)
        stream.next_out = buffer.baseAddress
        stream.avail_out = UInt32(bound)

        var y = rows.lowerBound
        while y < rows.upperBound {
            let blockRows = min(rowsPerBlock, rows.upperBound - y)
            PNGStrip.filter(pixels, rowBytes: rowBytes, rows: y..<(y + blockRows), into: block)
            y += blockRows
            let blockBytes = blockRows * filteredRow
            adler = adler32(adler, block, UInt32(blockBytes))
            stream.next_in = block
            stream.avail_in = UInt32(blockBytes)
            let flush = y < rows.upperBound ? Z_NO_FLUSH : (final ? Z_FINISH : Z_SYNC_FLUSH)
            deflateAll(&stream, flush: flush)
        }
        count = Int(stream.total_out)
        crc = crc32(0, buffer.baseAddress, UInt32(count))
    }

    deinit { buffer.deallocate() }

    /// Runs deflate until it has taken all input (and, for a flush, written everything), growing the output
    /// buffer if ever needed (deflateBound makes that unlikely).
    private func deflateAll(_ stream: inout z_stream, flush: Int32) {
        while true {
            let result = deflate(&stream, flush)
            precondition(result == Z_OK || result == Z_STREAM_END || result == Z_BUF_ERROR, "deflate failed: \(result)")
            let done = flush == Z_FINISH ? result == Z_STREAM_END : (stream.avail_in == 0 && stream.avail_out > 0)
            if done { return }
            precondition(stream.avail_out == 0, "deflate made no progress: \(result)")
            let used = Int(stream.total_out)
            let grown = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: buffer.count * 2)
            _ = grown.initialize(fromContentsOf: buffer)
            buffer.deallocate()
            buffer = grown
            stream.next_out = grown.baseAddress! + used
            stream.avail_out = UInt32(grown.count - used)
        }
    }

    /// Filtered rows needed to fill the 32 KiB deflate window.
    static func dictionaryRows(_ filteredRow: Int) -> Int { (32 * 1024 + filteredRow - 1) / filteredRow }

    /// Writes scanlines `rows`, each as filter byte 2 plus its Up-filtered bytes, to `out`.
    static func filter(_ pixels: UnsafePointer<UInt8>, rowBytes: Int, rows: Range<Int>,
                       into out: UnsafeMutablePointer<UInt8>) {
        for (index, y) in rows.enumerated() {
            let line = out + index * (rowBytes + 1)
            let current = pixels + y * rowBytes
            line[0] = 2  // PNG spec §9.2: filter type 2 (Up)
            if y == 0 {
                // PNG spec §9.2: the row above the first scanline is all zeros, so Up leaves it unchanged.
                (line + 1).update(from: current, count: rowBytes)
            } else {
                // PNG spec §9.2: Up(x) = Raw(x) - Prior(x), modulo 256.
                let above = current - rowBytes, filtered = line + 1
                for i in 0..<rowBytes { filtered[i] = current[i] &- above[i] }
            }
        }
    }
}
