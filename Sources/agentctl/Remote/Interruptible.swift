import CommandLineSupport

/// Runs a long remote command (one that follows a stream) so that Ctrl-C ends it gracefully.
enum Interruptible {
    /// Runs `body` in a task that Ctrl-C cancels; a second Ctrl-C exits at once.
    /// - Parameter onInterrupt: what to print and return when the user interrupted.
    static func run<Value: Sendable>(
        _ body: @escaping @Sendable () async throws(RemoteError) -> Value,
        onInterrupt: @escaping @Sendable () -> Value
    ) async throws(RemoteError) -> Value {
        let task = Task { () async -> Result<Value, RemoteError> in
            do throws(RemoteError) {
                return .success(try await body())
            } catch {
                return .failure(error)
            }
        }
        let handler = InterruptHandler { task.cancel() }
        defer { handler.cancel() }
        let result = await task.value
        if task.isCancelled { return onInterrupt() }
        return try result.get()
    }
}
