import Dispatch
import Foundation
import Synchronization

/// Turns SIGTERM and SIGINT into an awaitable event (DispatchSource signal sources, as
/// `InterruptHandler` does), so shutdown runs as ordinary async code.
///
/// ```swift
/// let signals = SignalWatcher([SIGTERM, SIGINT])
/// let received = await signals.next()      // returns at the first signal
/// ```
///
/// A signal that arrives before `next()` is kept, so one sent during start-up is not lost. Each
/// later signal calls `onRepeat` (agentd exits at once on a second Ctrl-C).
final class SignalWatcher: Sendable {
    private struct State {
        var received: [Int32] = []
        var waiter: CheckedContinuation<Int32, Never>?
    }

    private let state = Mutex(State())
    /// Kept alive for the life of the watcher; only touched here, in `init`.
    nonisolated(unsafe) private let sources: [any DispatchSourceSignal]

    /// Starts watching `signals`; their default action (ending the process) is turned off.
    init(_ signals: [Int32], onRepeat: @escaping @Sendable (Int32) -> Void = { _ in }) {
        var sources: [any DispatchSourceSignal] = []
        for number in signals {
            signal(number, SIG_IGN)  // the dispatch source only fires once the default action is off
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            sources.append(source)
        }
        self.sources = sources
        for (number, source) in zip(signals, sources) {
            source.setEventHandler { [weak self] in self?.deliver(number, onRepeat: onRepeat) }
            source.resume()
        }
    }

    /// The first signal received, waiting for it if none has come yet.
    func next() async -> Int32 {
        await withCheckedContinuation { continuation in
            state.withLock { state in
                if let first = state.received.first {
                    continuation.resume(returning: first)
                } else {
                    state.waiter = continuation
                }
            }
        }
    }

    private func deliver(_ number: Int32, onRepeat: @Sendable (Int32) -> Void) {
        let (waiter, isRepeat) = state.withLock { state in
            state.received.append(number)
            defer { state.waiter = nil }
            return (state.waiter, state.received.count > 1)
        }
        waiter?.resume(returning: number)
        if isRepeat { onRepeat(number) }
    }

    /// `TERM`, `INT`, or the number.
    static func name(of number: Int32) -> String {
        switch number {
        case SIGTERM: "TERM"
        case SIGINT: "INT"
        case SIGHUP: "HUP"
        default: String(number)
        }
    }
}
