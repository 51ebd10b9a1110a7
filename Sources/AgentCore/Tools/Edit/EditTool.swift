#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Anthropic's text editor tool (`str_replace_editor` / `str_replace_based_edit_tool`), every version,
/// with the output and error texts of Anthropic's reference demo (reference §5.4, §6.4).
///
/// Commands: `view` (a file as `cat -n`, or a directory two levels deep), `create`, `str_replace`,
/// `insert`, and `undo_edit` in the two older versions. Failures are thrown as `ToolError` with the
/// reference's message. Unlike the demo, the tool
/// - reads `insert_text` for `insert` and falls back to `new_str`, in every version;
/// - clips `view` output at `max_characters` when it is set;
/// - suggests `/{path}` for a relative path;
/// - can be confined to a `root` directory, symlinks and `..` included;
/// - keeps tabs on lines an edit does not touch, and `"\r\n"` line endings, and undoes byte for byte.
///
/// The edit history that `undo_edit` pops lives in an actor created by `init`, so every call made
/// through one `EditTool` value (or a copy of it) shares one history.
///
/// ```swift
/// let editor = EditTool(version: .v20250728, maxCharacters: 10_000, root: "/work")
/// let context = ToolContext(sessionID: "s1", workingDirectory: "/work")
/// let result = try await editor.run(["command": "view", "path": "/work/README.md"], context: context)
/// ```
public struct EditTool: Tool {
    /// The editor version: its `type`, its name and its commands.
    public let version: EditorVersion
    /// The `max_characters` limit for `view` output, or nil for the reference's 16000. It is sent in
    /// the definition only for `text_editor_20250728`, but honoured by every version.
    public let maxCharacters: Int?
    /// The directory every path must resolve into, or nil for no confinement.
    public let root: String?
    /// The edit history shared by all calls made through this value.
    let history: EditHistory

    /// Creates an editor.
    /// - Parameters:
    ///   - version: Which `text_editor_*` tool to be; the newest by default.
    ///   - maxCharacters: Clip `view` output after this many characters; nil (or a value below 1)
    ///     keeps the reference's 16000.
    ///   - root: When set, a path that resolves outside this directory (after `..` is applied and
    ///     the symlinks of its existing part are followed) is refused. A relative root is taken
    ///     against the process's current directory.
    public init(version: EditorVersion = .v20250728, maxCharacters: Int? = nil, root: String? = nil) {
        self.version = version
        self.maxCharacters = maxCharacters
        self.root = root
        self.history = EditHistory()
    }

    /// `str_replace_editor` for the two older versions, `str_replace_based_edit_tool` after them.
    public var name: String { version.toolName }

    /// `{"type": <version>, "name": <name>}`, plus `max_characters` for `text_editor_20250728` when
    /// set (reference §5.1).
    public var definition: JSONValue {
        var members: [String: JSONValue] = ["type": .string(version.rawValue), "name": .string(name)]
        if version.supportsMaxCharacters, let maxCharacters { members["max_characters"] = .int(maxCharacters) }
        return .object(members)
    }

    /// Runs one command.
    /// - Throws: `ToolError` with the reference's message for every failure the model should see.
    public func run(_ input: JSONValue, context: ToolContext) async throws -> ToolOutput {
        guard let commandValue = input["command"], !commandValue.isNull else {
            throw ToolError("Parameter `command` is required.")
        }
        let command = commandValue.stringValue ?? commandValue.serialized()
        guard let rawPath = input["path"]?.stringValue else {
            throw ToolError("Parameter `path` is required for command: \(command)")
        }
        // reference §6.4: the path is checked before the command is dispatched.
        let path = try validate(command: command, rawPath: rawPath)
        switch command {
        case "view":
            return try view(path, range: input["view_range"])
        case "create":
            return try await create(path, input: input)
        case "str_replace":
            return try await strReplace(path, input: input)
        case "insert":
            return try await insert(path, input: input)
        case "undo_edit" where version.supportsUndo:
            return try await undoEdit(path)
        default:
            // reference §6.4 "Other commands": the list is the version's own.
            throw ToolError(
                "Unrecognized command \(command). The allowed commands for the \(name) tool are: "
                    + version.commands.joined(separator: ", "))
        }
    }

    /// The reference's path checks, in its order (reference §6.4 "Path checks"), with the root check
    /// after the absolute-path check so nothing outside the root is even looked at.
    func validate(command: String, rawPath: String) throws -> EditPath {
        let display = EditPath.display(rawPath)
        // reference §6.4 check 1, with the fixed suggestion: prefix `/` instead of echoing the path.
        guard display.hasPrefix("/") else {
            throw ToolError(
                "The path \(display) is not an absolute path, it should start with `/`. Maybe you meant /\(display)?")
        }
        let path = EditPath(display: display, real: EditPath.resolve(display))
        if let root {
            let absoluteRoot = root.hasPrefix("/") ? root : Self.currentDirectory() + "/" + root
            let realRoot = EditPath.lexical(EditPath.resolve(absoluteRoot))
            guard EditPath.isInside(EditPath.lexical(path.real), root: realRoot) else {
                throw ToolError("The path \(display) is outside the allowed root \(EditPath.display(root)).")
            }
        }
        var info = stat()
        let exists = stat(path.real, &info) == 0
        // reference §6.4 checks 2 and 3.
        if !exists && command != "create" {
            throw ToolError("The path \(display) does not exist. Please provide a valid path.")
        }
        if exists && command == "create" {
            throw ToolError("File already exists at: \(display). Cannot overwrite files using command `create`.")
        }
        // reference §6.4 check 4.
        if exists && info.st_mode & S_IFMT == S_IFDIR && command != "view" {
            throw ToolError(
                "The path \(display) is a directory and only the `view` command can be used on directories")
        }
        return path
    }

    /// The process's current directory, against which a relative root is taken.
    private static func currentDirectory() -> String {
        guard let pointer = getcwd(nil, 0) else { return "/" }
        defer { free(pointer) }
        return String(cString: pointer)
    }

    /// The limit `view` clips at: `max_characters` when set (reference §5.1, a fix of §6.4), else 16000.
    var viewLimit: Int {
        if let maxCharacters, maxCharacters > 0 { return maxCharacters }
        return FileView.maxResponseLength
    }
}
