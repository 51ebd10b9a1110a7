/// Separable area-average (box filter) resize of an 8-bit RGB or BGRX image to packed RGB.
///
/// Each source row is first resized horizontally into a 16-bit row with 8 fractional bits; those rows are kept
/// in a small ring (one slot per vertical tap), so each source row is read and resized once even though
/// neighbouring target rows share their boundary rows. A target row is then the weighted sum of its
/// source rows' horizontal results. Weights are fixed point (``AreaAxisWeights``: 13 bits across, 14 down);
/// every step rounds to nearest, so exact averages (a 2x2 block halved) come out exact and flat colour stays
/// flat. Output strips run in parallel (``ImageParallelism``) and give the same bytes as one strip.
struct AreaAverageScaler {
    /// Byte layout of the source pixels.
    enum Layout {
        /// 3 bytes per pixel: R, G, B.
        case rgb
        /// 4 bytes per pixel: B, G, R, padding.
        case bgrx
    }

    /// Horizontal weights sum to 2^13: 255 · 2^13 + rounding still fits a 21-bit lane (see `resizeRow`).
    static let columnBits = 13
    /// Vertical weights sum to 2^14: 65280 · 2^14 + rounding fits 32 bits.
    static let rowBits = 14

    let sourceWidth: Int
    let sourceHeight: Int
    let targetWidth: Int
    let targetHeight: Int
    let columns: AreaAxisWeights
    let rows: AreaAxisWeights

    init(sourceWidth: Int, sourceHeight: Int, targetWidth: Int, targetHeight: Int) {
        precondition(targetWidth > 0 && targetHeight > 0,
                     "cannot scale to \(targetWidth)x\(targetHeight)")
        self.sourceWidth = sourceWidth
        self.sourceHeight = sourceHeight
        self.targetWidth = targetWidth
        self.targetHeight = targetHeight
        columns = AreaAxisWeights(source: sourceWidth, target: targetWidth, fractionBits: Self.columnBits)
        rows = AreaAxisWeights(source: sourceHeight, target: targetHeight, fractionBits: Self.rowBits)
    }

    /// Resizes the image at `source` (rows `bytesPerRow` apart) and returns `targetWidth * targetHeight * 3`
    /// packed RGB bytes.
    ///
    /// - Parameter parallelism: Number of horizontal strips of the output computed concurrently; by default
    ///   what ``ImageParallelism/strips(forBytes:)`` picks for the job. The result does not depend on it.
    func scale(_ source: UnsafeRawPointer, bytesPerRow: Int, layout: Layout, parallelism: Int? = nil) -> [UInt8] {
        let rowLength = targetWidth * 3
        // Work grows with the larger of the two images (reading the source, or writing an enlarged target).
        let work = max(sourceHeight * sourceWidth * (layout == .bgrx ? 4 : 3), targetHeight * rowLength)
        let strips = min(targetHeight, max(1, parallelism ?? ImageParallelism.strips(forBytes: work)))
        return [UInt8](unsafeUninitializedCapacity: rowLength * targetHeight) { output, count in
            let out = output.baseAddress!
            ImageParallelism.run(strips) { strip in
                scaleRows(ImageParallelism.range(strip, of: strips, total: targetHeight),
                          source: source, bytesPerRow: bytesPerRow, layout: layout, into: out)
            }
            count = rowLength * targetHeight
        }
    }

    /// Computes target rows `targetRows` into `out` (the whole output image).
    private func scaleRows(_ targetRows: Range<Int>, source: UnsafeRawPointer, bytesPerRow: Int, layout: Layout,
                           into out: UnsafeMutablePointer<UInt8>) {
        let rowLength = targetWidth * 3
        let ringSlots = rows.taps
        let ring = UnsafeMutablePointer<UInt16>.allocate(capacity: ringSlots * rowLength)
        defer { ring.deallocate() }
        let accumulator = UnsafeMutablePointer<UInt32>.allocate(capacity: rowLength)
        defer { accumulator.deallocate() }
        let lanes = UnsafeMutablePointer<UInt64>.allocate(capacity: sourceWidth)
        defer { lanes.deallocate() }
        var slotRow = [Int](repeating: -1, count: ringSlots)
        var active = [(row: UnsafePointer<UInt16>, weight: UInt16)]()
        active.reserveCapacity(ringSlots)

        columns.starts.withUnsafeBufferPointer { xStarts in
        columns.weights.withUnsafeBufferPointer { xWeights in
        rows.starts.withUnsafeBufferPointer { yStarts in
        rows.weights.withUnsafeBufferPointer { yWeights in
            let xs = xStarts.baseAddress!, xw = xWeights.baseAddress!
            for y in targetRows {
                active.removeAll(keepingCapacity: true)
                let start = yStarts[y]
                for k in 0..<ringSlots {
                    let weight = yWeights[y * ringSlots + k]
                    if weight == 0 { continue }
                    let sourceRow = start + k
                    let slot = sourceRow % ringSlots
                    let buffer = ring + slot * rowLength
                    if slotRow[slot] != sourceRow {
                        slotRow[slot] = sourceRow
                        horizontal(source + sourceRow * bytesPerRow, into: buffer, starts: xs, weights: xw,
                                   layout: layout, lanes: lanes)
                    }
                    active.append((UnsafePointer(buffer), UInt16(weight)))
                }
                Self.vertical(active, into: out + y * rowLength, count: rowLength, scratch: accumulator)
            }
        }}}}
    }

    // MARK: Horizontal pass

    /// Resizes one source row to `targetWidth * 3` 16-bit values with 8 fractional bits.
    ///
    /// SWAR: each source pixel is first spread into one 64-bit word with red, green and blue in 21-bit lanes
    /// (bits 0, 21, 42), so one 64-bit multiply by a 13-bit weight scales all three channels; a lane peaks at
    /// 255 · 2^13 + 16 < 2^21, so lanes never carry into each other.
    private func horizontal(_ row: UnsafeRawPointer, into out: UnsafeMutablePointer<UInt16>,
                            starts: UnsafePointer<Int>, weights: UnsafePointer<UInt32>, layout: Layout,
                            lanes: UnsafeMutablePointer<UInt64>) {
        switch layout {
        case .bgrx: Self.spread(row, into: lanes, count: sourceWidth, stride: 4, r: 2, g: 1, b: 0)
        case .rgb: Self.spread(row, into: lanes, count: sourceWidth, stride: 3, r: 0, g: 1, b: 2)
        }
        // Dispatch once per row to loops whose tap count is a constant.
        switch columns.taps {
        case 1: Self.resizeRow(lanes, out, starts, weights, targetWidth, taps: 1)
        case 2: Self.resizeRow(lanes, out, starts, weights, targetWidth, taps: 2)
        case 3: Self.resizeRow(lanes, out, starts, weights, targetWidth, taps: 3)
        case 4: Self.resizeRow(lanes, out, starts, weights, targetWidth, taps: 4)
        case let n: Self.resizeRow(lanes, out, starts, weights, targetWidth, taps: n)
        }
    }

    @inline(__always)
    private static func spread(_ row: UnsafeRawPointer, into lanes: UnsafeMutablePointer<UInt64>, count: Int,
                               stride: Int, r: Int, g: Int, b: Int) {
        for x in 0..<count {
            let p = row + x &* stride
            lanes[x] = UInt64(p.load(fromByteOffset: r, as: UInt8.self))
                | UInt64(p.load(fromByteOffset: g, as: UInt8.self)) &<< 21
                | UInt64(p.load(fromByteOffset: b, as: UInt8.self)) &<< 42
        }
    }

    @inline(__always)
    private static func resizeRow(_ lanes: UnsafePointer<UInt64>, _ out: UnsafeMutablePointer<UInt16>,
                                  _ starts: UnsafePointer<Int>, _ weights: UnsafePointer<UInt32>, _ count: Int,
                                  taps: Int) {
        // 13 fractional bits in, 8 out: add half of 2^5 to each lane, then shift each lane right by 5.
        let half: UInt64 = 16 | 16 &<< 21 | 16 &<< 42
        for x in 0..<count {
            var sum = half
            let source = lanes + starts[x], w = weights + x &* taps
            for k in 0..<taps { sum &+= source[k] &* UInt64(w[k]) }
            let o = out + x &* 3
            o[0] = UInt16(truncatingIfNeeded: sum &>> 5)
            o[1] = UInt16(truncatingIfNeeded: sum &>> 26)
            o[2] = UInt16(truncatingIfNeeded: sum &>> 47)
        }
    }

    // MARK: Vertical pass

    /// Writes the weighted sum of `active` rows (8 fractional bits in, weights summing to 2^14) as bytes.
    private static func vertical(_ active: [(row: UnsafePointer<UInt16>, weight: UInt16)],
                                 into out: UnsafeMutablePointer<UInt8>, count: Int,
                                 scratch: UnsafeMutablePointer<UInt32>) {
        let shift = UInt32(rowBits + 8), half = UInt32(1) &<< (shift &- 1)
        switch active.count {
        case 1:
            let a = active[0].row, wa = UInt32(active[0].weight)
            for i in 0..<count {
                out[i] = UInt8(truncatingIfNeeded: (UInt32(a[i]) &* wa &+ half) &>> shift)
            }
        case 2:
            let (a, wa) = active[0], (b, wb) = active[1]
            for i in 0..<count {
                let sum = UInt32(a[i]) &* UInt32(wa) &+ UInt32(b[i]) &* UInt32(wb) &+ half
                out[i] = UInt8(truncatingIfNeeded: sum &>> shift)
            }
        case 3:
            let (a, wa) = active[0], (b, wb) = active[1], (c, wc) = active[2]
            for i in 0..<count {
                let sum = UInt32(a[i]) &* UInt32(wa) &+ UInt32(b[i]) &* UInt32(wb) &+ UInt32(c[i]) &* UInt32(wc) &+ half
                out[i] = UInt8(truncatingIfNeeded: sum &>> shift)
            }
        default:
            for i in 0..<count { scratch[i] = half }
            for (row, weight) in active {
                for i in 0..<count { scratch[i] &+= UInt32(row[i]) &* UInt32(weight) }
            }
            for i in 0..<count { out[i] = UInt8(truncatingIfNeeded: scratch[i] &>> shift) }
        }
    }
}
