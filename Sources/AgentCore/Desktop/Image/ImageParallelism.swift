import Dispatch
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// How the image pipeline splits work into horizontal strips that run on several cores.
///
/// A screenshot is encoded while the model waits for it, and the virtual desktop is idle meanwhile, so the
/// otherwise idle cores shorten that wait. Work below about 256 KiB per strip is not split: a strip costs a thread
/// hand-off (tens of microseconds) and, for PNG, a 32 KiB dictionary priming.
enum ImageParallelism {
    /// Online CPUs, at least 1.
    static let processors: Int = max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))

    /// Bytes of work per strip below which splitting does not pay.
    static let minimumStripBytes = 256 * 1024

    /// Strips for a job of `bytes` bytes: one when small or single-core, otherwise up to twice the cores
    /// (more strips than threads lets a fast strip's thread pick up another, balancing uneven content).
    static func strips(forBytes bytes: Int) -> Int {
        guard processors > 1 else { return 1 }
        return max(1, min(bytes / minimumStripBytes, 2 * processors, 16))
    }

    /// Runs `body(0..<count)` on up to `count` threads and returns when all have finished.
    ///
    /// `body` must only touch disjoint memory per index (callers write separate output rows or slots).
    static func run(_ count: Int, _ body: (Int) -> Void) {
        if count <= 1 {
            body(0)
            return
        }
        withoutActuallyEscaping(body) { body in
            let task = UncheckedTask(body: body)
            DispatchQueue.concurrentPerform(iterations: count) { task.body($0) }
        }
    }

    /// Lets `concurrentPerform` (which wants a `@Sendable` closure) call a body that works on raw buffers.
    /// Safe because `run` does not return before every iteration has finished and each index works on its own
    /// region of memory.
    private struct UncheckedTask: @unchecked Sendable {
        let body: (Int) -> Void
    }

    /// Splits `0..<total` into `parts` contiguous, nearly equal ranges and returns range `index`.
    static func range(_ index: Int, of parts: Int, total: Int) -> Range<Int> {
        (total * index / parts)..<(total * (index + 1) / parts)
    }
}
