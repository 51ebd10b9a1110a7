import Dispatch
import Synchronization

/// Durations collected from any number of tasks, summarised as percentiles in milliseconds.
final class LatencySamples: Sendable {
    private let samples = Mutex<[Double]>([])

    /// Records one duration in milliseconds.
    func record(milliseconds: Double) {
        samples.withLock { $0.append(milliseconds) }
    }

    /// Records the time since `start` (a `DispatchTime.now().uptimeNanoseconds` reading).
    func record(since start: UInt64) {
        record(milliseconds: Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
    }

    /// Everything recorded so far, unsorted.
    var all: [Double] { samples.withLock { $0 } }

    /// Forgets every sample.
    func reset() { samples.withLock { $0.removeAll(keepingCapacity: true) } }
}

/// Rounds to three decimals, for printing.
func round3(_ x: Double) -> Double { (x * 1000).rounded() / 1000 }

/// Nanoseconds on the monotonic clock.
func nowNanoseconds() -> UInt64 { DispatchTime.now().uptimeNanoseconds }

/// Seconds elapsed since a `nowNanoseconds()` reading.
func secondsSince(_ start: UInt64) -> Double { Double(nowNanoseconds() - start) / 1e9 }
