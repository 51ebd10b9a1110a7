import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Carries a Swift task's cancellation to the thread supervising a run: `fire()` (from any thread)
/// makes `descriptor` readable, which wakes the supervisor's `poll` at once.
final class SandboxCancellation: Sendable {
    private struct State {
        var fired = false
        var closed = false
    }

    private let state = Mutex(State())
    private let pipe: (read: Int32, write: Int32)?

    init() {
        pipe = try? ShellSpawner.makePipe()
        if let pipe { _ = fcntl(pipe.write, F_SETFL, fcntl(pipe.write, F_GETFL) | O_NONBLOCK) }
    }

    deinit { finish() }

    /// The descriptor to poll for readability (-1 when no pipe could be made; `isFired` still works).
    var descriptor: Int32 { pipe?.read ?? -1 }

    var isFired: Bool { state.withLock { $0.fired } }

    /// Requests cancellation; harmless after `finish()` or when repeated.
    func fire() {
        state.withLock { state in
            guard !state.fired else { return }
            state.fired = true
            if !state.closed, let pipe {
                var byte: UInt8 = 1
                _ = write(pipe.write, &byte, 1)
            }
        }
    }

    /// Closes the pipe once the run is over.
    func finish() {
        state.withLock { state in
            guard !state.closed else { return }
            state.closed = true
            if let pipe {
                _ = close(pipe.read)
                _ = close(pipe.write)
            }
        }
    }
}
