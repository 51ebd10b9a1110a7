#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The directory view: what `find <path> -maxdepth 2 -not -path '*/\.*'` prints, computed in
/// process (reference §6.4 "view", directory case).
///
/// The directory itself comes first, then each non-hidden entry followed, for a subdirectory, by its
/// own non-hidden entries (symlinks are listed, never followed). Entries are sorted by name byte
/// order so the listing is reproducible, where `find` uses the directory's unspecified order. Only
/// entries below the listed directory are checked for hidden names, so a directory such as
/// `~/.config` can itself be listed (with `find` its hidden component would hide everything).
struct DirectoryListing: Sendable, Hashable {
    /// The printed paths, one a line, each starting with the listed directory's display path.
    var paths: [String] = []
    /// `find`-style messages for directories that could not be read.
    var errors: [String] = []

    /// Lists the directory at `real`, printing paths under `display`.
    init(real: String, display: String) {
        paths.append(display)
        walk(real: real, display: display, depth: 1)
    }

    /// What `find` writes to stdout: each path followed by a newline.
    var output: String { paths.map { $0 + "\n" }.joined() }

    private mutating func walk(real: String, display: String, depth: Int) {
        var code: Int32 = 0
        guard let names = Self.entries(of: real, errorCode: &code) else {
            errors.append("find: '\(display)': \(String(cString: strerror(code)))")
            return
        }
        for name in names where !name.hasPrefix(".") {
            let childReal = Self.join(real, name)
            let childDisplay = Self.join(display, name)
            paths.append(childDisplay)
            if depth < 2 && Self.isDirectory(childReal) {
                walk(real: childReal, display: childDisplay, depth: depth + 1)
            }
        }
    }

    /// The names in the directory at `path` (without `.` and `..`), sorted by bytes; nil, with the
    /// reason in `errorCode`, when it cannot be opened.
    private static func entries(of path: String, errorCode: inout Int32) -> [String]? {
        guard let dir = opendir(path) else {
            errorCode = errno
            return nil
        }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            var raw = entry.pointee.d_name
            let name = withUnsafeBytes(of: &raw) { buffer in
                String(decoding: buffer.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    }

    /// Whether `path` itself (not a symlink's target) is a directory, as `find -P` decides.
    private static func isDirectory(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0 && info.st_mode & S_IFMT == S_IFDIR
    }

    private static func join(_ directory: String, _ name: String) -> String {
        directory.hasSuffix("/") ? directory + name : directory + "/" + name
    }
}
