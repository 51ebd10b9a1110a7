import Dispatch
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Monotonic time and `Duration` conversions for the desktop's blocking waits.
enum DesktopClock {
    /// Nanoseconds on the monotonic clock.
    static func now() -> UInt64 { DispatchTime.now().uptimeNanoseconds }

    /// `duration` in whole nanoseconds (negative durations count as zero).
    static func nanoseconds(_ duration: Duration) -> UInt64 {
        let (seconds, attoseconds) = duration.components
        guard seconds >= 0, attoseconds >= 0 else { return 0 }
        return UInt64(seconds) * 1_000_000_000 + UInt64(attoseconds / 1_000_000_000)
    }

    /// `duration` in seconds.
    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    /// Polls `condition` every `interval` seconds until it holds or `timeout` seconds pass. Blocks.
    ///
    /// - Returns: Whether the condition held.
    /// - Throws: What `condition` throws.
    @discardableResult
    static func poll<Failure: Error>(
        timeout: Double, interval: Double = 0.01, until condition: () throws(Failure) -> Bool
    ) throws(Failure) -> Bool {
        let deadline = now() + UInt64(max(0, timeout) * 1e9)
        while true {
            if try condition() { return true }
            if now() >= deadline { return false }
            usleep(useconds_t(interval * 1e6))
        }
    }
}
