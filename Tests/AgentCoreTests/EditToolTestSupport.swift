import Foundation
import Testing
@testable import AgentCore

/// A fresh temporary directory for one test, removed when the value goes away.
final class EditSandbox {
    /// The directory, with symlinks resolved so expected messages match the tool's paths.
    let path: String

    init() throws {
        let base = URL(fileURLWithPath: NSTemporaryDirectory()).resolvingSymlinksInPath().path
        path = base + "/edit-tool-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    /// The absolute path of `relative` inside the sandbox.
    func at(_ relative: String) -> String { path + "/" + relative }

    /// Writes `text` (UTF-8) to `relative`, creating parent directories.
    @discardableResult
    func write(_ relative: String, _ text: String) throws -> String {
        try write(relative, bytes: Array(text.utf8))
    }

    /// Writes raw bytes to `relative`, creating parent directories.
    @discardableResult
    func write(_ relative: String, bytes: [UInt8]) throws -> String {
        let full = at(relative)
        let parent = (full as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true)
        try Data(bytes).write(to: URL(fileURLWithPath: full))
        return full
    }

    /// Creates the directory `relative` and its parents.
    @discardableResult
    func mkdir(_ relative: String) throws -> String {
        let full = at(relative)
        try FileManager.default.createDirectory(atPath: full, withIntermediateDirectories: true)
        return full
    }

    /// Creates a symlink at `relative` pointing to `destination` (kept verbatim).
    @discardableResult
    func symlink(_ relative: String, to destination: String) throws -> String {
        let full = at(relative)
        try FileManager.default.createSymbolicLink(atPath: full, withDestinationPath: destination)
        return full
    }

    /// The text of the file at `full`.
    func read(_ full: String) throws -> String {
        String(decoding: try bytes(full), as: UTF8.self)
    }

    /// The bytes of the file at `full`.
    func bytes(_ full: String) throws -> [UInt8] {
        Array(try Data(contentsOf: URL(fileURLWithPath: full)))
    }

    func exists(_ full: String) -> Bool { FileManager.default.fileExists(atPath: full) }

    var context: ToolContext { ToolContext(sessionID: "edit-test", workingDirectory: path) }
}

extension EditTool {
    /// Runs `input` and returns the output text, failing the test on an error result.
    func output(_ input: JSONValue, in sandbox: EditSandbox) async throws -> String {
        let result = try await run(input, context: sandbox.context)
        #expect(result.error == nil)
        return result.output ?? ""
    }

    /// Runs `input`, which must throw a `ToolError`, and returns its message.
    func failure(_ input: JSONValue, in sandbox: EditSandbox, sourceLocation: SourceLocation = #_sourceLocation)
        async -> String?
    {
        do {
            let result = try await run(input, context: sandbox.context)
            Issue.record("expected a ToolError, got \(result)", sourceLocation: sourceLocation)
            return nil
        } catch let error as ToolError {
            return error.message
        } catch {
            Issue.record("expected a ToolError, got \(error)", sourceLocation: sourceLocation)
            return nil
        }
    }
}

/// Texts the reference prints, shared by the editor tests.
enum EditFixtures {
    /// The reference's `cat -n` header.
    static func catHeader(_ descriptor: String) -> String {
        "Here's the result of running `cat -n` on \(descriptor):\n"
    }

    /// Ten lines `line 1` … `line 10`, each ending with a newline.
    static let tenLines = (1...10).map { "line \($0)\n" }.joined()

    /// The reference's clipping note.
    static let clippedNote =
        "<response clipped><NOTE>To save on context only part of this file has been shown to you. You should retry "
        + "this tool after you have searched inside the file with `grep -n` in order to find the line numbers of "
        + "what you are looking for.</NOTE>"

    /// The directory listing header.
    static func listingHeader(_ path: String) -> String {
        "Here's the files and directories up to 2 levels deep in \(path), excluding hidden items:\n"
    }
}
