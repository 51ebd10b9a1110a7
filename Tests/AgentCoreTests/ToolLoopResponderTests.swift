import AgentCore
import AgentTesting
import Testing

@Suite("The load benchmark's fake-model responder")
struct ToolLoopResponderTests {
    /// A task, then `steps` note calls with their results, as agentd sends it (compact JSON).
    private func conversation(steps: Int, earlierTasks: Int = 1) -> (messages: [Message], body: [UInt8]) {
        var messages: [Message] = []
        for task in 0..<earlierTasks {
            messages.append(.user("Task \(task + 1): take notes."))
            let count = task == earlierTasks - 1 ? steps : 3
            for step in 0..<count {
                let id = "toolu_\(task)_\(step)"
                messages.append(Message(role: .assistant, content: [
                    .text(TextBlock(text: "Step \(step + 1).")),
                    .toolUse(ToolUseBlock(id: id, name: "note", input: ["text": .string("step \(step + 1)")])),
                ]))
                messages.append(Message(role: .user, content: [
                    .toolResult(ToolResultBlock(toolUseID: id, content: [.text(TextBlock(text: "noted"))])),
                ]))
            }
            if task < earlierTasks - 1 { messages.append(Message(role: .assistant, content: [.text(TextBlock(text: "Done."))])) }
        }
        let body: JSONValue = ["model": "claude-sonnet-4-6", "messages": .array(messages.map(\.json)), "stream": true]
        return (messages, body.serializedBytes())
    }

    private func summary(_ reply: FakeReply) -> String {
        guard case .message(let content, let stopReason, _, _) = reply else { return "not a message" }
        let texts = content.compactMap { block -> String? in if case .text(let t) = block { t.text } else { nil } }
        return "\(stopReason): \(texts.joined(separator: " "))"
    }

    @Test("counting turns in the raw body gives the reply the parsed conversation gives", arguments: [0, 1, 4, 9, 10, 12])
    func rawCountMatchesParsed(steps: Int) {
        let responder = ToolLoopResponder(turnsPerTask: 10)
        for earlier in [1, 3] {
            let (_, body) = conversation(steps: steps, earlierTasks: earlier)
            let request = FakeRequest(method: "POST", path: "/v1/messages", headers: [], body: body,
                                      json: try? JSONValue(parsing: body))
            let parsed = summary(responder.reply(to: request))
            let raw = summary(responder.reply(toBody: body, taskMarker: #""text":"Task "#))
            #expect(raw == parsed, "steps \(steps), tasks \(earlier)")
            #expect(parsed.hasPrefix(steps >= 10 ? "end_turn" : "tool_use"), "\(parsed)")
        }
    }
}
