/// Writes a tar archive of directories and regular files into a sink, in the ustar format (POSIX
/// pax, "ustar Interchange Format"), with a pax extended header for a name ustar cannot hold: the
/// writing counterpart of ``TarReader``.
///
/// Entries carry their permission bits (setuid, setgid and sticky bits dropped, as extractors refuse
/// them) and modification time; owners are left at 0 and unnamed. Names must be relative, without
/// `..`, so the archive passes ``SafeExtractor``.
///
/// ```swift
/// let tar = TarWriter(sink: try GzipWriter(sink: try FileByteSink(path: "agent.tar.gz")))
/// try tar.appendDirectory("agent")
/// try tar.appendFile("agent/main.py", size: 42, contents: try FileByteSource(path: "src/agent/main.py"))
/// try tar.finish()
/// ```
public final class TarWriter {
    private let sink: any ArchiveByteSink
    private var finished = false
    private static let blockSize = TarHeader.blockSize
    /// The largest size the 12-byte octal field holds (11 digits); larger sizes use GNU base-256.
    private static let largestOctalSize = 0o77777777777
    private static let copyChunk = 64 * 1024

    public init(sink: any ArchiveByteSink) {
        self.sink = sink
    }

    /// Appends a directory entry (type `'5'`); the name gets its trailing `/`.
    ///
    /// - Throws: `ArchiveError` for an unusable name or a failed write.
    public func appendDirectory(_ path: String, mode: UInt32 = 0o755, modificationTime: Int = 0) throws {
        let name = try Self.validated(path)
        try appendHeader(name: name + "/", type: UInt8(ascii: "5"), mode: mode, size: 0, modificationTime: modificationTime)
    }

    /// Appends a regular file (type `'0'`) of `size` bytes read from `contents`.
    ///
    /// - Throws: `ArchiveError` for an unusable name, contents shorter than `size` (rule
    ///   `.truncated`: the file shrank while it was archived), or a failed read or write.
    public func appendFile(_ path: String, mode: UInt32 = 0o644, size: Int, modificationTime: Int = 0,
                           contents: any ArchiveByteSource) throws {
        precondition(size >= 0, "a file size is never negative")
        let name = try Self.validated(path)
        try appendHeader(name: name, type: UInt8(ascii: "0"), mode: mode, size: size, modificationTime: modificationTime)
        var remaining = size
        while remaining > 0 {
            let chunk = try contents.read(maxCount: min(remaining, Self.copyChunk))
            guard !chunk.isEmpty else {
                throw ArchiveError(.truncated, entry: name, "the file ended \(remaining) bytes before its recorded size")
            }
            try sink.write(chunk)
            remaining -= chunk.count
        }
        try pad(size)
    }

    /// Writes the end-of-archive marker (two zero blocks) and finishes the sink.
    public func finish() throws {
        guard !finished else { return }
        finished = true
        try sink.write([UInt8](repeating: 0, count: 2 * Self.blockSize))
        try sink.finish()
    }

    // MARK: - Headers

    private func appendHeader(name: String, type: UInt8, mode: UInt32, size: Int, modificationTime: Int) throws {
        guard !finished else { throw ArchiveError(.io, entry: name, "append after the archive was finished") }
        let split = Self.ustarSplit(name)
        if split == nil {
            // pax "pax Extended Header": a `path` record carries a name that name + prefix cannot.
            let records = Self.paxRecord("path", name)
            let paxName = Array("PaxHeader/".utf8) + Self.tail(name, maxBytes: 90)
            try sink.write(Self.header(name: paxName, prefix: [], type: UInt8(ascii: "x"), mode: 0o644,
                                       size: records.count, modificationTime: modificationTime))
            try sink.write(records)
            try pad(records.count)
        }
        let (prefix, base) = split ?? ([], Self.tail(name, maxBytes: 100))
        try sink.write(Self.header(name: base, prefix: prefix, type: type, mode: mode & 0o777, size: size,
                                   modificationTime: max(0, modificationTime)))
    }

    /// The 512-byte ustar header block (field offsets as ``TarHeader/Field``).
    private static func header(name: [UInt8], prefix: [UInt8], type: UInt8, mode: UInt32, size: Int,
                               modificationTime: Int) -> [UInt8] {
        var block = [UInt8](repeating: 0, count: blockSize)
        func put(_ bytes: some Collection<UInt8>, at offset: Int) {
            for (index, byte) in bytes.enumerated() { block[offset + index] = byte }
        }
        func octal(_ value: Int, at offset: Int, width: Int) {
            // width - 1 zero-padded octal digits, then a NUL.
            let digits = String(value, radix: 8)
            put(Array((String(repeating: "0", count: max(0, width - 1 - digits.count)) + digits).utf8), at: offset)
        }
        put(name, at: TarHeader.Field.name.lowerBound)
        octal(Int(mode), at: TarHeader.Field.mode.lowerBound, width: 8)
        octal(0, at: 108, width: 8)  // uid
        octal(0, at: 116, width: 8)  // gid
        if size <= largestOctalSize {
            octal(size, at: TarHeader.Field.size.lowerBound, width: 12)
        } else {
            // GNU base-256: the high bit of the first byte set, then the value big-endian.
            var value = size
            for index in stride(from: TarHeader.Field.size.upperBound - 1, to: TarHeader.Field.size.lowerBound, by: -1) {
                block[index] = UInt8(value & 0xff)
                value >>= 8
            }
            block[TarHeader.Field.size.lowerBound] = 0x80
        }
        octal(min(modificationTime, largestOctalSize), at: 136, width: 12)
        block[TarHeader.Field.typeflag] = type
        put(Array("ustar\0".utf8), at: TarHeader.Field.magic.lowerBound)
        put(Array("00".utf8), at: 263)  // version
        put(prefix, at: TarHeader.Field.prefix.lowerBound)
        // pax "chksum": the sum of the header's bytes with the checksum field taken as spaces,
        // written as six octal digits, a NUL and a space.
        for index in TarHeader.Field.checksum { block[index] = 0x20 }
        let sum = block.reduce(0) { $0 + Int($1) }
        octal(sum, at: TarHeader.Field.checksum.lowerBound, width: 7)
        block[TarHeader.Field.checksum.upperBound - 2] = 0
        block[TarHeader.Field.checksum.upperBound - 1] = 0x20
        return block
    }

    /// `name` as ustar `prefix` + `name` (split at a `/`, at most 155 and 100 bytes), or nil when it does not fit.
    static func ustarSplit(_ name: String) -> (prefix: [UInt8], name: [UInt8])? {
        let bytes = Array(name.utf8)
        if bytes.count <= 100 { return ([], bytes) }
        for index in bytes.indices.reversed() where bytes[index] == UInt8(ascii: "/") {
            let prefix = bytes[..<index], rest = bytes[(index + 1)...]
            if rest.count > 100 { return nil }
            if prefix.count <= 155, !rest.isEmpty { return (Array(prefix), Array(rest)) }
        }
        return nil
    }

    /// One pax record, `"%d %s=%s\n"`, whose decimal length counts the whole record.
    static func paxRecord(_ key: String, _ value: String) -> [UInt8] {
        let body = " \(key)=\(value)\n"
        var length = body.utf8.count + 1
        while String(length).utf8.count + body.utf8.count != length { length += 1 }
        return Array("\(length)\(body)".utf8)
    }

    /// The last bytes of `text`, at most `maxBytes`, starting on a whole UTF-8 character (readers
    /// decode the ustar name as UTF-8 even when a pax `path` replaces it).
    static func tail(_ text: String, maxBytes: Int) -> [UInt8] {
        var bytes = Array(text.utf8.suffix(maxBytes))
        while let first = bytes.first, first & 0xc0 == 0x80 { bytes.removeFirst() }
        return bytes
    }

    /// Zeros up to the next block boundary after `count` bytes of contents.
    private func pad(_ count: Int) throws {
        let remainder = count % Self.blockSize
        if remainder > 0 { try sink.write([UInt8](repeating: 0, count: Self.blockSize - remainder)) }
    }

    /// `path` without a trailing `/`, refused when an extractor would refuse it.
    private static func validated(_ path: String) throws -> String {
        var name = path
        while name.hasSuffix("/") { name.removeLast() }
        guard !name.isEmpty, !name.utf8.contains(0) else { throw ArchiveError(.invalidPath, entry: path, "the name is empty or holds a NUL") }
        guard !name.hasPrefix("/") else { throw ArchiveError(.absolutePath, entry: path, "the name is absolute") }
        let components = name.split(separator: "/", omittingEmptySubsequences: false)
        guard !components.contains("..") else { throw ArchiveError(.parentTraversal, entry: path, "the name has a '..' component") }
        guard !components.contains(where: \.isEmpty) else { throw ArchiveError(.invalidPath, entry: path, "the name has an empty component") }
        return name
    }
}

@available(*, unavailable) extension TarWriter: Sendable {}
