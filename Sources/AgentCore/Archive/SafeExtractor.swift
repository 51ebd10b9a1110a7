import Foundation
import Glibc

/// Extracts an uploaded `.tar.gz` into a fresh directory, refusing hostile archives.
///
/// Rules (issue 8, reliability-security §2.2.4): absolute names, `..` components, symlinks leaving
/// the tree or absolute, hard links to anything but an already extracted regular file, devices and
/// FIFOs, setuid/setgid/sticky bits, duplicate names, over-long names and entries or bytes past the
/// caps are all **refused** with an `ArchiveError` naming the entry and the rule. Nothing is rewritten.
///
/// Extraction happens in a hidden sibling directory that is renamed to `destination` only on
/// success; on any refusal it is removed, so no half-extracted tree remains. Writes never follow
/// symbolic links: parents are opened with `O_NOFOLLOW | O_DIRECTORY` and files are created with
/// `O_CREAT | O_EXCL | O_NOFOLLOW`.
///
/// ```swift
/// let summary = try SafeExtractor().extract(archiveAt: upload, to: "/var/lib/agentd/agents/a1/v3")
/// ```
public struct SafeExtractor: Sendable {
    public var limits: ExtractionLimits
    /// Whether the finished tree is made read-only (files 0444/0555, directories 0555).
    public var readOnly: Bool

    public init(limits: ExtractionLimits = ExtractionLimits(), readOnly: Bool = true) {
        self.limits = limits
        self.readOnly = readOnly
    }

    /// What an extraction produced.
    public struct Summary: Sendable, Hashable {
        /// Entries extracted (directories, files and links).
        public var entries: Int
        /// Content bytes written.
        public var bytes: Int
    }

    /// Extracts the gzip-compressed tar file at `archivePath` into `destination`, which must not exist.
    ///
    /// - Throws: `ArchiveError`; when it does, `destination` does not exist and nothing else was written.
    @discardableResult
    public func extract(archiveAt archivePath: String, to destination: String) throws -> Summary {
        try extract(source: try FileByteSource(path: archivePath), to: destination)
    }

    /// Extracts gzip-compressed tar bytes from `source` into `destination`, which must not exist.
    @discardableResult
    public func extract(source: any ArchiveByteSource, to destination: String) throws -> Summary {
        var status = stat()
        guard lstat(destination, &status) != 0 else {
            throw ArchiveError(.destinationExists, "\(destination) already exists")
        }
        let url = URL(fileURLWithPath: destination)
        let staging = url.deletingLastPathComponent().appendingPathComponent(
            ".\(url.lastPathComponent).partial-\(UInt64.random(in: 0...UInt64.max))").path
        guard mkdir(staging, 0o700) == 0 else { throw Self.ioError("cannot create \(staging)") }
        let summary: Summary
        do {
            let run = try ExtractionRun(root: staging, limits: limits)
            let reader = TarReader(source: GzipStream(source: source, outputLimit: limits.maxDecompressedBytes))
            while let entry = try reader.next() { try run.add(entry, reader: reader) }
            try run.finish()
            summary = Summary(entries: run.entryCount, bytes: run.byteCount)
            guard rename(staging, destination) == 0 else { throw Self.ioError("cannot rename into \(destination)") }
        } catch {
            Self.removeTree(staging)
            throw error
        }
        if readOnly {
            do { try Self.makeReadOnly(destination) } catch {
                Self.removeTree(destination)
                throw error
            }
        }
        return summary
    }

    // MARK: Helpers

    static func ioError(_ what: String, entry: String? = nil) -> ArchiveError {
        ArchiveError(.io, entry: entry, "\(what): \(String(cString: strerror(errno)))")
    }

    /// Makes every file 0444 (0555 if executable) and every directory 0555, without following links.
    private static func makeReadOnly(_ root: String) throws {
        for path in [root] + walk(root) {
            var status = stat()
            guard lstat(path, &status) == 0 else { throw ioError("cannot stat \(path)") }
            let type = status.st_mode & S_IFMT
            if type == S_IFLNK { continue }
            let mode: mode_t = type == S_IFDIR || status.st_mode & 0o111 != 0 ? 0o555 : 0o444
            guard chmod(path, mode) == 0 else { throw ioError("cannot chmod \(path)") }
        }
    }

    /// Every path under `root` (not following symbolic links), parents before children.
    private static func walk(_ root: String) -> [String] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: root) else { return [] }
        var result: [String] = []
        for name in names.sorted() {
            let path = root + "/" + name
            result.append(path)
            var status = stat()
            if lstat(path, &status) == 0 && status.st_mode & S_IFMT == S_IFDIR { result += walk(path) }
        }
        return result
    }

    /// Removes a tree even when some of its directories were made read-only.
    static func removeTree(_ root: String) {
        for path in [root] + walk(root) {
            var status = stat()
            if lstat(path, &status) == 0 && status.st_mode & S_IFMT == S_IFDIR { chmod(path, 0o700) }
        }
        try? FileManager.default.removeItem(atPath: root)
    }
}
