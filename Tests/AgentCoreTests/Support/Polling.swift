import AgentTesting
import Testing

/// Waits until `condition` holds; records an issue naming `what` and throws when `timeout` seconds pass first.
func eventually(_ what: String, timeout: Double = 10, _ condition: () async throws -> Bool) async throws {
    guard try await pollUntil(timeout: .seconds(timeout), every: .milliseconds(50), condition) else {
        Issue.record("timed out waiting until \(what)")
        throw CancellationError()
    }
}
