#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Reading and writing the files the editor works on, with the reference's text-mode semantics and
/// its error messages (reference §6.4 "I/O errors").
enum TextFile {
    /// A file read as text.
    struct Contents: Sendable {
        /// The bytes on disk, kept so `undo_edit` can restore them exactly.
        var bytes: [UInt8]
        /// The text as Python's `read_text()` returns it: UTF-8 with universal newlines (`"\r\n"` and
        /// a lone `"\r"` both read as `"\n"`).
        var text: String
        /// Whether every line ending on disk is `"\r\n"`; edits then write `"\r\n"` back instead of
        /// turning the file into `"\n"` endings as the reference does.
        var usesCRLF: Bool
    }

    /// Reads the file at `path.real`.
    /// - Throws: `ToolError("Ran into {e} while trying to read {path}")`, where `{e}` is the text of
    ///   the `OSError` or `UnicodeDecodeError` Python would raise.
    static func load(_ path: EditPath) throws -> Contents {
        let bytes: [UInt8]
        do {
            bytes = try readBytes(path.real, name: path.display)
        } catch {
            throw ToolError("Ran into \(error.message) while trying to read \(path.display)")
        }
        if let problem = PythonUTF8.decodingError(in: bytes) {
            throw ToolError("Ran into \(problem) while trying to read \(path.display)")
        }
        let (translated, usesCRLF) = universalNewlines(bytes)
        return Contents(bytes: bytes, text: String(decoding: translated, as: UTF8.self), usesCRLF: usesCRLF)
    }

    /// Writes `text` to `path.real`, turning `"\n"` into `"\r\n"` when `crlf` is set, and returns the
    /// bytes written.
    @discardableResult
    static func save(_ text: String, crlf: Bool = false, to path: EditPath) throws -> [UInt8] {
        var bytes: [UInt8] = []
        if crlf {
            bytes.reserveCapacity(text.utf8.count)
            for byte in text.utf8 {
                if byte == UInt8(ascii: "\n") { bytes.append(UInt8(ascii: "\r")) }
                bytes.append(byte)
            }
        } else {
            bytes = Array(text.utf8)
        }
        try save(bytes: bytes, to: path)
        return bytes
    }

    /// Writes `bytes` to `path.real` like Python's `write_text()`: the file is opened for writing,
    /// created with mode 0666 minus the umask when missing, truncated in place otherwise (so its
    /// permissions, owner and links are kept); parent directories are not created.
    /// - Throws: `ToolError("Ran into {e} while trying to write to {path}")`.
    static func save(bytes: [UInt8], to path: EditPath) throws {
        do {
            try writeBytes(bytes, to: path.real, name: path.display)
        } catch {
            throw ToolError("Ran into \(error.message) while trying to write to \(path.display)")
        }
    }

    // MARK: - System calls

    /// An `OSError` as Python prints it: `[Errno 2] No such file or directory: '/x'`.
    private struct OSError: Error {
        var message: String
        init(errno code: Int32, name: String?) {
            var text = "[Errno \(code)] \(String(cString: strerror(code)))"
            if let name { text += ": " + PythonText.repr(name) }
            message = text
        }
    }

    private static func readBytes(_ real: String, name: String) throws(OSError) -> [UInt8] {
        let fd = open(real, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw OSError(errno: errno, name: name) }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                // Python opens before it reads, so a failed read (a directory, say) names the file.
                throw OSError(errno: errno, name: name)
            }
            if count == 0 { return bytes }
            bytes.append(contentsOf: chunk[0..<count])
        }
    }

    private static func writeBytes(_ bytes: [UInt8], to real: String, name: String) throws(OSError) {
        let fd = open(real, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o666)
        guard fd >= 0 else { throw OSError(errno: errno, name: name) }
        var written = 0
        while written < bytes.count {
            let count = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + written, bytes.count - written) }
            if count < 0 {
                if errno == EINTR { continue }
                let code = errno
                close(fd)
                // Python's write() error carries no file name.
                throw OSError(errno: code, name: nil)
            }
            written += count
        }
        if close(fd) != 0 && errno != EINTR { throw OSError(errno: errno, name: nil) }
    }

    /// Translates `"\r\n"` and lone `"\r"` to `"\n"` (Python's universal newlines) and tells whether
    /// the file used `"\r\n"` for every line ending.
    static func universalNewlines(_ bytes: [UInt8]) -> (bytes: [UInt8], usesCRLF: Bool) {
        let cr = UInt8(ascii: "\r"), lf = UInt8(ascii: "\n")
        guard bytes.contains(cr) else { return (bytes, false) }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var crlf = 0, other = 0
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == cr {
                out.append(lf)
                if index + 1 < bytes.count && bytes[index + 1] == lf {
                    crlf += 1
                    index += 2
                    continue
                }
                other += 1
            } else {
                if byte == lf { other += 1 }
                out.append(byte)
            }
            index += 1
        }
        return (out, crlf > 0 && other == 0)
    }
}
