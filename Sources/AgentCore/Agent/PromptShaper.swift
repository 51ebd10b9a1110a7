/// Prompt-caching breakpoints and old-screenshot trimming, as the reference demo's loop does them
/// (reference §6.5, steps 2 and 3).
enum PromptShaper {
    static let ephemeral: JSONValue = ["type": "ephemeral"]

    /// Marks the last block of the three newest user messages with `cache_control` and clears it
    /// from the fourth (system + 3 turns = the API's 4-breakpoint maximum).
    /// - Returns: the lowest message index changed, or `messages.count` when nothing changed.
    @discardableResult
    static func applyCacheBreakpoints(to messages: inout [Message]) -> Int {
        var marked = 0
        var lowest = messages.count
        for index in messages.indices.reversed() where messages[index].role == .user {
            guard let last = messages[index].content.indices.last else { continue }
            if marked < 3 {
                messages[index].content[last].extra["cache_control"] = ephemeral
                marked += 1
                lowest = index
            } else {
                if messages[index].content[last].extra["cache_control"] != nil {
                    messages[index].content[last].extra["cache_control"] = nil
                    lowest = index
                }
                break
            }
        }
        return lowest
    }

    /// Removes the oldest screenshots from tool results so that about `keep` remain, in chunks of
    /// `keep` so the cached prefix stays stable between requests. Text blocks stay.
    /// - Returns: the indices of the messages changed.
    static func trimImages(in messages: inout [Message], keep: Int) -> [Int] {
        guard keep > 0 else { return [] }
        var total = 0
        for message in messages {
            for case .toolResult(let result) in message.content {
                total += result.content.filter { if case .image = $0 { true } else { false } }.count
            }
        }
        var toRemove = total - keep
        toRemove -= toRemove % keep  // reference §6.5: remove in multiples of `keep`
        guard toRemove > 0 else { return [] }
        var changed: [Int] = []
        for m in messages.indices where toRemove > 0 {
            var touched = false
            for b in messages[m].content.indices where toRemove > 0 {
                guard case .toolResult(var result) = messages[m].content[b] else { continue }
                var kept: [ContentBlock] = []
                for block in result.content {
                    if case .image = block, toRemove > 0 {
                        toRemove -= 1
                        touched = true
                    } else {
                        kept.append(block)
                    }
                }
                result.content = kept
                messages[m].content[b] = .toolResult(result)
            }
            if touched { changed.append(m) }
        }
        return changed
    }
}
