import Foundation
import Testing
@testable import AgentCore

/// Versions, definitions, command dispatch and the reference's path checks (reference §5.1, §5.4, §6.4).
@Suite struct EditToolTests {
    // MARK: - Versions and definitions

    @Test func versionsHaveTheAPITypeStrings() {
        #expect(EditorVersion.allCases.map(\.rawValue) == [
            "text_editor_20241022", "text_editor_20250124", "text_editor_20250429", "text_editor_20250728",
        ])
        #expect(EditorVersion(rawValue: "text_editor_20250728") == .v20250728)
        #expect(EditorVersion(rawValue: "str_replace_based_edit_tool") == nil)
    }

    @Test func versionsNameTheirToolAndCommands() {
        #expect(EditorVersion.v20241022.toolName == "str_replace_editor")
        #expect(EditorVersion.v20250124.toolName == "str_replace_editor")
        #expect(EditorVersion.v20250429.toolName == "str_replace_based_edit_tool")
        #expect(EditorVersion.v20250728.toolName == "str_replace_based_edit_tool")
        #expect(EditorVersion.allCases.map(\.supportsUndo) == [true, true, false, false])
        #expect(EditorVersion.allCases.map(\.supportsMaxCharacters) == [false, false, false, true])
        #expect(EditorVersion.v20241022.commands == ["view", "create", "str_replace", "insert", "undo_edit"])
        #expect(EditorVersion.v20250124.commands == ["view", "create", "str_replace", "insert", "undo_edit"])
        #expect(EditorVersion.v20250429.commands == ["view", "create", "str_replace", "insert"])
        #expect(EditorVersion.v20250728.commands == ["view", "create", "str_replace", "insert"])
        #expect(EditorVersion.allCases.map(\.insertTextParameter) == ["new_str", "new_str", "new_str", "insert_text"])
    }

    @Test func definitionsMatchTheReference() {
        #expect(EditTool(version: .v20241022).definition.serialized()
            == #"{"name":"str_replace_editor","type":"text_editor_20241022"}"#)
        #expect(EditTool(version: .v20250124).definition.serialized()
            == #"{"name":"str_replace_editor","type":"text_editor_20250124"}"#)
        #expect(EditTool(version: .v20250429).definition.serialized()
            == #"{"name":"str_replace_based_edit_tool","type":"text_editor_20250429"}"#)
        #expect(EditTool().definition.serialized()
            == #"{"name":"str_replace_based_edit_tool","type":"text_editor_20250728"}"#)
        #expect(EditTool(maxCharacters: 10000).definition.serialized()
            == #"{"max_characters":10000,"name":"str_replace_based_edit_tool","type":"text_editor_20250728"}"#)
        // max_characters exists on 20250728 only (reference §5.1).
        #expect(EditTool(version: .v20250429, maxCharacters: 10000).definition["max_characters"] == nil)
        #expect(EditTool(version: .v20241022, maxCharacters: 10000).definition["max_characters"] == nil)
    }

    @Test func nameIsTheVersionsToolName() {
        for version in EditorVersion.allCases {
            #expect(EditTool(version: version).name == version.toolName)
        }
        #expect(EditTool().version == .v20250728)
        #expect(EditTool().maxCharacters == nil)
        #expect(EditTool().root == nil)
    }

    // MARK: - Dispatch

    @Test func unrecognizedCommandListsTheVersionsCommands() async throws {
        let box = try EditSandbox()
        let file = try box.write("a.txt", "x")
        for version in [EditorVersion.v20241022, .v20250124] {
            #expect(await EditTool(version: version).failure(["command": "delete", "path": .string(file)], in: box)
                == "Unrecognized command delete. The allowed commands for the str_replace_editor tool are: "
                + "view, create, str_replace, insert, undo_edit")
        }
        for version in [EditorVersion.v20250429, .v20250728] {
            #expect(await EditTool(version: version).failure(["command": "delete", "path": .string(file)], in: box)
                == "Unrecognized command delete. The allowed commands for the str_replace_based_edit_tool tool are: "
                + "view, create, str_replace, insert")
        }
    }

    @Test func undoEditIsUnrecognizedInTheNewerVersions() async throws {
        let box = try EditSandbox()
        let file = try box.write("a.txt", "x")
        for version in [EditorVersion.v20250429, .v20250728] {
            #expect(await EditTool(version: version).failure(["command": "undo_edit", "path": .string(file)], in: box)
                == "Unrecognized command undo_edit. The allowed commands for the str_replace_based_edit_tool tool "
                + "are: view, create, str_replace, insert")
        }
    }

    @Test func everyVersionRunsItsCommands() async throws {
        for version in EditorVersion.allCases {
            let box = try EditSandbox()
            let tool = EditTool(version: version)
            let file = box.at("f.txt")
            #expect(try await tool.output(["command": "create", "path": .string(file), "file_text": "a\nb"], in: box)
                == "File created successfully at: \(file)")
            #expect(try await tool.output(["command": "view", "path": .string(file)], in: box)
                == EditFixtures.catHeader(file) + "     1\ta\n     2\tb\n")
            _ = try await tool.output(
                ["command": "str_replace", "path": .string(file), "old_str": "b", "new_str": "c"], in: box)
            _ = try await tool.output(
                ["command": "insert", "path": .string(file), "insert_line": 0, "new_str": "top"], in: box)
            #expect(try box.read(file) == "top\na\nc")
            if version.supportsUndo {
                _ = try await tool.output(["command": "undo_edit", "path": .string(file)], in: box)
                #expect(try box.read(file) == "a\nc")
            }
        }
    }

    @Test func pathIsCheckedBeforeTheCommand() async throws {
        let box = try EditSandbox()
        let missing = box.at("missing.txt")
        #expect(await EditTool().failure(["command": "delete", "path": .string(missing)], in: box)
            == "The path \(missing) does not exist. Please provide a valid path.")
        #expect(await EditTool().failure(["command": "delete", "path": .string(box.path)], in: box)
            == "The path \(box.path) is a directory and only the `view` command can be used on directories")
    }

    @Test func missingCommandOrPathIsAnError() async throws {
        let box = try EditSandbox()
        #expect(await EditTool().failure(["path": .string(box.path)], in: box) == "Parameter `command` is required.")
        #expect(await EditTool().failure(["command": .null, "path": .string(box.path)], in: box)
            == "Parameter `command` is required.")
        #expect(await EditTool().failure(["command": "view"], in: box)
            == "Parameter `path` is required for command: view")
        #expect(await EditTool().failure(["command": "view", "path": 3], in: box)
            == "Parameter `path` is required for command: view")
    }

    // MARK: - Path checks (reference §6.4)

    @Test func relativePathSuggestsTheAbsoluteOne() async throws {
        let box = try EditSandbox()
        // The demo echoed the relative path; the fix prefixes `/`.
        #expect(await EditTool().failure(["command": "view", "path": "work/a.txt"], in: box)
            == "The path work/a.txt is not an absolute path, it should start with `/`. Maybe you meant /work/a.txt?")
        // pathlib normalization: `./` and a trailing slash go away.
        #expect(await EditTool().failure(["command": "create", "path": "./notes//todo.md/", "file_text": ""], in: box)
            == "The path notes/todo.md is not an absolute path, it should start with `/`. Maybe you meant "
            + "/notes/todo.md?")
        #expect(await EditTool().failure(["command": "view", "path": ""], in: box)
            == "The path . is not an absolute path, it should start with `/`. Maybe you meant /.?")
    }

    @Test func missingPathIsReportedForEveryCommandButCreate() async throws {
        let box = try EditSandbox()
        let missing = box.at("nope.txt")
        let message = "The path \(missing) does not exist. Please provide a valid path."
        let tool = EditTool(version: .v20241022)
        #expect(await tool.failure(["command": "view", "path": .string(missing)], in: box) == message)
        #expect(await tool.failure(["command": "str_replace", "path": .string(missing), "old_str": "a"], in: box)
            == message)
        #expect(await tool.failure(
            ["command": "insert", "path": .string(missing), "insert_line": 0, "new_str": "a"], in: box) == message)
        #expect(await tool.failure(["command": "undo_edit", "path": .string(missing)], in: box) == message)
    }

    @Test func createRefusesAnExistingPath() async throws {
        let box = try EditSandbox()
        let file = try box.write("a.txt", "keep")
        #expect(await EditTool().failure(["command": "create", "path": .string(file), "file_text": "new"], in: box)
            == "File already exists at: \(file). Cannot overwrite files using command `create`.")
        #expect(try box.read(file) == "keep")
        #expect(await EditTool().failure(["command": "create", "path": .string(box.path), "file_text": "x"], in: box)
            == "File already exists at: \(box.path). Cannot overwrite files using command `create`.")
    }

    @Test func directoriesOnlyAllowView() async throws {
        let box = try EditSandbox()
        let dir = try box.mkdir("d")
        let message = "The path \(dir) is a directory and only the `view` command can be used on directories"
        let tool = EditTool(version: .v20250124)
        #expect(await tool.failure(["command": "str_replace", "path": .string(dir), "old_str": "a"], in: box)
            == message)
        #expect(await tool.failure(["command": "insert", "path": .string(dir), "insert_line": 0, "new_str": "a"],
            in: box) == message)
        #expect(await tool.failure(["command": "undo_edit", "path": .string(dir)], in: box) == message)
    }

    @Test func pathsArePrintedTheWayPathlibPrintsThem() async throws {
        let box = try EditSandbox()
        let file = try box.write("a.txt", "x")
        let messy = box.path + "//./a.txt/"
        #expect(try await EditTool().output(["command": "view", "path": .string(messy)], in: box)
            == EditFixtures.catHeader(file) + "     1\tx\n")
        // `..` is kept in the printed path, as pathlib keeps it.
        try box.mkdir("sub")
        let dotted = box.path + "/sub/../a.txt"
        #expect(try await EditTool().output(["command": "view", "path": .string(dotted)], in: box)
            == EditFixtures.catHeader(dotted) + "     1\tx\n")
    }

    @Test func displayNormalizationFollowsPurePosixPath() {
        #expect(EditPath.display("//a//b/./c/") == "//a/b/c")
        #expect(EditPath.display("///a") == "/a")
        #expect(EditPath.display("") == ".")
        #expect(EditPath.display("./x/") == "x")
        #expect(EditPath.display("a/../b") == "a/../b")
        #expect(EditPath.display("/") == "/")
    }
}
