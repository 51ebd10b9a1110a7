/// Box-filter (area-average) weights for resizing one axis from `source` to `target` samples.
///
/// Target sample `i` covers the source interval `[i·n/m, (i+1)·n/m)`. Working in units of `1/m` source pixel
/// keeps every boundary an integer: target `i` is `[i·n, (i+1)·n)` and source `j` is `[j·m, (j+1)·m)`, so the
/// coverage of `j` by `i` is an exact integer overlap, and the weights are `overlap / n` (they sum to one).
/// The same formula enlarges (each target sample then covers less than one source pixel).
///
/// Weights are fixed-point with ``fractionBits`` bits, and each sample's weights sum to exactly
/// `1 << fractionBits`, so a flat region stays exactly flat. Every sample has the same number of taps,
/// ``taps``: sample `i` reads sources `starts[i] ..< starts[i] + taps`, with zero weights where it does not
/// reach. Starts are clamped so those reads never pass the end of the source.
struct AreaAxisWeights {
    /// Fixed-point precision: the weights of one target sample sum to `1 << fractionBits`.
    let fractionBits: Int

    /// Source samples read per target sample.
    let taps: Int
    /// First source index read for each target sample; `starts[i] + taps <= source`.
    let starts: [Int]
    /// `taps` weights per target sample, target-major.
    let weights: [UInt32]

    init(source n: Int, target m: Int, fractionBits: Int) {
        precondition(n > 0 && m > 0, "cannot resize \(n) samples to \(m)")
        self.fractionBits = fractionBits
        // Widest span: first..last source index touched by [i·n, (i+1)·n).
        var taps = 1
        for i in 0..<m {
            let first = (i * n) / m, last = ((i + 1) * n - 1) / m
            taps = max(taps, last - first + 1)
        }
        let one = 1 << fractionBits
        var starts = [Int](repeating: 0, count: m)
        var weights = [UInt32](repeating: 0, count: m * taps)
        for i in 0..<m {
            let lo = i * n, hi = (i + 1) * n
            let start = min(lo / m, n - taps)
            starts[i] = start
            // Round the running coverage, not each weight: the weights then sum to exactly `one`, and each is
            // within one unit of overlap/n.
            var covered = 0, previous = 0
            for k in 0..<taps {
                let j = start + k
                covered += max(0, min(hi, (j + 1) * m) - max(lo, j * m))
                let rounded = (covered << fractionBits + n / 2) / n
                weights[i * taps + k] = UInt32(rounded - previous)
                previous = rounded
            }
            assert(previous == one && covered == n)
        }
        self.taps = taps
        self.starts = starts
        self.weights = weights
    }
}
