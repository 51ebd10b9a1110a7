import AgentCore
import AgentTesting

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

/// Runs an agent whose model calls the `slow` tool, pauses it while the call is in progress, and
/// reads events until the agent parks after the call.
/// - Returns: the agent, the stream's iterator positioned after `.paused`, and the types read so far.
func runUntilPaused(model: any ModelClient) async
    -> (agent: Agent, events: (iterator: AsyncStream<AgentEvent>.Iterator, seen: [String]))
{
    let slow = GatedTool()
    let agent = Agent(model: model, tools: ToolSet([slow.tool]))
    var iterator = await agent.run("go").makeAsyncIterator()
    await slow.entered.wait()
    await agent.pause()
    slow.release.open()
    var seen: [String] = []
    while let event = await iterator.next() {
        seen.append(event.type)
        if case .paused = event { break }
    }
    return (agent, (iterator, seen))
}
