import AgentCore

/// A fake-model behaviour for load: each request is answered with a call to the `note` tool
/// until the conversation holds `turnsPerTask` assistant turns since its last plain user
/// message, then with a closing text. It works for any number of sessions at once, since it
/// reads only the request.
public struct ToolLoopResponder: Sendable {
    public let turnsPerTask: Int

    public init(turnsPerTask: Int) { self.turnsPerTask = turnsPerTask }

    /// The reply to `request`.
    public func reply(to request: FakeRequest) -> FakeReply {
        let messages = request.messages
        var turns = 0
        for message in messages.reversed() {
            if message.role == .assistant { turns += 1; continue }
            let isTask = message.content.contains { if case .text = $0 { true } else { false } }
                && !message.content.contains { if case .toolResult = $0 { true } else { false } }
            if isTask { break }
        }
        if turns >= turnsPerTask { return .text("Finished after \(turns) steps.") }
        return .toolUse(name: "note", input: ["text": .string("step \(turns + 1)")], text: "Step \(turns + 1).")
    }

    /// The `note` tool the replies call: it answers at once with what it was given.
    public static var noteTool: ClosureTool {
        ClosureTool("note") { input in ToolOutput(output: "noted: \(input["text"]?.stringValue ?? "")") }
    }
}
