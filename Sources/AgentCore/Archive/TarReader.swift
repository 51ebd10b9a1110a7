/// A streaming reader of POSIX ustar and pax archives (IEEE 1003.1-2017, pax), with GNU `'L'`/`'K'`
/// long names.
///
/// Only one header block and one content chunk are held in memory at a time. Each call to `next()`
/// skips whatever content of the previous entry was not read.
///
/// ```swift
/// let reader = TarReader(source: GzipStream(source: try FileByteSource(path: path), outputLimit: cap))
/// while let entry = try reader.next() {
///     while case let chunk = try reader.readContent(maxCount: 65536), !chunk.isEmpty { ... }
/// }
/// ```
public final class TarReader {
    /// Largest pax extended header or GNU long name accepted, in bytes.
    public let maximumMetadataSize: Int

    private let source: any ArchiveByteSource
    private var buffer: [UInt8] = []
    private var bufferOffset = 0
    private var remainingContent = 0
    private var remainingPadding = 0
    private var ended = false

    public init(source: any ArchiveByteSource, maximumMetadataSize: Int = 1 << 20) {
        self.source = source
        self.maximumMetadataSize = maximumMetadataSize
    }

    /// The next entry, or `nil` after the end-of-archive marker.
    ///
    /// - Throws: `ArchiveError` (`.truncated`, `.badChecksum`, `.malformedHeader`, or the source's errors).
    public func next() throws -> TarEntry? {
        if ended { return nil }
        try skip(remainingContent + remainingPadding)
        remainingContent = 0
        remainingPadding = 0

        var pax: [String: String] = [:]
        var longName: String?
        var longLink: String?
        while true {
            let block = try readExactly(TarHeader.blockSize, what: "a header")
            // End of archive: a zero block (pax: "two consecutive 512-byte blocks of binary zeros").
            if TarHeader.isZeroBlock(block[...]) {
                guard pax.isEmpty && longName == nil && longLink == nil else {
                    throw ArchiveError(.malformedHeader, "extended header not followed by an entry")
                }
                ended = true
                return nil
            }
            try TarHeader.verifyChecksum(block[...])
            let typeflag = block[TarHeader.Field.typeflag]
            var size = try TarHeader.number(block[TarHeader.Field.size], field: "size")

            switch typeflag {
            case UInt8(ascii: "x"):  // pax extended header for the next entry
                pax.merge(try TarHeader.paxRecords(try readMetadata(size)), uniquingKeysWith: { $1 })
                continue
            case UInt8(ascii: "g"):  // pax global header: parsed for validity, its keywords are not applied
                _ = try TarHeader.paxRecords(try readMetadata(size))
                continue
            case UInt8(ascii: "L"):  // GNU long name for the next entry
                longName = try TarHeader.string(try readMetadata(size)[...], field: "GNU long name")
                continue
            case UInt8(ascii: "K"):  // GNU long link target for the next entry
                longLink = try TarHeader.string(try readMetadata(size)[...], field: "GNU long link")
                continue
            default:
                break
            }

            let name = try TarHeader.string(block[TarHeader.Field.name], field: "name")
            let prefix = try TarHeader.string(block[TarHeader.Field.prefix], field: "prefix")
            // The prefix field exists only in POSIX ustar ("ustar\0"); GNU's "ustar  \0" uses those bytes otherwise.
            let isPOSIX = Array(block[TarHeader.Field.magic]) == Array("ustar\0".utf8)
            var path = isPOSIX && !prefix.isEmpty ? prefix + "/" + name : name
            if let longName { path = longName }
            if let paxPath = pax["path"], !paxPath.isEmpty { path = paxPath }

            var linkTarget = try TarHeader.string(block[TarHeader.Field.linkname], field: "linkname")
            if let longLink { linkTarget = longLink }
            if let paxLink = pax["linkpath"], !paxLink.isEmpty { linkTarget = paxLink }

            if let paxSize = pax["size"] {
                guard !paxSize.isEmpty, paxSize.utf8.allSatisfy({ (0x30...0x39).contains($0) }), let value = Int(paxSize) else {
                    throw ArchiveError(.malformedHeader, entry: path, "pax size is not a decimal number")
                }
                size = value
            }
            let mode = UInt32(truncatingIfNeeded: try TarHeader.number(block[TarHeader.Field.mode], field: "mode")) & 0o7777

            let kind: TarEntry.Kind
            switch typeflag {
            case UInt8(ascii: "0"), 0, UInt8(ascii: "7"): kind = .regular
            case UInt8(ascii: "1"): kind = .hardLink
            case UInt8(ascii: "2"): kind = .symbolicLink
            case UInt8(ascii: "3"): kind = .characterDevice
            case UInt8(ascii: "4"): kind = .blockDevice
            case UInt8(ascii: "5"): kind = .directory
            case UInt8(ascii: "6"): kind = .fifo
            default: kind = .other(typeflag)
            }
            // Content follows only regular files here; any other type declaring data is refused, not skipped.
            if kind != .regular && size != 0 {
                if case .other = kind {} else {
                    throw ArchiveError(.malformedHeader, entry: path, "a non-regular entry declares \(size) content bytes")
                }
            }
            remainingContent = size
            remainingPadding = (TarHeader.blockSize - size % TarHeader.blockSize) % TarHeader.blockSize
            return TarEntry(path: path, kind: kind, mode: mode, size: kind == .regular ? size : 0, linkTarget: linkTarget)
        }
    }

    /// Up to `maxCount` next content bytes of the current entry; empty once it is fully read.
    ///
    /// - Throws: `ArchiveError` with rule `.truncated` when the archive ends inside the content.
    public func readContent(maxCount: Int) throws -> [UInt8] {
        let count = min(maxCount, remainingContent)
        if count == 0 { return [] }
        let chunk = try readExactly(count, what: "entry content")
        remainingContent -= count
        return chunk
    }

    private func readMetadata(_ size: Int) throws -> [UInt8] {
        guard size <= maximumMetadataSize else {
            throw ArchiveError(.malformedHeader, "extended header of \(size) bytes exceeds \(maximumMetadataSize)")
        }
        let data = try readExactly(size, what: "an extended header")
        try skip((TarHeader.blockSize - size % TarHeader.blockSize) % TarHeader.blockSize)
        return data
    }

    private func readExactly(_ count: Int, what: String) throws -> [UInt8] {
        var result: [UInt8] = []
        result.reserveCapacity(count)
        while result.count < count {
            if bufferOffset == buffer.count {
                buffer = try source.read(maxCount: max(64 * 1024, TarHeader.blockSize))
                bufferOffset = 0
                if buffer.isEmpty { throw ArchiveError(.truncated, "the archive ends inside \(what)") }
            }
            let take = min(count - result.count, buffer.count - bufferOffset)
            result += buffer[bufferOffset..<(bufferOffset + take)]
            bufferOffset += take
        }
        return result
    }

    private func skip(_ count: Int) throws {
        var left = count
        while left > 0 {
            let chunk = try readExactly(min(left, 64 * 1024), what: "entry content")
            left -= chunk.count
        }
    }
}

@available(*, unavailable) extension TarReader: Sendable {}
