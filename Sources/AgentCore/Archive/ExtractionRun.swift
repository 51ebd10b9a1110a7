import Glibc

/// The state of one extraction: the staging directory, what has been written and the running totals.
final class ExtractionRun {
    private enum Written { case directory, file, symlink }

    private let rootDescriptor: Int32
    private let limits: ExtractionLimits
    private let paths: ExtractionPath
    private var written: [String: Written] = [:]
    private(set) var entryCount = 0
    private(set) var byteCount = 0

    init(root: String, limits: ExtractionLimits) throws {
        rootDescriptor = open(root, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        guard rootDescriptor >= 0 else { throw SafeExtractor.ioError("cannot open \(root)") }
        self.limits = limits
        paths = ExtractionPath(limits: limits)
    }

    deinit { close(rootDescriptor) }

    func finish() throws {
        guard fchmod(rootDescriptor, 0o755) == 0 else { throw SafeExtractor.ioError("cannot chmod the extraction root") }
    }

    func add(_ entry: TarEntry, reader: TarReader) throws {
        let name = entry.path
        entryCount += 1
        guard entryCount <= limits.maxEntries else {
            throw ArchiveError(.tooManyEntries, entry: name, "more than \(limits.maxEntries) entries")
        }
        let components = try paths.components(of: name, entry: name)
        switch entry.kind {
        case .characterDevice, .blockDevice:
            throw ArchiveError(.specialFile, entry: name, "device nodes are not allowed")
        case .fifo:
            throw ArchiveError(.specialFile, entry: name, "FIFOs are not allowed")
        case .other(let flag):
            throw ArchiveError(.unsupportedEntryType, entry: name, "unsupported tar entry type \(flag)")
        default:
            break
        }
        // S_ISUID 04000, S_ISGID 02000, S_ISVTX 01000: refused, not stripped.
        guard entry.mode & 0o7000 == 0 else {
            throw ArchiveError(.forbiddenModeBits, entry: name, "mode \(String(entry.mode, radix: 8)) has setuid, setgid or sticky bits")
        }
        guard let leaf = components.last else {
            if entry.kind == .directory { return }  // "./" names the root itself
            throw ArchiveError(.invalidPath, entry: name, "empty name")
        }
        let fullPath = components.joined(separator: "/")
        if let existing = written[fullPath] {
            if existing == .directory && entry.kind == .directory { return }
            throw ArchiveError(.duplicatePath, entry: name, "\"\(fullPath)\" appears more than once")
        }
        let parent = try openParent(components, entry: name)
        defer { if parent != rootDescriptor { close(parent) } }

        switch entry.kind {
        case .directory:
            guard mkdirat(parent, leaf, 0o755) == 0 else { throw failure("cannot create directory", entry: name) }
            written[fullPath] = .directory
        case .regular:
            let (total, overflow) = byteCount.addingReportingOverflow(entry.size)
            guard !overflow, total <= limits.maxTotalBytes else {
                throw ArchiveError(.tooManyBytes, entry: name, "content exceeds \(limits.maxTotalBytes) bytes in total")
            }
            byteCount = total
            let mode: mode_t = entry.mode & 0o111 != 0 ? 0o755 : 0o644
            let fd = openat(parent, leaf, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode)
            guard fd >= 0 else { throw failure("cannot create file", entry: name) }
            defer { close(fd) }
            written[fullPath] = .file
            try copyContent(reader, to: fd, entry: name)
            guard fchmod(fd, mode) == 0 else { throw failure("cannot set mode", entry: name) }  // umask-proof
        case .symbolicLink:
            try paths.checkSymlinkTarget(entry.linkTarget, linkComponents: components, entry: name)
            guard symlinkat(entry.linkTarget, parent, leaf) == 0 else { throw failure("cannot create symlink", entry: name) }
            written[fullPath] = .symlink
        case .hardLink:
            let target = try paths.components(of: entry.linkTarget, entry: name, rule: .hardlinkEscape)
            let targetPath = target.joined(separator: "/")
            guard let targetLeaf = target.last, written[targetPath] == .file else {
                throw ArchiveError(.hardlinkEscape, entry: name,
                                   "hard link target \"\(entry.linkTarget)\" is not a regular file extracted earlier")
            }
            let targetParent = try openParent(target, entry: name, create: false)
            defer { if targetParent != rootDescriptor { close(targetParent) } }
            guard linkat(targetParent, targetLeaf, parent, leaf, 0) == 0 else { throw failure("cannot create hard link", entry: name) }
            written[fullPath] = .file
        case .characterDevice, .blockDevice, .fifo, .other:
            break  // refused above
        }
    }

    /// Opens the directory that will hold the last component, creating missing directories (0755)
    /// and never following a symbolic link.
    private func openParent(_ components: [String], entry: String, create: Bool = true) throws -> Int32 {
        var current = rootDescriptor
        var prefix: [String] = []
        for component in components.dropLast() {
            prefix.append(component)
            let path = prefix.joined(separator: "/")
            switch written[path] {
            case .symlink?:
                throw ArchiveError(.throughSymlink, entry: entry, "\"\(path)\" is a symbolic link")
            case .file?:
                throw ArchiveError(.duplicatePath, entry: entry, "\"\(path)\" is a file, not a directory")
            case .directory?, nil:
                break
            }
            if written[path] == nil {
                guard create else { throw ArchiveError(.hardlinkEscape, entry: entry, "\"\(path)\" does not exist") }
                guard mkdirat(current, component, 0o755) == 0 else { throw failure("cannot create directory", entry: entry) }
                written[path] = .directory
            }
            let next = openat(current, component, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
            let openErrno = errno
            if current != rootDescriptor { close(current) }
            guard next >= 0 else {
                if openErrno == ELOOP || openErrno == ENOTDIR {
                    throw ArchiveError(.throughSymlink, entry: entry, "\"\(path)\" is not a real directory")
                }
                errno = openErrno
                throw failure("cannot open directory", entry: entry)
            }
            current = next
        }
        return current
    }

    private func copyContent(_ reader: TarReader, to fd: Int32, entry: String) throws {
        while true {
            let chunk = try reader.readContent(maxCount: 64 * 1024)
            if chunk.isEmpty { return }
            var offset = 0
            while offset < chunk.count {
                let count = chunk.withUnsafeBytes { write(fd, $0.baseAddress! + offset, chunk.count - offset) }
                if count < 0 {
                    if errno == EINTR { continue }
                    throw failure("cannot write file", entry: entry)
                }
                offset += count
            }
        }
    }

    private func failure(_ what: String, entry: String) -> ArchiveError {
        if errno == EEXIST { return ArchiveError(.duplicatePath, entry: entry, "\(what): the path already exists") }
        if errno == ELOOP { return ArchiveError(.throughSymlink, entry: entry, "\(what): a symbolic link is in the way") }
        return SafeExtractor.ioError(what, entry: entry)
    }
}

@available(*, unavailable) extension ExtractionRun: Sendable {}
