import Foundation
import Testing
@testable import AgentCore

/// `create`, `str_replace` and `insert` (reference §5.4, §6.4).
@Suite struct EditToolEditTests {
    static let replaceReview =
        "Review the changes and make sure they are as expected. Edit the file again if necessary."
    static let insertReview =
        "Review the changes and make sure they are as expected (correct indentation, no duplicate lines, etc). "
        + "Edit the file again if necessary."

    // MARK: - create

    @Test func createWritesTheFile() async throws {
        let box = try EditSandbox()
        let file = box.at("new.txt")
        #expect(try await EditTool().output(
            ["command": "create", "path": .string(file), "file_text": "a\tb\r\nc\n"], in: box)
            == "File created successfully at: \(file)")
        #expect(try box.bytes(file) == Array("a\tb\r\nc\n".utf8))
        let empty = box.at("empty.txt")
        _ = try await EditTool().output(["command": "create", "path": .string(empty), "file_text": ""], in: box)
        #expect(try box.bytes(empty) == [])
    }

    @Test func createNeedsFileText() async throws {
        let box = try EditSandbox()
        let file = box.at("new.txt")
        #expect(await EditTool().failure(["command": "create", "path": .string(file)], in: box)
            == "Parameter `file_text` is required for command: create")
        #expect(await EditTool().failure(["command": "create", "path": .string(file), "file_text": .null], in: box)
            == "Parameter `file_text` is required for command: create")
        #expect(await EditTool().failure(["command": "create", "path": .string(file), "file_text": 5], in: box)
            == "Parameter `file_text` should be a string for command: create")
        #expect(!box.exists(file))
    }

    @Test func createDoesNotMakeParentDirectories() async throws {
        let box = try EditSandbox()
        let file = box.at("no/such/dir/new.txt")
        #expect(await EditTool().failure(["command": "create", "path": .string(file), "file_text": "x"], in: box)
            == "Ran into [Errno 2] No such file or directory: '\(file)' while trying to write to \(file)")
        #expect(!box.exists(box.at("no")))
    }

    @Test func ioErrorsQuoteTheFileNameLikePython() async throws {
        let box = try EditSandbox()
        let quoted = box.at("it's/x.txt")
        #expect(await EditTool().failure(["command": "create", "path": .string(quoted), "file_text": "x"], in: box)
            == "Ran into [Errno 2] No such file or directory: \"\(quoted)\" while trying to write to \(quoted)")
        try box.write("plain.txt", "")
        let underFile = box.at("plain.txt/x.txt")
        #expect(await EditTool().failure(["command": "create", "path": .string(underFile), "file_text": "x"], in: box)
            == "Ran into [Errno 20] Not a directory: '\(underFile)' while trying to write to \(underFile)")
    }

    @Test func pythonReprOfFileNames() {
        #expect(PythonText.repr("/tmp/it's/x") == "\"/tmp/it's/x\"")
        #expect(PythonText.repr("/tmp/a\"b/x") == "'/tmp/a\"b/x'")
        #expect(PythonText.repr("/tmp/a'b\"c/x") == "'/tmp/a\\'b\"c/x'")
        #expect(PythonText.repr("/tmp/tab\there/x") == "'/tmp/tab\\there/x'")
        #expect(PythonText.repr("/tmp/\u{a0}nb/x") == "'/tmp/\\xa0nb/x'")
        #expect(PythonText.repr("/tmp/é/x") == "'/tmp/é/x'")
        #expect(PythonText.repr("a\\b\u{1}\u{200b}") == "'a\\\\b\\x01\\u200b'")
        #expect(PythonText.repr([1, 22]) == "[1, 22]")
        #expect(PythonText.repr([Int]()) == "[]")
    }

    // MARK: - str_replace

    @Test func strReplaceShowsASnippet() async throws {
        let box = try EditSandbox()
        let file = try box.write("ten.txt", EditFixtures.tenLines)
        let output = try await EditTool().output(
            ["command": "str_replace", "path": .string(file), "old_str": "line 6", "new_str": "LINE six\nand more"],
            in: box)
        #expect(output == "The file \(file) has been edited. " + EditFixtures.catHeader("a snippet of \(file)")
            + "     2\tline 2\n     3\tline 3\n     4\tline 4\n     5\tline 5\n     6\tLINE six\n     7\tand more\n"
            + "     8\tline 7\n     9\tline 8\n    10\tline 9\n    11\tline 10\n" + Self.replaceReview)
        #expect(try box.read(file)
            == "line 1\nline 2\nline 3\nline 4\nline 5\nLINE six\nand more\nline 7\nline 8\nline 9\nline 10\n")
    }

    @Test func strReplaceWithoutNewStrDeletes() async throws {
        let box = try EditSandbox()
        let file = try box.write("ten.txt", EditFixtures.tenLines)
        let output = try await EditTool().output(
            ["command": "str_replace", "path": .string(file), "old_str": "line 1\n"], in: box)
        #expect(output == "The file \(file) has been edited. " + EditFixtures.catHeader("a snippet of \(file)")
            + "     1\tline 2\n     2\tline 3\n     3\tline 4\n     4\tline 5\n     5\tline 6\n" + Self.replaceReview)
        #expect(try box.read(file) == "line 2\nline 3\nline 4\nline 5\nline 6\nline 7\nline 8\nline 9\nline 10\n")
    }

    @Test func strReplaceSnippetStopsAtTheEndOfTheFile() async throws {
        let box = try EditSandbox()
        let file = try box.write("ab.txt", "ab\nab\n")
        let output = try await EditTool().output(
            ["command": "str_replace", "path": .string(file), "old_str": "b\na", "new_str": "X"], in: box)
        #expect(output == "The file \(file) has been edited. " + EditFixtures.catHeader("a snippet of \(file)")
            + "     1\taXb\n     2\t\n" + Self.replaceReview)
        #expect(try box.read(file) == "aXb\n")
    }

    @Test func strReplaceNeedsOldStr() async throws {
        let box = try EditSandbox()
        let file = try box.write("a.txt", "a")
        #expect(await EditTool().failure(["command": "str_replace", "path": .string(file), "new_str": "b"], in: box)
            == "Parameter `old_str` is required for command: str_replace")
    }

    @Test func strReplaceReportsAMissingOldStr() async throws {
        let box = try EditSandbox()
        let file = try box.write("a.txt", "a\tb\n")
        // The message shows old_str with its tabs expanded.
        #expect(await EditTool().failure(
            ["command": "str_replace", "path": .string(file), "old_str": "x\ty", "new_str": "X"], in: box)
            == "No replacement was performed, old_str `x       y` did not appear verbatim in \(file).")
        #expect(try box.read(file) == "a\tb\n")
    }

    @Test func strReplaceReportsMultipleOccurrences() async throws {
        let box = try EditSandbox()
        let file = try box.write("xy.txt", "x = 1\ny = 1\nz = 2\n")
        #expect(await EditTool().failure(
            ["command": "str_replace", "path": .string(file), "old_str": " = 1", "new_str": " = 2"], in: box)
            == "No replacement was performed. Multiple occurrences of old_str ` = 1` in lines [1, 2]. Please ensure "
            + "it is unique")
        // A multi-line old_str is in no single line, so the list is empty, as in the reference.
        let multi = try box.write("ab.txt", "ab\nab\nab\n")
        #expect(await EditTool().failure(
            ["command": "str_replace", "path": .string(multi), "old_str": "b\na", "new_str": "X"], in: box)
            == "No replacement was performed. Multiple occurrences of old_str `b\na` in lines []. Please ensure it "
            + "is unique")
        // Python counts the empty string once per position.
        #expect(await EditTool().failure(
            ["command": "str_replace", "path": .string(multi), "old_str": "", "new_str": "X"], in: box)
            == "No replacement was performed. Multiple occurrences of old_str `` in lines [1, 2, 3, 4]. Please ensure "
            + "it is unique")
    }

    @Test func emptyOldStrFillsAnEmptyFile() async throws {
        let box = try EditSandbox()
        let file = try box.write("empty.txt", "")
        let output = try await EditTool().output(
            ["command": "str_replace", "path": .string(file), "old_str": "", "new_str": "hello"], in: box)
        #expect(output == "The file \(file) has been edited. " + EditFixtures.catHeader("a snippet of \(file)")
            + "     1\thello\n" + Self.replaceReview)
        #expect(try box.read(file) == "hello")
    }

    @Test func strReplaceMatchesCodePointsNotCharacters() async throws {
        let box = try EditSandbox()
        // Decomposed "é" in the file; Swift would call it equal to the precomposed one, Python does not.
        let file = try box.write("cafe.txt", "cafe\u{301}\n")
        #expect(await EditTool().failure(
            ["command": "str_replace", "path": .string(file), "old_str": "caf\u{e9}", "new_str": "tea"], in: box)
            == "No replacement was performed, old_str `caf\u{e9}` did not appear verbatim in \(file).")
        _ = try await EditTool().output(
            ["command": "str_replace", "path": .string(file), "old_str": "e\u{301}", "new_str": "E"], in: box)
        #expect(try box.read(file) == "cafE\n")
    }

    @Test func strReplaceMatchesWithTabsExpandedAndKeepsOtherTabs() async throws {
        let box = try EditSandbox()
        let file = try box.write("t.py", "def f():\n\tkeep = 0\n\tx = 1\n")
        let output = try await EditTool().output(
            ["command": "str_replace", "path": .string(file), "old_str": "        x = 1", "new_str": "\tx = 2"],
            in: box)
        #expect(output == "The file \(file) has been edited. " + EditFixtures.catHeader("a snippet of \(file)")
            + "     1\tdef f():\n     2\t        keep = 0\n     3\t        x = 2\n     4\t\n" + Self.replaceReview)
        // Only the edited line is written with its tab expanded (the reference expands the whole file).
        #expect(try box.read(file) == "def f():\n\tkeep = 0\n        x = 2\n")
    }

    @Test func strReplaceKeepsWindowsLineEndings() async throws {
        let box = try EditSandbox()
        let file = try box.write("w.txt", "a\r\nb\r\nc\r\n")
        _ = try await EditTool().output(
            ["command": "str_replace", "path": .string(file), "old_str": "b\nc", "new_str": "B\nC"], in: box)
        #expect(try box.bytes(file) == Array("a\r\nB\r\nC\r\n".utf8))
        // Mixed endings are written as "\n", as the reference does.
        let mixed = try box.write("m.txt", "a\r\nb\nc")
        _ = try await EditTool().output(
            ["command": "str_replace", "path": .string(mixed), "old_str": "b", "new_str": "B"], in: box)
        #expect(try box.bytes(mixed) == Array("a\nB\nc".utf8))
    }

    @Test func editsKeepPermissions() async throws {
        let box = try EditSandbox()
        let file = try box.write("run.sh", "echo hi\n")
        try FileManager.default.setAttributes([.posixPermissions: 0o741], ofItemAtPath: file)
        _ = try await EditTool().output(
            ["command": "str_replace", "path": .string(file), "old_str": "hi", "new_str": "ho"], in: box)
        _ = try await EditTool().output(
            ["command": "insert", "path": .string(file), "insert_line": 0, "insert_text": "#!/bin/sh"], in: box)
        let mode = try FileManager.default.attributesOfItem(atPath: file)[.posixPermissions] as? Int
        #expect(mode == 0o741)
        #expect(try box.read(file) == "#!/bin/sh\necho ho\n")
    }

    // MARK: - insert

    @Test func insertShowsASnippet() async throws {
        let box = try EditSandbox()
        let file = try box.write("ten.txt", EditFixtures.tenLines)
        let output = try await EditTool().output(
            ["command": "insert", "path": .string(file), "insert_line": 6, "insert_text": "new A\nnew B"], in: box)
        #expect(output == "The file \(file) has been edited. " + EditFixtures.catHeader("a snippet of the edited file")
            + "     3\tline 3\n     4\tline 4\n     5\tline 5\n     6\tline 6\n     7\tnew A\n     8\tnew B\n"
            + "     9\tline 7\n    10\tline 8\n    11\tline 9\n    12\tline 10\n" + Self.insertReview)
        #expect(try box.read(file)
            == "line 1\nline 2\nline 3\nline 4\nline 5\nline 6\nnew A\nnew B\nline 7\nline 8\nline 9\nline 10\n")
    }

    @Test func insertAtTheTopAndAtTheEnd() async throws {
        let box = try EditSandbox()
        let file = try box.write("ten.txt", EditFixtures.tenLines)
        let top = try await EditTool().output(
            ["command": "insert", "path": .string(file), "insert_line": 0, "insert_text": "top"], in: box)
        #expect(top == "The file \(file) has been edited. " + EditFixtures.catHeader("a snippet of the edited file")
            + "     1\ttop\n     2\tline 1\n     3\tline 2\n     4\tline 3\n     5\tline 4\n" + Self.insertReview)
        let other = try box.write("other.txt", EditFixtures.tenLines)
        let end = try await EditTool().output(
            ["command": "insert", "path": .string(other), "insert_line": 11, "insert_text": "end"], in: box)
        #expect(end == "The file \(other) has been edited. " + EditFixtures.catHeader("a snippet of the edited file")
            + "     8\tline 8\n     9\tline 9\n    10\tline 10\n    11\t\n    12\tend\n" + Self.insertReview)
        #expect(try box.read(other) == EditFixtures.tenLines + "\nend")
    }

    @Test func insertReadsInsertTextThenNewStr() async throws {
        for version in EditorVersion.allCases {
            let box = try EditSandbox()
            let file = try box.write("f.txt", "a")
            let tool = EditTool(version: version)
            _ = try await tool.output(
                ["command": "insert", "path": .string(file), "insert_line": 1, "insert_text": "from insert_text"],
                in: box)
            _ = try await tool.output(
                ["command": "insert", "path": .string(file), "insert_line": 2, "new_str": "from new_str"], in: box)
            _ = try await tool.output(
                ["command": "insert", "path": .string(file), "insert_line": 0, "insert_text": "wins", "new_str": "no"],
                in: box)
            #expect(try box.read(file) == "wins\na\nfrom insert_text\nfrom new_str")
        }
    }

    @Test func insertNeedsALineAndText() async throws {
        let box = try EditSandbox()
        let file = try box.write("f.txt", "a")
        #expect(await EditTool().failure(["command": "insert", "path": .string(file), "insert_text": "x"], in: box)
            == "Parameter `insert_line` is required for command: insert")
        #expect(await EditTool().failure(["command": "insert", "path": .string(file), "insert_line": 0], in: box)
            == "Parameter `insert_text` is required for command: insert")
        for version in [EditorVersion.v20241022, .v20250124, .v20250429] {
            #expect(await EditTool(version: version).failure(
                ["command": "insert", "path": .string(file), "insert_line": 0], in: box)
                == "Parameter `new_str` is required for command: insert")
        }
        #expect(await EditTool().failure(
            ["command": "insert", "path": .string(file), "insert_line": "1", "insert_text": "x"], in: box)
            == "Invalid `insert_line` parameter: \"1\". It should be an integer.")
        #expect(await EditTool().failure(
            ["command": "insert", "path": .string(file), "insert_line": 0, "insert_text": ["x"]], in: box)
            == "Parameter `insert_text` should be a string for command: insert")
        #expect(try box.read(file) == "a")
    }

    @Test func insertLineMustBeInRange() async throws {
        let box = try EditSandbox()
        let file = try box.write("f.txt", "a\nb\n")
        #expect(await EditTool().failure(
            ["command": "insert", "path": .string(file), "insert_line": 4, "insert_text": "x"], in: box)
            == "Invalid `insert_line` parameter: 4. It should be within the range of lines of the file: [0, 3]")
        #expect(await EditTool().failure(
            ["command": "insert", "path": .string(file), "insert_line": -1, "insert_text": "x"], in: box)
            == "Invalid `insert_line` parameter: -1. It should be within the range of lines of the file: [0, 3]")
        #expect(try box.read(file) == "a\nb\n")
    }

    @Test func insertExpandsItsTextAndKeepsTheFilesTabs() async throws {
        let box = try EditSandbox()
        let file = try box.write("t.txt", "\tone\n\ttwo")
        let output = try await EditTool().output(
            ["command": "insert", "path": .string(file), "insert_line": 1, "insert_text": "\tmid"], in: box)
        #expect(output == "The file \(file) has been edited. " + EditFixtures.catHeader("a snippet of the edited file")
            + "     1\t        one\n     2\t        mid\n     3\t        two\n" + Self.insertReview)
        #expect(try box.read(file) == "\tone\n        mid\n\ttwo")
    }

    @Test func insertKeepsWindowsLineEndings() async throws {
        let box = try EditSandbox()
        let file = try box.write("w.txt", "a\r\nb\r\n")
        _ = try await EditTool().output(
            ["command": "insert", "path": .string(file), "insert_line": 1, "insert_text": "mid"], in: box)
        #expect(try box.bytes(file) == Array("a\r\nmid\r\nb\r\n".utf8))
    }
}
