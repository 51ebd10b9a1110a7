import Testing
@testable import AgentCore

/// The Python-compatible text helpers behind the editor's messages; the expected strings were
/// produced by CPython.
@Suite struct EditToolTextTests {
    @Test(arguments: [
        ([0x61, 0xFF], "'utf-8' codec can't decode byte 0xff in position 1: invalid start byte"),
        ([0xE2, 0x82, 0x41], "'utf-8' codec can't decode bytes in position 0-1: invalid continuation byte"),
        ([0xE2, 0x41], "'utf-8' codec can't decode byte 0xe2 in position 0: invalid continuation byte"),
        ([0x61, 0x62, 0x63, 0xE2, 0x82], "'utf-8' codec can't decode bytes in position 3-4: unexpected end of data"),
        ([0xE2], "'utf-8' codec can't decode byte 0xe2 in position 0: unexpected end of data"),
        ([0xE0, 0x80, 0x80], "'utf-8' codec can't decode byte 0xe0 in position 0: invalid continuation byte"),
        ([0xED, 0xA0, 0x80], "'utf-8' codec can't decode byte 0xed in position 0: invalid continuation byte"),
        ([0xF0, 0x8F, 0x80, 0x80], "'utf-8' codec can't decode byte 0xf0 in position 0: invalid continuation byte"),
        ([0xF4, 0x90, 0x80, 0x80], "'utf-8' codec can't decode byte 0xf4 in position 0: invalid continuation byte"),
        ([0xF0, 0x9F, 0x98], "'utf-8' codec can't decode bytes in position 0-2: unexpected end of data"),
        ([0xF0, 0x9F, 0x41], "'utf-8' codec can't decode bytes in position 0-1: invalid continuation byte"),
        ([0xC0, 0xAF], "'utf-8' codec can't decode byte 0xc0 in position 0: invalid start byte"),
        ([0x80], "'utf-8' codec can't decode byte 0x80 in position 0: invalid start byte"),
        ([0xE0, 0x80], "'utf-8' codec can't decode byte 0xe0 in position 0: invalid continuation byte"),
        ([0xF0, 0x9F, 0x98, 0x41], "'utf-8' codec can't decode bytes in position 0-2: invalid continuation byte"),
    ] as [([UInt8], String)])
    func decodingErrorsMatchPython(bytes: [UInt8], message: String) {
        #expect(PythonUTF8.decodingError(in: bytes) == message)
    }

    @Test func validUTF8HasNoError() {
        #expect(PythonUTF8.decodingError(in: [0xEF, 0xBB, 0xBF, 0x6F, 0x6B]) == nil)
        #expect(PythonUTF8.decodingError(in: Array("héllo 😀 \u{10FFFF}".utf8)) == nil)
        #expect(PythonUTF8.decodingError(in: []) == nil)
    }

    @Test func expandTabsMatchesPython() {
        #expect(PythonText.expandTabs("\t\t\tX") == String(repeating: " ", count: 24) + "X")
        #expect(PythonText.expandTabs("ab\tc\r\td\n\te") == "ab      c\r        d\n        e")
        #expect(PythonText.expandTabs("é\t|") == "é       |")
        #expect(PythonText.expandTabs("no tabs") == "no tabs")
    }

    @Test func linesSplitOnNewlineScalarsOnly() {
        #expect(PythonText.lines("a\r\nb\n\u{301}c\n") == ["a\r", "b", "\u{301}c", ""])
        #expect(PythonText.lines("") == [""])
    }

    @Test func countIsNonOverlapping() {
        #expect(PythonText.count(of: "aa", in: "aaaaa") == 2)
        #expect(PythonText.count(of: "", in: "héllo") == 6)
        #expect(PythonText.count(of: "x", in: "") == 0)
        #expect(PythonText.firstOffset(of: "lo", in: "héllo") == 4)
        #expect(PythonText.contains("", in: ""))
    }

    @Test func truncationCountsCodePoints() {
        #expect(FileView.truncate("abcdef", limit: 3) == "abc" + EditFixtures.clippedNote)
        #expect(FileView.truncate("abc", limit: 3) == "abc")
        #expect(FileView.truncate("😀😀😀😀", limit: 3) == "😀😀😀" + EditFixtures.clippedNote)
        #expect(FileView.truncate("abcdef", limit: 0) == "abcdef")
        #expect(FileView.truncatedMessage == EditFixtures.clippedNote)
    }
}
