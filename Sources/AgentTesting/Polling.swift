/// Checks `condition` every `interval` until it holds or `timeout` passes; returns whether it held.
///
/// For conditions of other processes that send no event (a file a typed command writes, a process
/// being reaped): the wait ends as soon as the condition holds, and the deadline bounds a failure.
public func pollUntil(
    timeout: Duration = .seconds(10), every interval: Duration = .milliseconds(20),
    _ condition: () async throws -> Bool
) async rethrows -> Bool {
    let deadline = ContinuousClock.now + timeout
    while try await !condition() {
        guard ContinuousClock.now < deadline else { return false }
        try? await Task.sleep(for: interval)
    }
    return true
}
