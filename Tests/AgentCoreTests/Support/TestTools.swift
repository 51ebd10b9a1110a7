import AgentCore
import Synchronization

/// A custom tool that runs a closure.
struct ClosureTool: Tool {
    let name: String
    let body: @Sendable (JSONValue) async throws -> ToolOutput

    init(_ name: String, _ body: @escaping @Sendable (JSONValue) async throws -> ToolOutput) {
        self.name = name
        self.body = body
    }

    var definition: JSONValue {
        ["name": .string(name), "description": "test tool", "input_schema": ["type": "object"]]
    }

    func run(_ input: JSONValue, context: ToolContext) async throws -> ToolOutput {
        try await body(input)
    }
}

/// A gate a test opens once; awaiting it suspends until then (or until the task is cancelled).
final class Gate: Sendable {
    private let state = Mutex<(open: Bool, waiters: [CheckedContinuation<Void, Never>])>((false, []))

    func open() {
        let waiters = state.withLock { s -> [CheckedContinuation<Void, Never>] in
            s.open = true
            defer { s.waiters = [] }
            return s.waiters
        }
        for w in waiters { w.resume() }
    }

    func wait() async {
        await withCheckedContinuation { c in
            let resumeNow = state.withLock { s -> Bool in
                if s.open { return true }
                s.waiters.append(c)
                return false
            }
            if resumeNow { c.resume() }
        }
    }
}

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

/// Checks the Messages API pairing rule: every tool_use in assistant turn k has exactly one
/// tool_result in user turn k+1, and no result lacks its call.
func pairingProblems(_ messages: [Message]) -> [String] {
    var problems: [String] = []
    for (i, message) in messages.enumerated() where message.role == .assistant {
        let ids = message.toolUses.map(\.id)
        guard !ids.isEmpty else { continue }
        guard i + 1 < messages.count, messages[i + 1].role == .user else {
            problems.append("message \(i): tool_use without a following user message")
            continue
        }
        let results = messages[i + 1].content.compactMap { block -> String? in
            if case .toolResult(let r) = block { r.toolUseID } else { nil }
        }
        if results.sorted() != ids.sorted() { problems.append("message \(i): calls \(ids) but results \(results)") }
    }
    return problems
}
