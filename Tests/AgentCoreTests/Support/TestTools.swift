import AgentCore

/// Collects a run's events.
func collect(_ stream: AsyncStream<AgentEvent>) async -> [AgentEvent] {
    var events: [AgentEvent] = []
    for await event in stream { events.append(event) }
    return events
}

extension Array where Element == AgentEvent {
    var finish: FinishReason? {
        for case .finished(let reason) in self { return reason }
        return nil
    }
    var types: [String] { map(\.type) }
}
