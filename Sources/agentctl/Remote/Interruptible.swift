import CommandLineSupport

/// Runs a long remote command (one that follows a stream) so that Ctrl-C ends it gracefully.
enum Interruptible {
    /// Runs `body` in a task that Ctrl-C cancels; a second Ctrl-C exits at once.
    /// - Parameter onInterrupt: what to print and return when the user interrupted.
    static func run(
        _ body: @escaping @Sendable () async throws(RemoteError) -> ExitCode,
        onInterrupt: @escaping @Sendable () -> ExitCode
    ) async throws(RemoteError) -> ExitCode {
        let task = Task { () async -> Result<ExitCode, RemoteError> in
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
