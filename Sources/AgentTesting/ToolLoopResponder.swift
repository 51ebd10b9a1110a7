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

    /// The same reply decided from the raw body, without parsing it, for load runs whose fake
    /// server must stay cheap: assistant turns are counted after the last occurrence of
    /// `taskMarker`, a text only the task messages contain (agentd writes compact JSON, so a
    /// message's role reads `"role":"assistant"`).
    public func reply(toBody body: [UInt8], taskMarker: String) -> FakeReply {
        let marker = Array(taskMarker.utf8)
        let assistant = Array(#""role":"assistant""#.utf8)
        let start = Self.lastIndex(of: marker, in: body).map { $0 + marker.count } ?? 0
        let turns = Self.occurrences(of: assistant, in: body[start...])
        if turns >= turnsPerTask { return .text("Finished after \(turns) steps.") }
        return .toolUse(name: "note", input: ["text": .string("step \(turns + 1)")], text: "Step \(turns + 1).")
    }

    private static func lastIndex(of needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard !needle.isEmpty, haystack.count >= needle.count else { return nil }
        for start in stride(from: haystack.count - needle.count, through: 0, by: -1) where haystack[start] == needle[0] {
            if haystack[start..<(start + needle.count)].elementsEqual(needle) { return start }
        }
        return nil
    }

    private static func occurrences(of needle: [UInt8], in haystack: ArraySlice<UInt8>) -> Int {
        guard !needle.isEmpty else { return 0 }
        var count = 0
        var index = haystack.startIndex
        while index + needle.count <= haystack.endIndex {
            if haystack[index] == needle[0], haystack[index..<(index + needle.count)].elementsEqual(needle) {
                count += 1
                index += needle.count
            } else {
                index += 1
            }
        }
        return count
    }

    /// The `note` tool the replies call: it answers at once with what it was given.
    public static var noteTool: ClosureTool {
        ClosureTool("note") { input in ToolOutput(output: "noted: \(input["text"]?.stringValue ?? "")") }
    }
}
