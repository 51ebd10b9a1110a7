/// The reference's text rendering: response truncation (reference §6.4 "Truncation (`run.py`)") and
/// the `cat -n` view of file content (reference §6.4 "view", "Rendering").
enum FileView {
    /// `MAX_RESPONSE_LEN`: the default number of characters shown before clipping.
    static let maxResponseLength = 16000

    /// Appended to clipped content.
    static let truncatedMessage =
        "<response clipped><NOTE>To save on context only part of this file has been shown to you. You should retry "
        + "this tool after you have searched inside the file with `grep -n` in order to find the line numbers of "
        + "what you are looking for.</NOTE>"

    /// `maybe_truncate`: text longer than `limit` code points keeps its first `limit` and gets
    /// `truncatedMessage`; a limit of 0 or less means no limit, as Python's `not truncate_after`.
    static func truncate(_ text: String, limit: Int = maxResponseLength) -> String {
        guard limit > 0, let kept = PythonText.prefix(text, codePoints: limit) else { return text }
        return kept + truncatedMessage
    }

    /// `_make_output`: truncates `content`, expands tabs, numbers each line (a 6-wide right-aligned
    /// number from `initLine`, a tab, the line) and frames it as the output of `cat -n`.
    static func catN(_ content: String, descriptor: String, initLine: Int = 1, limit: Int = maxResponseLength)
        -> String
    {
        // reference §6.4 Rendering: 1. truncate, 2. expand tabs, 3. number, 4. prefix and final "\n".
        let expanded = PythonText.expandTabs(truncate(content, limit: limit))
        var numbered: [String] = []
        for (offset, line) in PythonText.lines(expanded).enumerated() {
            numbered.append(lineNumber(initLine + offset) + "\t" + line)
        }
        return "Here's the result of running `cat -n` on \(descriptor):\n" + PythonText.joinLines(numbered) + "\n"
    }

    /// Python's `f"{n:6}"`: right-aligned in six columns, never cut.
    static func lineNumber(_ number: Int) -> String {
        let digits = String(number)
        return String(repeating: " ", count: max(0, 6 - digits.count)) + digits
    }
}
