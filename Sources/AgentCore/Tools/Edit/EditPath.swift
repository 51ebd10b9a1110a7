#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A path the editor was asked to work on: how the reference would print it, and the physical path
/// the editor actually opens.
struct EditPath: Sendable, Hashable {
    /// The path as Python's `pathlib.Path` prints it; every message uses this form.
    var display: String
    /// The path with symlinks of its existing part resolved and `..` applied; files are opened here
    /// and the edit history is keyed by it.
    var real: String

    /// Normalizes `raw` the way `pathlib.PurePosixPath` does (reference §6.4 prints `Path(path)`):
    /// repeated slashes and `.` components are dropped, a trailing slash is removed, `..` is kept,
    /// exactly two leading slashes survive, and an empty path becomes `.`.
    static func display(_ raw: String) -> String {
        let prefix: String
        if raw.hasPrefix("//") && !raw.hasPrefix("///") {
            prefix = "//"
        } else if raw.hasPrefix("/") {
            prefix = "/"
        } else {
            prefix = ""
        }
        let parts = components(raw).filter { $0 != "." }
        let joined = prefix + parts.joined(separator: "/")
        return joined.isEmpty ? "." : joined
    }

    /// Resolves an absolute path the way the kernel walks it: each existing component is examined
    /// with `lstat`, symlinks are replaced by their targets (relative ones against the link's
    /// directory), and `..` steps back over the physically resolved parent. From the first component
    /// that does not exist on, the rest is kept verbatim (any `..` there makes the kernel fail too).
    static func resolve(_ absolute: String) -> String {
        var pending = Array(components(absolute).reversed())
        var resolved: [String] = []
        var missing = false
        var hops = 0
        while let name = pending.popLast() {
            if missing {
                resolved.append(name)
                continue
            }
            if name == "." { continue }
            if name == ".." {
                if !resolved.isEmpty { resolved.removeLast() }
                continue
            }
            resolved.append(name)
            let current = "/" + resolved.joined(separator: "/")
            var info = stat()
            guard lstat(current, &info) == 0 else {
                missing = true
                continue
            }
            guard info.st_mode & S_IFMT == S_IFLNK else { continue }
            hops += 1
            // Linux gives up after 40 links (ELOOP); leave the rest unresolved so opening fails too.
            guard hops <= 40, let target = readLink(current) else {
                missing = true
                continue
            }
            resolved.removeLast()
            if target.hasPrefix("/") { resolved.removeAll() }
            pending.append(contentsOf: components(target).reversed())
        }
        return "/" + resolved.joined(separator: "/")
    }

    /// Applies `.` and `..` textually to an absolute path.
    static func lexical(_ absolute: String) -> String {
        var parts: [String] = []
        for name in components(absolute) {
            switch name {
            case ".": continue
            case "..": if !parts.isEmpty { parts.removeLast() }
            default: parts.append(name)
            }
        }
        return "/" + parts.joined(separator: "/")
    }

    /// Whether `path` is `root` or lies below it; both must be absolute and lexically standardized.
    static func isInside(_ path: String, root: String) -> Bool {
        if root == "/" { return true }
        return path == root || path.hasPrefix(root + "/")
    }

    /// The non-empty `/`-separated components of `path`.
    static func components(_ path: String) -> [String] {
        path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
    }

    /// The target of the symlink at `path`, or nil when it cannot be read.
    private static func readLink(_ path: String) -> String? {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let length = readlink(path, &buffer, buffer.count - 1)
        guard length >= 0 else { return nil }
        let bytes = buffer[0..<length].map { UInt8(bitPattern: $0) }
        return String(decoding: bytes, as: UTF8.self)
    }
}
