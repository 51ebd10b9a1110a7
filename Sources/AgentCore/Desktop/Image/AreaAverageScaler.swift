/// Separable area-average (box filter) resize of an 8-bit RGB or BGRX image to packed RGB.
///
/// Each source row is first resized horizontally into a 16-bit row with 8 fractional bits; those rows are kept
/// in a small ring (one slot per vertical tap), so each source row is read and resized once even though
/// neighbouring target rows share their boundary rows. A target row is then the weighted sum of its
/// source rows' horizontal results. All weights are 14-bit fixed point (``AreaAxisWeights``); the output is
/// rounded to nearest, so exact averages (a 2x2 block halved) come out exact and flat colour stays flat.
struct AreaAverageScaler {
    /// Byte layout of the source pixels.
    enum Layout {
        /// 3 bytes per pixel: R, G, B.
        case rgb
        /// 4 bytes per pixel: B, G, R, padding.
        case bgrx
    }

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
        columns = AreaAxisWeights(source: sourceWidth, target: targetWidth)
        rows = AreaAxisWeights(source: sourceHeight, target: targetHeight)
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
                                   layout: layout)
                    }
                    active.append((UnsafePointer(buffer), UInt16(weight)))
                }
                Self.vertical(active, into: out + y * rowLength, count: rowLength, scratch: accumulator)
            }
        }}}}
    }

    // MARK: Horizontal pass

    /// Resizes one source row to `targetWidth * 3` 16-bit values with 8 fractional bits.
    private func horizontal(_ row: UnsafeRawPointer, into out: UnsafeMutablePointer<UInt16>,
                            starts: UnsafePointer<Int>, weights: UnsafePointer<UInt32>, layout: Layout) {
        // Dispatch once per row to loops whose tap count and pixel layout are constants.
        switch (layout, columns.taps) {
        case (.bgrx, 1): Self.resizeRow(row, out, starts, weights, targetWidth, taps: 1, stride: 4, r: 2, g: 1, b: 0)
        case (.bgrx, 2): Self.resizeRow(row, out, starts, weights, targetWidth, taps: 2, stride: 4, r: 2, g: 1, b: 0)
        case (.bgrx, 3): Self.resizeRow(row, out, starts, weights, targetWidth, taps: 3, stride: 4, r: 2, g: 1, b: 0)
        case (.bgrx, let n): Self.resizeRow(row, out, starts, weights, targetWidth, taps: n, stride: 4, r: 2, g: 1, b: 0)
        case (.rgb, 1): Self.resizeRow(row, out, starts, weights, targetWidth, taps: 1, stride: 3, r: 0, g: 1, b: 2)
        case (.rgb, 2): Self.resizeRow(row, out, starts, weights, targetWidth, taps: 2, stride: 3, r: 0, g: 1, b: 2)
        case (.rgb, 3): Self.resizeRow(row, out, starts, weights, targetWidth, taps: 3, stride: 3, r: 0, g: 1, b: 2)
        case (.rgb, let n): Self.resizeRow(row, out, starts, weights, targetWidth, taps: n, stride: 3, r: 0, g: 1, b: 2)
        }
    }

    @inline(__always)
    private static func resizeRow(_ row: UnsafeRawPointer, _ out: UnsafeMutablePointer<UInt16>,
                                  _ starts: UnsafePointer<Int>, _ weights: UnsafePointer<UInt32>, _ count: Int,
                                  taps: Int, stride: Int, r: Int, g: Int, b: Int) {
        // 14-bit weights: 255 · 2^14 < 2^22 fits easily; keep 8 fractional bits, rounded.
        let shift = UInt32(AreaAxisWeights.fractionBits - 8), half = UInt32(1) &<< (shift &- 1)
        for x in 0..<count {
            var red: UInt32 = half, green: UInt32 = half, blue: UInt32 = half
            let pixel = row + starts[x] &* stride
            let w = weights + x &* taps
            for k in 0..<taps {
                let p = pixel + k &* stride, weight = w[k]
                red &+= weight &* UInt32(p.load(fromByteOffset: r, as: UInt8.self))
                green &+= weight &* UInt32(p.load(fromByteOffset: g, as: UInt8.self))
                blue &+= weight &* UInt32(p.load(fromByteOffset: b, as: UInt8.self))
            }
            let o = out + x &* 3
            o[0] = UInt16(truncatingIfNeeded: red &>> shift)
            o[1] = UInt16(truncatingIfNeeded: green &>> shift)
            o[2] = UInt16(truncatingIfNeeded: blue &>> shift)
        }
    }

    // MARK: Vertical pass

    /// Writes the weighted sum of `active` rows (8 fractional bits in, weights summing to 2^14) as bytes.
    private static func vertical(_ active: [(row: UnsafePointer<UInt16>, weight: UInt16)],
                                 into out: UnsafeMutablePointer<UInt8>, count: Int,
                                 scratch: UnsafeMutablePointer<UInt32>) {
        let shift = UInt32(AreaAxisWeights.fractionBits + 8), half = UInt32(1) &<< (shift &- 1)
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
