import Foundation
import Testing
@testable import AgentCore

/// `view` of files and directories, `view_range`, truncation and `max_characters` (reference §6.4).
@Suite struct EditToolViewTests {
    @Test func viewRendersCatN() async throws {
        let box = try EditSandbox()
        let file = try box.write("a.py", "def f():\n\treturn 1\n")
        #expect(try await EditTool().output(["command": "view", "path": .string(file)], in: box)
            == EditFixtures.catHeader(file) + "     1\tdef f():\n     2\t        return 1\n     3\t\n")
    }

    @Test func tabsExpandToTheNextMultipleOfEight() async throws {
        let box = try EditSandbox()
        let file = try box.write("t.txt", "ab\tc\tdefghijkl\tm")
        #expect(try await EditTool().output(["command": "view", "path": .string(file)], in: box)
            == EditFixtures.catHeader(file) + "     1\tab      c       defghijkl       m\n")
    }

    @Test func emptyFileShowsOneEmptyLine() async throws {
        let box = try EditSandbox()
        let file = try box.write("e.txt", "")
        #expect(try await EditTool().output(["command": "view", "path": .string(file)], in: box)
            == EditFixtures.catHeader(file) + "     1\t\n")
    }

    @Test func lineNumbersAreSixWideAndNeverCut() {
        #expect(FileView.lineNumber(1) == "     1")
        #expect(FileView.lineNumber(123456) == "123456")
        #expect(FileView.lineNumber(1234567) == "1234567")
    }

    @Test func windowsAndOldMacLineEndingsReadAsNewlines() async throws {
        let box = try EditSandbox()
        let file = try box.write("w.txt", "a\r\nb\rc\n")
        #expect(try await EditTool().output(["command": "view", "path": .string(file)], in: box)
            == EditFixtures.catHeader(file) + "     1\ta\n     2\tb\n     3\tc\n     4\t\n")
    }

    // MARK: - view_range

    @Test func viewRangeSelectsLines() async throws {
        let box = try EditSandbox()
        let file = try box.write("ten.txt", EditFixtures.tenLines)
        let tool = EditTool()
        #expect(try await tool.output(["command": "view", "path": .string(file), "view_range": [3, 5]], in: box)
            == EditFixtures.catHeader(file) + "     3\tline 3\n     4\tline 4\n     5\tline 5\n")
        #expect(try await tool.output(["command": "view", "path": .string(file), "view_range": [9, -1]], in: box)
            == EditFixtures.catHeader(file) + "     9\tline 9\n    10\tline 10\n    11\t\n")
        #expect(try await tool.output(["command": "view", "path": .string(file), "view_range": [11, 11]], in: box)
            == EditFixtures.catHeader(file) + "    11\t\n")
        #expect(try await tool.output(["command": "view", "path": .string(file), "view_range": [2, 2]], in: box)
            == EditFixtures.catHeader(file) + "     2\tline 2\n")
    }

    @Test func emptyOrNullViewRangeShowsTheWholeFile() async throws {
        let box = try EditSandbox()
        let file = try box.write("two.txt", "a\nb")
        let whole = EditFixtures.catHeader(file) + "     1\ta\n     2\tb\n"
        #expect(try await EditTool().output(["command": "view", "path": .string(file), "view_range": []], in: box)
            == whole)
        #expect(try await EditTool().output(["command": "view", "path": .string(file), "view_range": .null], in: box)
            == whole)
    }

    @Test func viewRangeMustBeTwoIntegers() async throws {
        let box = try EditSandbox()
        let file = try box.write("ten.txt", EditFixtures.tenLines)
        let message = "Invalid `view_range`. It should be a list of two integers."
        let bad: [JSONValue] = [[1], [1, 2, 3], ["1", "2"], [1.5, 2], [1, .null], "1:2", 7, ["a": 1, "b": 2]]
        for range in bad {
            #expect(await EditTool().failure(["command": "view", "path": .string(file), "view_range": range], in: box)
                == message)
        }
    }

    @Test func viewRangeBoundsAreChecked() async throws {
        let box = try EditSandbox()
        let file = try box.write("three.txt", "a\nb\nc")
        func failure(_ range: JSONValue) async -> String? {
            await EditTool().failure(["command": "view", "path": .string(file), "view_range": range], in: box)
        }
        #expect(await failure([0, 2]) == "Invalid `view_range`: [0, 2]. Its first element `0` should be within the "
            + "range of lines of the file: [1, 3]")
        #expect(await failure([4, 4]) == "Invalid `view_range`: [4, 4]. Its first element `4` should be within the "
            + "range of lines of the file: [1, 3]")
        #expect(await failure([-1, 2]) == "Invalid `view_range`: [-1, 2]. Its first element `-1` should be within "
            + "the range of lines of the file: [1, 3]")
        #expect(await failure([1, 4]) == "Invalid `view_range`: [1, 4]. Its second element `4` should be smaller "
            + "than the number of lines in the file: `3`")
        #expect(await failure([3, 2]) == "Invalid `view_range`: [3, 2]. Its second element `2` should be larger or "
            + "equal than its first `3`")
        #expect(await failure([2, -2]) == "Invalid `view_range`: [2, -2]. Its second element `-2` should be larger "
            + "or equal than its first `2`")
        #expect(await failure([1, 0]) == "Invalid `view_range`: [1, 0]. Its second element `0` should be larger or "
            + "equal than its first `1`")
    }

    // MARK: - Truncation and max_characters

    @Test func viewClipsAt16000Characters() async throws {
        let box = try EditSandbox()
        let exact = try box.write("exact.txt", String(repeating: "a", count: 16000))
        #expect(try await EditTool().output(["command": "view", "path": .string(exact)], in: box)
            == EditFixtures.catHeader(exact) + "     1\t" + String(repeating: "a", count: 16000) + "\n")
        let long = try box.write("long.txt", String(repeating: "a", count: 16001))
        #expect(try await EditTool().output(["command": "view", "path": .string(long)], in: box)
            == EditFixtures.catHeader(long) + "     1\t" + String(repeating: "a", count: 16000)
            + EditFixtures.clippedNote + "\n")
    }

    @Test func clippingCountsCodePoints() async throws {
        let box = try EditSandbox()
        // "e" + a combining accent is one Character in Swift but two code points in Python.
        let file = try box.write("accents.txt", String(repeating: "e\u{301}", count: 8001))
        let shown = String(repeating: "e\u{301}", count: 8000)
        #expect(try await EditTool().output(["command": "view", "path": .string(file)], in: box)
            == EditFixtures.catHeader(file) + "     1\t" + shown + EditFixtures.clippedNote + "\n")
    }

    @Test func clippingHappensBeforeTabExpansionAndNumbering() async throws {
        let box = try EditSandbox()
        let file = try box.write("tabs.txt", "\t\t\tX\nmore")
        #expect(try await EditTool(maxCharacters: 3).output(["command": "view", "path": .string(file)], in: box)
            == EditFixtures.catHeader(file) + "     1\t" + String(repeating: " ", count: 24) + EditFixtures.clippedNote
            + "\n")
    }

    @Test func maxCharactersClipsView() async throws {
        let box = try EditSandbox()
        let file = try box.write("m.txt", "0123456789\nabcdef")
        #expect(try await EditTool(maxCharacters: 13).output(["command": "view", "path": .string(file)], in: box)
            == EditFixtures.catHeader(file) + "     1\t0123456789\n     2\tab" + EditFixtures.clippedNote + "\n")
        // Within a view_range, the selected text is what gets clipped.
        #expect(try await EditTool(maxCharacters: 4).output(
            ["command": "view", "path": .string(file), "view_range": [2, 2]], in: box)
            == EditFixtures.catHeader(file) + "     2\tabcd" + EditFixtures.clippedNote + "\n")
        // Honoured by the older versions too, although only 20250728 advertises it.
        #expect(try await EditTool(version: .v20241022, maxCharacters: 5).output(
            ["command": "view", "path": .string(file)], in: box)
            == EditFixtures.catHeader(file) + "     1\t01234" + EditFixtures.clippedNote + "\n")
    }

    @Test func maxCharactersCanRaiseTheLimit() async throws {
        let box = try EditSandbox()
        let text = String(repeating: "b", count: 20000)
        let file = try box.write("big.txt", text)
        #expect(try await EditTool(maxCharacters: 20000).output(["command": "view", "path": .string(file)], in: box)
            == EditFixtures.catHeader(file) + "     1\t" + text + "\n")
        // Zero or less means the default.
        #expect(try await EditTool(maxCharacters: 0).output(["command": "view", "path": .string(file)], in: box)
            == EditFixtures.catHeader(file) + "     1\t" + String(repeating: "b", count: 16000)
            + EditFixtures.clippedNote + "\n")
    }

    // MARK: - Unreadable content

    @Test func nonUTF8FileIsAClearError() async throws {
        let box = try EditSandbox()
        let file = try box.write("bin.dat", bytes: [0x61, 0x62, 0xFF, 0x00])
        #expect(await EditTool().failure(["command": "view", "path": .string(file)], in: box)
            == "Ran into 'utf-8' codec can't decode byte 0xff in position 2: invalid start byte while trying to read "
            + file)
        #expect(await EditTool().failure(
            ["command": "str_replace", "path": .string(file), "old_str": "a", "new_str": "b"], in: box)
            == "Ran into 'utf-8' codec can't decode byte 0xff in position 2: invalid start byte while trying to read "
            + file)
        #expect(try box.bytes(file) == [0x61, 0x62, 0xFF, 0x00])
        let cut = try box.write("cut.txt", bytes: Array("ok ".utf8) + [0xE2, 0x82])
        #expect(await EditTool().failure(["command": "view", "path": .string(cut)], in: box)
            == "Ran into 'utf-8' codec can't decode bytes in position 3-4: unexpected end of data while trying to "
            + "read \(cut)")
    }

    @Test(.enabled(if: geteuid() != 0, "root can read anything"))
    func unreadableFileIsAnIOError() async throws {
        let box = try EditSandbox()
        let file = try box.write("secret.txt", "x")
        try FileManager.default.setAttributes([.posixPermissions: 0o000], ofItemAtPath: file)
        #expect(await EditTool().failure(["command": "view", "path": .string(file)], in: box)
            == "Ran into [Errno 13] Permission denied: '\(file)' while trying to read \(file)")
    }

    // MARK: - Directories

    @Test func directoryViewListsTwoLevelsWithoutHiddenItems() async throws {
        let box = try EditSandbox()
        let root = try box.mkdir("project")
        try box.write("project/b.txt", "")
        try box.write("project/a.txt", "")
        try box.write("project/.env", "")
        try box.write("project/.git/config", "")
        try box.write("project/src/main.swift", "")
        try box.write("project/src/.cache", "")
        try box.write("project/src/deep/too-deep.txt", "")
        try box.mkdir("project/empty")
        try box.mkdir("elsewhere/inner")
        try box.symlink("project/link", to: box.at("elsewhere"))
        let expected = EditFixtures.listingHeader(root) + [
            root, "\(root)/a.txt", "\(root)/b.txt", "\(root)/empty", "\(root)/link", "\(root)/src",
            "\(root)/src/deep", "\(root)/src/main.swift",
        ].map { $0 + "\n" }.joined() + "\n"
        #expect(try await EditTool().output(["command": "view", "path": .string(root)], in: box) == expected)
        #expect(try await EditTool().output(["command": "view", "path": .string(root + "/")], in: box) == expected)
        #expect(try await EditTool().output(["command": "view", "path": .string(root), "view_range": []], in: box)
            == expected)
    }

    @Test func emptyDirectoryListsItself() async throws {
        let box = try EditSandbox()
        let dir = try box.mkdir("empty")
        #expect(try await EditTool().output(["command": "view", "path": .string(dir)], in: box)
            == EditFixtures.listingHeader(dir) + dir + "\n\n")
    }

    @Test func hiddenDirectoryCanItselfBeListed() async throws {
        let box = try EditSandbox()
        let dir = try box.mkdir(".config")
        try box.write(".config/app.toml", "")
        #expect(try await EditTool().output(["command": "view", "path": .string(dir)], in: box)
            == EditFixtures.listingHeader(dir) + "\(dir)\n\(dir)/app.toml\n\n")
    }

    @Test func directoryViewRefusesAViewRange() async throws {
        let box = try EditSandbox()
        #expect(await EditTool().failure(["command": "view", "path": .string(box.path), "view_range": [1, 2]], in: box)
            == "The `view_range` parameter is not allowed when `path` points to a directory.")
    }

    @Test func directoryListingIsClipped() async throws {
        let box = try EditSandbox()
        let dir = try box.mkdir("d")
        try box.write("d/file.txt", "")
        let stdout = "\(dir)\n\(dir)/file.txt\n"
        let limit = dir.unicodeScalars.count + 3
        let clipped = String(stdout.unicodeScalars.prefix(limit)) + EditFixtures.clippedNote
        #expect(try await EditTool(maxCharacters: limit).output(["command": "view", "path": .string(dir)], in: box)
            == EditFixtures.listingHeader(dir) + clipped + "\n")
    }

    @Test(.enabled(if: geteuid() != 0, "root can read anything"))
    func unreadableSubdirectoryGivesFindsError() async throws {
        let box = try EditSandbox()
        let dir = try box.mkdir("d")
        let locked = try box.mkdir("d/locked")
        try FileManager.default.setAttributes([.posixPermissions: 0o000], ofItemAtPath: locked)
        defer { try? FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: locked) }
        let result = try await EditTool().run(["command": "view", "path": .string(dir)], context: box.context)
        #expect(result.output == "\(dir)\n\(locked)\n")
        #expect(result.error == "find: '\(locked)': Permission denied")
    }
}
