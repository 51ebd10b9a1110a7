import Foundation

/// Runs blocking work (poll loops, `waitpid`, process teardown) on its own thread, never on the
/// Swift cooperative pool, which has one thread per core (swift-linux §9 item 7).
enum DedicatedThread {
    /// Starts `body` on a new thread and returns at once.
    static func start(name: String, _ body: @escaping @Sendable () -> Void) {
        let thread = Thread(block: body)
        thread.name = name
        thread.start()
    }

    /// Runs `body` on a new thread and suspends the caller until it returns.
    static func run<Result: Sendable>(name: String, _ body: @escaping @Sendable () -> Result) async -> Result {
        await withCheckedContinuation { continuation in
            start(name: name) { continuation.resume(returning: body()) }
        }
    }
}
