import Glibc

/// A push-based stream of bytes: the common shape of a file being written and a gzip encoder, the
/// writing counterpart of ``ArchiveByteSource``.
///
/// Sinks are single-producer reference types and are not `Sendable`.
public protocol ArchiveByteSink: AnyObject {
    /// Appends `bytes` to the stream.
    ///
    /// - Throws: `ArchiveError` when the bytes cannot be written.
    func write(_ bytes: [UInt8]) throws

    /// Writes out anything buffered and ends the stream; nothing may be written after it.
    ///
    /// - Throws: `ArchiveError` when the last bytes cannot be written.
    func finish() throws
}

/// Writes a new file with `write(2)`, never following a symbolic link or replacing an existing file.
///
/// ```swift
/// let file = try FileByteSink(path: "/tmp/agent.tar.gz")
/// let archive = TarWriter(sink: try GzipWriter(sink: file))
/// ```
public final class FileByteSink: ArchiveByteSink {
    private var descriptor: Int32

    /// Creates `path`, which must not exist yet, with permission bits `mode`.
    ///
    /// - Throws: `ArchiveError` with rule `.io` when the file cannot be created.
    public init(path: String, mode: UInt32 = 0o600) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, mode_t(mode))
        guard fd >= 0 else { throw ArchiveError(.io, "cannot create \(path): \(String(cString: strerror(errno)))") }
        descriptor = fd
    }

    deinit { if descriptor >= 0 { close(descriptor) } }

    public func write(_ bytes: [UInt8]) throws {
        guard descriptor >= 0 else { throw ArchiveError(.io, "write after the file was finished") }
        var offset = 0
        while offset < bytes.count {
            let count = bytes.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress! + offset, $0.count - offset) }
            if count < 0 {
                if errno == EINTR { continue }
                throw ArchiveError(.io, "cannot write: \(String(cString: strerror(errno)))")
            }
            offset += count
        }
    }

    /// Flushes the file to disk (`fsync`) and closes it.
    public func finish() throws {
        guard descriptor >= 0 else { return }
        defer {
            close(descriptor)
            descriptor = -1
        }
        guard fsync(descriptor) == 0 else { throw ArchiveError(.io, "cannot flush: \(String(cString: strerror(errno)))") }
    }
}

/// Collects the bytes in memory, e.g. a small archive or a test fixture.
public final class ByteArraySink: ArchiveByteSink {
    /// Everything written so far.
    public private(set) var bytes: [UInt8] = []

    public init() {}

    public func write(_ bytes: [UInt8]) throws { self.bytes += bytes }

    public func finish() throws {}
}

@available(*, unavailable) extension FileByteSink: Sendable {}
@available(*, unavailable) extension ByteArraySink: Sendable {}
