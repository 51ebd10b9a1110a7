import Foundation
import Testing
@testable import AgentCore

/// `undo_edit` and the shared edit history (reference §6.4 "undo_edit").
@Suite struct EditToolUndoTests {
    @Test func undoRestoresEachEditInTurn() async throws {
        let box = try EditSandbox()
        let tool = EditTool(version: .v20241022)
        let file = box.at("f.txt")
        _ = try await tool.output(["command": "create", "path": .string(file), "file_text": "one\ntwo"], in: box)
        _ = try await tool.output(
            ["command": "str_replace", "path": .string(file), "old_str": "two", "new_str": "2"], in: box)
        _ = try await tool.output(["command": "insert", "path": .string(file), "insert_line": 0, "new_str": "zero"],
            in: box)
        #expect(try box.read(file) == "zero\none\n2")

        #expect(try await tool.output(["command": "undo_edit", "path": .string(file)], in: box)
            == "Last edit to \(file) undone successfully. " + EditFixtures.catHeader(file) + "     1\tone\n     2\t2\n")
        #expect(try box.read(file) == "one\n2")
        #expect(try await tool.output(["command": "undo_edit", "path": .string(file)], in: box)
            == "Last edit to \(file) undone successfully. " + EditFixtures.catHeader(file)
            + "     1\tone\n     2\ttwo\n")
        #expect(try box.read(file) == "one\ntwo")
        // As in the reference, `create` records the created text, so one more undo writes it again.
        #expect(try await tool.output(["command": "undo_edit", "path": .string(file)], in: box)
            == "Last edit to \(file) undone successfully. " + EditFixtures.catHeader(file)
            + "     1\tone\n     2\ttwo\n")
        #expect(try box.read(file) == "one\ntwo")
        #expect(await tool.failure(["command": "undo_edit", "path": .string(file)], in: box)
            == "No edit history found for \(file).")
    }

    @Test func undoWithoutHistoryIsAnError() async throws {
        let box = try EditSandbox()
        let file = try box.write("f.txt", "x")
        #expect(await EditTool(version: .v20250124).failure(["command": "undo_edit", "path": .string(file)], in: box)
            == "No edit history found for \(file).")
    }

    @Test func undoRestoresTheExactBytes() async throws {
        let box = try EditSandbox()
        let original = Array("\tindented\r\nmixed\nend\r\n".utf8)
        let file = try box.write("f.txt", bytes: original)
        let tool = EditTool(version: .v20250124)
        _ = try await tool.output(
            ["command": "str_replace", "path": .string(file), "old_str": "mixed", "new_str": "MIXED"], in: box)
        #expect(try box.bytes(file) == Array("\tindented\nMIXED\nend\n".utf8))
        // The undo output renders the saved text (tabs expanded, newlines universal), as the reference does.
        #expect(try await tool.output(["command": "undo_edit", "path": .string(file)], in: box)
            == "Last edit to \(file) undone successfully. " + EditFixtures.catHeader(file)
            + "     1\t        indented\n     2\tmixed\n     3\tend\n     4\t\n")
        #expect(try box.bytes(file) == original)
    }

    @Test func historyIsSharedByCopiesButNotBySeparateTools() async throws {
        let box = try EditSandbox()
        let file = try box.write("f.txt", "a")
        let tool = EditTool(version: .v20241022)
        let copy = tool
        _ = try await tool.output(["command": "str_replace", "path": .string(file), "old_str": "a", "new_str": "b"],
            in: box)
        #expect(await EditTool(version: .v20241022).failure(["command": "undo_edit", "path": .string(file)], in: box)
            == "No edit history found for \(file).")
        _ = try await copy.output(["command": "undo_edit", "path": .string(file)], in: box)
        #expect(try box.read(file) == "a")
    }

    @Test func historyFollowsTheFileNotTheSpelling() async throws {
        let box = try EditSandbox()
        let file = try box.write("f.txt", "a")
        try box.mkdir("sub")
        let tool = EditTool(version: .v20241022)
        _ = try await tool.output(
            ["command": "str_replace", "path": .string(box.path + "/sub/../f.txt"), "old_str": "a", "new_str": "b"],
            in: box)
        _ = try await tool.output(["command": "undo_edit", "path": .string(file)], in: box)
        #expect(try box.read(file) == "a")
    }

    @Test func failedEditsRecordNothing() async throws {
        let box = try EditSandbox()
        let file = try box.write("f.txt", "a a")
        let tool = EditTool(version: .v20241022)
        _ = await tool.failure(["command": "str_replace", "path": .string(file), "old_str": "a", "new_str": "b"],
            in: box)
        _ = await tool.failure(["command": "insert", "path": .string(file), "insert_line": 9, "new_str": "b"], in: box)
        #expect(await tool.history.count(for: file) == 0)
        #expect(await tool.failure(["command": "undo_edit", "path": .string(file)], in: box)
            == "No edit history found for \(file).")
    }

    @Test func versionsWithoutUndoKeepNoHistory() async throws {
        let box = try EditSandbox()
        let file = box.at("f.txt")
        for version in [EditorVersion.v20250429, .v20250728] {
            let tool = EditTool(version: version)
            _ = try await tool.output(["command": "create", "path": .string(file), "file_text": "a"], in: box)
            _ = try await tool.output(
                ["command": "str_replace", "path": .string(file), "old_str": "a", "new_str": "b"], in: box)
            #expect(await tool.history.count(for: file) == 0)
            try FileManager.default.removeItem(atPath: file)
        }
        let old = EditTool(version: .v20241022)
        _ = try await old.output(["command": "create", "path": .string(file), "file_text": "a"], in: box)
        #expect(await old.history.count(for: file) == 1)
    }
}
