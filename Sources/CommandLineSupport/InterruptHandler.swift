import Dispatch
import Foundation

/// Turns Ctrl-C into a graceful stop while a run is in progress; a second Ctrl-C exits at once.
public final class InterruptHandler {
    private let source: any DispatchSourceSignal

    public init(_ onInterrupt: @escaping @Sendable () -> Void) {
        signal(SIGINT, SIG_IGN)  // the dispatch source only fires once the default action is off
        let source = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
        let count = Counter()
        source.setEventHandler {
            if count.increment() > 1 { exit(130) }
            onInterrupt()
        }
        source.resume()
        self.source = source
    }

    public func cancel() {
        source.cancel()
        signal(SIGINT, SIG_DFL)
    }
}

private final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0
    public func increment() -> Int {
        lock.lock()
        defer { lock.unlock() }
        value += 1
        return value
    }
}
