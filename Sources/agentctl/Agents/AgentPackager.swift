import AgentCore
import Foundation

/// Packs an agent's directory into a `.tar.gz` the way the Anymind CLI does, leaving out what is
/// not the agent's source: version control (`.git`), Python caches (`__pycache__`, `*.pyc`),
/// virtual environments (any directory holding `pyvenv.cfg`, and `venv` or `.venv`) and
/// `node_modules`.
///
/// Only directories and regular files go in, in name order, with their permission bits and
/// modification times. A symbolic link is archived as what it points to when that is inside the
/// directory, and refused when it points outside (or loops); sockets, FIFOs and devices are left out.
///
/// ```swift
/// let summary = try AgentPackager(directory: "my-agent").pack(to: "/tmp/my-agent.tar.gz")
/// print(summary.files, summary.skipped)   // 4 [".git", "agent/__pycache__", "venv"]
/// ```
struct AgentPackager {
    /// What went into the archive and what was left out.
    struct Summary: Sendable, Equatable {
        var files = 0
        var directories = 0
        /// Bytes of file contents, before compression.
        var bytes = 0
        /// Paths left out, relative to the directory.
        var skipped: [String] = []
    }

    /// Why the directory cannot be packed.
    struct Failure: Error, Equatable, CustomStringConvertible {
        let description: String
    }

    /// Directory names never packed.
    static let skippedDirectoryNames: Set<String> = [".git", "__pycache__", "node_modules", "venv", ".venv"]
    /// File name endings never packed.
    static let skippedFileSuffixes = [".pyc"]
    /// The file that marks a Python virtual environment (PEP 405).
    static let virtualEnvironmentMarker = "pyvenv.cfg"

    /// The directory to pack.
    let directory: String

    /// Writes the archive to `archive`, a new file.
    /// - Throws: `Failure` for a link pointing outside, a loop, or an unreadable entry; `ArchiveError` when writing fails.
    func pack(to archive: String) throws -> Summary {
        guard let root = Self.realPath(directory) else { throw Failure(description: "cannot read \(directory): \(Self.lastError())") }
        var walk = Walk(root: root, writer: TarWriter(sink: try GzipWriter(sink: try FileByteSink(path: archive), level: 9)))
        try walk.add(directory: root, as: "", chain: [root])
        try walk.writer.finish()
        return walk.summary
    }

    /// Whether an entry named `name` is left out; `directory` is its path when it is a directory.
    static func isSkipped(_ name: String, directory: String?) -> Bool {
        if let directory {
            return skippedDirectoryNames.contains(name) || FileManager.default.fileExists(atPath: directory + "/" + virtualEnvironmentMarker)
        }
        return skippedFileSuffixes.contains { name.hasSuffix($0) }
    }

    /// The canonical absolute path of `path` (`realpath(3)`), or nil.
    static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    static func lastError() -> String { String(cString: strerror(errno)) }

    /// One packing pass: the writer, the running summary, and the real directory being packed.
    private struct Walk {
        let root: String
        let writer: TarWriter
        var summary = Summary()

        init(root: String, writer: TarWriter) {
            self.root = root
            self.writer = writer
        }

        /// Adds the contents of `directory` (real path), whose archive name is `name` ("" for the root).
        /// - Parameter chain: the real paths of the directories being added, to catch link loops.
        mutating func add(directory: String, as name: String, chain: [String]) throws {
            let children: [String]
            do {
                children = try FileManager.default.contentsOfDirectory(atPath: directory).sorted()
            } catch {
                throw Failure(description: "cannot list \(name.isEmpty ? "the directory" : name): \(error.localizedDescription)")
            }
            for child in children {
                try add(path: directory + "/" + child, as: name.isEmpty ? child : name + "/" + child, chain: chain)
            }
        }

        private mutating func add(path: String, as name: String, chain: [String]) throws {
            var info = stat()
            guard lstat(path, &info) == 0 else { throw Failure(description: "cannot read \(name): \(lastError())") }
            var realPath = path
            if info.st_mode & S_IFMT == S_IFLNK {
                // A link is archived as its target, which must lie inside the directory.
                guard let target = AgentPackager.realPath(path), stat(target, &info) == 0 else {
                    throw Failure(description: "refusing \(name): it is a broken symbolic link")
                }
                guard target == root || target.hasPrefix(root + "/") else {
                    throw Failure(description: "refusing \(name): it is a symbolic link to \(target), outside the directory")
                }
                realPath = target
            }
            let fileName = (name as NSString).lastPathComponent
            switch info.st_mode & S_IFMT {
            case S_IFDIR:
                guard !AgentPackager.isSkipped(fileName, directory: realPath) else {
                    summary.skipped.append(name)
                    return
                }
                guard !chain.contains(realPath) else { throw Failure(description: "refusing \(name): a symbolic link loop") }
                try writer.appendDirectory(name, mode: UInt32(info.st_mode) & 0o777, modificationTime: Int(info.st_mtim.tv_sec))
                summary.directories += 1
                try add(directory: realPath, as: name, chain: chain + [realPath])
            case S_IFREG:
                guard !AgentPackager.isSkipped(fileName, directory: nil) else {
                    summary.skipped.append(name)
                    return
                }
                let source: FileByteSource
                do {
                    source = try FileByteSource(path: realPath)
                } catch {
                    throw Failure(description: "cannot read \(name): \(error)")
                }
                try writer.appendFile(name, mode: UInt32(info.st_mode) & 0o777, size: Int(info.st_size),
                                      modificationTime: Int(info.st_mtim.tv_sec), contents: source)
                summary.files += 1
                summary.bytes += Int(info.st_size)
            default:
                summary.skipped.append(name)  // a socket, FIFO or device: not agent source
            }
        }
    }
}
