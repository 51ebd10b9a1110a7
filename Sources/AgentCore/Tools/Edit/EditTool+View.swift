#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

extension EditTool {
    /// `view`: a directory listing, or a file (or a range of its lines) rendered as `cat -n`
    /// (reference §6.4 "view").
    func view(_ path: EditPath, range: JSONValue?) throws -> ToolOutput {
        let wantsRange = range.map(Self.isTruthy) ?? false
        var info = stat()
        if stat(path.real, &info) == 0 && info.st_mode & S_IFMT == S_IFDIR {
            guard !wantsRange else {
                throw ToolError("The `view_range` parameter is not allowed when `path` points to a directory.")
            }
            let listing = DirectoryListing(real: path.real, display: path.display)
            // reference §6.4 Truncation: `run` clips the command's stdout before it is framed.
            let stdout = FileView.truncate(listing.output, limit: viewLimit)
            guard listing.errors.isEmpty else {
                // The reference returns find's stdout unframed, with its stderr as the error.
                return ToolOutput(output: stdout, error: listing.errors.joined(separator: "\n"))
            }
            return ToolOutput(
                output: "Here's the files and directories up to 2 levels deep in \(path.display), excluding hidden "
                    + "items:\n\(stdout)\n")
        }

        var content = try TextFile.load(path).text
        var initLine = 1
        if wantsRange, let range {
            // reference §6.4 view_range: exactly two integers.
            guard case .array(let items) = range, items.count == 2, case .int(let start) = items[0],
                case .int(let end) = items[1]
            else {
                throw ToolError("Invalid `view_range`. It should be a list of two integers.")
            }
            let lines = PythonText.lines(content)
            let count = lines.count
            let shown = PythonText.repr([start, end])
            if start < 1 || start > count {
                throw ToolError(
                    "Invalid `view_range`: \(shown). Its first element `\(start)` should be within the range of lines "
                        + "of the file: \(PythonText.repr([1, count]))")
            }
            if end > count {
                throw ToolError(
                    "Invalid `view_range`: \(shown). Its second element `\(end)` should be smaller than the number of "
                        + "lines in the file: `\(count)`")
            }
            if end != -1 && end < start {
                throw ToolError(
                    "Invalid `view_range`: \(shown). Its second element `\(end)` should be larger or equal than its "
                        + "first `\(start)`")
            }
            // reference §6.4: `end = -1` means to the end of the file.
            content = PythonText.joinLines(lines[(start - 1)..<(end == -1 ? count : end)])
            initLine = start
        }
        return ToolOutput(
            output: FileView.catN(content, descriptor: path.display, initLine: initLine, limit: viewLimit))
    }

    /// Python truthiness, which the reference applies to `view_range` (`if view_range:`): null, false,
    /// zero, and empty strings, arrays and objects count as absent.
    static func isTruthy(_ value: JSONValue) -> Bool {
        switch value {
        case .null: false
        case .bool(let flag): flag
        case .int(let number): number != 0
        case .double(let number): number != 0
        case .string(let text): !text.isEmpty
        case .array(let items): !items.isEmpty
        case .object(let members): !members.isEmpty
        }
    }
}
