extension EditTool {
    /// `SNIPPET_LINES`: lines of context shown around an edit (reference §6.4).
    static let snippetLines = 4

    /// `create`: writes a new file (never its parent directories) and records the text in the history
    /// (reference §6.4 "create").
    func create(_ path: EditPath, input: JSONValue) async throws -> ToolOutput {
        guard let fileText = try Self.string(input, "file_text", command: "create") else {
            throw ToolError("Parameter `file_text` is required for command: create")
        }
        let bytes = try TextFile.save(fileText, to: path)
        await record(.init(bytes: bytes, text: fileText), for: path)
        return ToolOutput(output: "File created successfully at: \(path.display)")
    }

    /// `str_replace`: replaces the one occurrence of `old_str`, matching with tabs expanded, and shows
    /// the lines around it (reference §6.4 "str_replace").
    func strReplace(_ path: EditPath, input: JSONValue) async throws -> ToolOutput {
        guard let rawOld = try Self.string(input, "old_str", command: "str_replace") else {
            throw ToolError("Parameter `old_str` is required for command: str_replace")
        }
        // reference §6.4: a missing `new_str` counts as "".
        let rawNew = try Self.string(input, "new_str", command: "str_replace") ?? ""
        let contents = try TextFile.load(path)
        // reference §6.4: the file, `old_str` and `new_str` are all compared with tabs expanded.
        let expanded = PythonText.expandTabs(contents.text)
        let oldStr = PythonText.expandTabs(rawOld)
        let newStr = PythonText.expandTabs(rawNew)

        let occurrences = PythonText.count(of: oldStr, in: expanded)
        if occurrences == 0 {
            throw ToolError(
                "No replacement was performed, old_str `\(oldStr)` did not appear verbatim in \(path.display).")
        }
        let expandedLines = PythonText.lines(expanded)
        if occurrences > 1 {
            let lineNumbers = expandedLines.indices.filter { PythonText.contains(oldStr, in: expandedLines[$0]) }
            throw ToolError(
                "No replacement was performed. Multiple occurrences of old_str `\(oldStr)` in lines "
                    + "\(PythonText.repr(lineNumbers.map { $0 + 1 })). Please ensure it is unique")
        }

        let offset = PythonText.firstOffset(of: oldStr, in: expanded) ?? 0
        let before = String(decoding: expanded.utf8.prefix(offset), as: UTF8.self)
        let after = String(decoding: expanded.utf8.dropFirst(offset + oldStr.utf8.count), as: UTF8.self)
        let newLines = PythonText.lines(before + newStr + after)
        // reference §6.4 snippet: `r` = newlines before the match.
        let matchLine = newlineCount(before)
        let newLineCount = newlineCount(newStr)

        // The reference writes the whole file with tabs expanded (⚠ §6.4); only the lines the
        // replacement touched are written expanded here, the others as they were.
        let originalLines = PythonText.lines(contents.text)
        let written = originalLines[..<matchLine] + newLines[matchLine...(matchLine + newLineCount)]
            + originalLines[(matchLine + newlineCount(oldStr) + 1)...]
        try TextFile.save(PythonText.joinLines(written), crlf: contents.usesCRLF, to: path)
        await record(.init(bytes: contents.bytes, text: expanded), for: path)

        // reference §6.4 snippet: lines [max(0, r − 4), r + 4 + newlines in new_str], inclusive.
        let start = max(0, matchLine - Self.snippetLines)
        let end = min(newLines.count - 1, matchLine + Self.snippetLines + newLineCount)
        let snippet = PythonText.joinLines(newLines[start...end])
        return ToolOutput(
            output: "The file \(path.display) has been edited. "
                + FileView.catN(snippet, descriptor: "a snippet of \(path.display)", initLine: start + 1)
                + "Review the changes and make sure they are as expected. Edit the file again if necessary.")
    }

    /// `insert`: inserts text after line `insert_line` (0 = the top) and shows the lines around it
    /// (reference §5.4, §6.4 "insert").
    func insert(_ path: EditPath, input: JSONValue) async throws -> ToolOutput {
        guard let lineValue = input["insert_line"], !lineValue.isNull else {
            throw ToolError("Parameter `insert_line` is required for command: insert")
        }
        // reference §5.4 recommendation: read `insert_text` first, fall back to `new_str`.
        let rawText =
            try Self.string(input, "insert_text", command: "insert") ?? Self.string(input, "new_str", command: "insert")
        guard let rawText else {
            throw ToolError("Parameter `\(version.insertTextParameter)` is required for command: insert")
        }
        guard case .int(let insertLine) = lineValue else {
            throw ToolError("Invalid `insert_line` parameter: \(lineValue). It should be an integer.")
        }
        let contents = try TextFile.load(path)
        let expanded = PythonText.expandTabs(contents.text)
        let text = PythonText.expandTabs(rawText)
        let lines = PythonText.lines(expanded)
        if insertLine < 0 || insertLine > lines.count {
            throw ToolError(
                "Invalid `insert_line` parameter: \(insertLine). It should be within the range of lines of the file: "
                    + PythonText.repr([0, lines.count]))
        }
        let textLines = PythonText.lines(text)
        // As for str_replace, the lines around the insertion keep their tabs (the reference expands them).
        let originalLines = PythonText.lines(contents.text)
        let written = originalLines[..<insertLine] + textLines + originalLines[insertLine...]
        try TextFile.save(PythonText.joinLines(written), crlf: contents.usesCRLF, to: path)
        await record(.init(bytes: contents.bytes, text: expanded), for: path)

        // reference §6.4: up to 4 lines before, the inserted lines, up to 4 lines after.
        let snippetLines = lines[max(0, insertLine - Self.snippetLines)..<insertLine] + textLines
            + lines[insertLine..<min(lines.count, insertLine + Self.snippetLines)]
        let snippet = PythonText.joinLines(snippetLines)
        return ToolOutput(
            output: "The file \(path.display) has been edited. "
                + FileView.catN(
                    snippet, descriptor: "a snippet of the edited file",
                    initLine: max(1, insertLine - Self.snippetLines + 1))
                + "Review the changes and make sure they are as expected (correct indentation, no duplicate lines, "
                + "etc). Edit the file again if necessary.")
    }

    /// `undo_edit`: writes back the newest saved state of the file (reference §6.4 "undo_edit").
    func undoEdit(_ path: EditPath) async throws -> ToolOutput {
        guard let entry = await history.pop(for: path.real) else {
            throw ToolError("No edit history found for \(path.display).")
        }
        do {
            try TextFile.save(bytes: entry.bytes, to: path)
        } catch {
            // Unlike the reference, a failed undo keeps the state so it can be retried.
            await history.push(entry, for: path.real)
            throw error
        }
        return ToolOutput(
            output: "Last edit to \(path.display) undone successfully. "
                + FileView.catN(entry.text, descriptor: path.display))
    }

    /// Saves the state before an edit, as the reference does after a successful write; versions
    /// without `undo_edit` keep no history.
    private func record(_ entry: EditHistory.Entry, for path: EditPath) async {
        guard version.supportsUndo else { return }
        await history.push(entry, for: path.real)
    }

    /// The string input `key`; nil when absent or null (Python's `None`).
    /// - Throws: `ToolError` when it is present but not a string.
    static func string(_ input: JSONValue, _ key: String, command: String) throws -> String? {
        guard let value = input[key], !value.isNull else { return nil }
        guard let text = value.stringValue else {
            throw ToolError("Parameter `\(key)` should be a string for command: \(command)")
        }
        return text
    }

    private func newlineCount(_ text: String) -> Int {
        text.utf8.reduce(0) { $0 + ($1 == UInt8(ascii: "\n") ? 1 : 0) }
    }
}
