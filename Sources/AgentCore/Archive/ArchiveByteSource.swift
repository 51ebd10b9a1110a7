import Glibc

/// A pull-based stream of bytes: the common shape of a file, a gzip decoder and a tar reader's input.
///
/// Sources are single-consumer reference types and are not `Sendable`.
public protocol ArchiveByteSource: AnyObject {
    /// Up to `maxCount` (> 0) next bytes; an empty array means the end of the stream.
    ///
    /// - Throws: `ArchiveError` when the underlying data cannot be read.
    func read(maxCount: Int) throws -> [UInt8]
}

/// Reads a file with `read(2)`, without loading it whole.
public final class FileByteSource: ArchiveByteSource {
    private let descriptor: Int32

    /// Opens `path` read-only.
    ///
    /// - Throws: `ArchiveError` with rule `.io` when the file cannot be opened.
    public init(path: String) throws {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw ArchiveError(.io, "cannot open archive: \(String(cString: strerror(errno)))") }
        descriptor = fd
    }

    deinit { close(descriptor) }

    public func read(maxCount: Int) throws -> [UInt8] {
        var chunk = [UInt8](repeating: 0, count: maxCount)
        while true {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, maxCount) }
            if count >= 0 {
                chunk.removeSubrange(count...)
                return chunk
            }
            if errno != EINTR { throw ArchiveError(.io, "cannot read archive: \(String(cString: strerror(errno)))") }
        }
    }
}

/// Serves bytes already in memory, e.g. a small upload or a test fixture.
public final class ByteArraySource: ArchiveByteSource {
    private let bytes: [UInt8]
    private var offset = 0

    public init(_ bytes: [UInt8]) { self.bytes = bytes }

    public func read(maxCount: Int) throws -> [UInt8] {
        let end = min(bytes.count, offset + maxCount)
        defer { offset = end }
        return Array(bytes[offset..<end])
    }
}

@available(*, unavailable) extension FileByteSource: Sendable {}
@available(*, unavailable) extension ByteArraySource: Sendable {}
