public import AgentCore

/// Checks the Messages API pairing rule: every tool_use in assistant turn k has exactly one
/// tool_result in user turn k+1, and no result lacks its call.
/// - Returns: one line per problem; empty when the conversation is valid.
public func pairingProblems(_ messages: [Message]) -> [String] {
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
