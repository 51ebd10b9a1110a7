import CZlib

/// Whether `firstBytes` start with the gzip magic number `1f 8b` (RFC 1952 §2.3.1, ID1 and ID2).
///
/// Uploads call this on the first bytes of the body before accepting a `.tar.gz`.
public func hasGzipMagic(_ firstBytes: some Collection<UInt8>) -> Bool {
    var iterator = firstBytes.makeIterator()
    return iterator.next() == 0x1f && iterator.next() == 0x8b
}

/// Streaming gzip decompression (RFC 1952) through zlib, with a cap on the decompressed size.
///
/// Reading past `outputLimit` bytes throws `ArchiveError` with rule `.tooManyBytes`, so a gzip bomb
/// stops at the limit instead of filling memory or disk. Concatenated gzip members (RFC 1952 §2.2)
/// are decoded one after another; any other data after a member is refused.
///
/// ```swift
/// let gunzip = GzipStream(source: try FileByteSource(path: "agent.tar.gz"), outputLimit: 1 << 20)
/// while case let chunk = try gunzip.read(maxCount: 65536), !chunk.isEmpty { ... }
/// ```
public final class GzipStream: ArchiveByteSource {
    /// The most decompressed bytes this stream will produce.
    public let outputLimit: Int
    /// Decompressed bytes produced so far.
    public private(set) var totalOut = 0

    private let source: any ArchiveByteSource
    // zlib keeps a back pointer to its z_stream, so it must not move: heap-allocate it.
    private let stream: UnsafeMutablePointer<z_stream>
    private var initialized = false
    private var input: [UInt8] = []
    private var inputOffset = 0
    private var sourceEnded = false
    private var finished = false
    private static let inputChunk = 64 * 1024

    /// Decodes `source`, refusing to produce more than `outputLimit` bytes.
    public init(source: any ArchiveByteSource, outputLimit: Int) {
        self.source = source
        self.outputLimit = outputLimit
        stream = .allocate(capacity: 1)
        stream.initialize(to: z_stream())
    }

    deinit {
        if initialized { inflateEnd(stream) }
        stream.deinitialize(count: 1)
        stream.deallocate()
    }

    public func read(maxCount: Int) throws -> [UInt8] {
        if finished { return [] }
        if !initialized { try start() }
        // One byte past the limit is enough to know the limit was crossed.
        let room = min(maxCount, outputLimit - totalOut + 1)
        var output = [UInt8](repeating: 0, count: room)
        var produced = 0
        while produced == 0 && !finished {
            if inputOffset == input.count {
                try refill()
                if inputOffset == input.count {
                    throw ArchiveError(.truncated, "the gzip stream ends before its trailer")
                }
            }
            let before = input.count - inputOffset
            let status = input.withUnsafeMutableBufferPointer { inBuffer in
                output.withUnsafeMutableBufferPointer { outBuffer in
                    stream.pointee.next_in = inBuffer.baseAddress! + inputOffset
                    stream.pointee.avail_in = UInt32(before)
                    stream.pointee.next_out = outBuffer.baseAddress! + produced
                    stream.pointee.avail_out = UInt32(room - produced)
                    return inflate(stream, Z_NO_FLUSH)
                }
            }
            inputOffset += before - Int(stream.pointee.avail_in)
            produced = room - Int(stream.pointee.avail_out)
            switch status {
            case Z_OK, Z_BUF_ERROR:
                break
            case Z_STREAM_END:
                try finishMember()
            default:
                let message = stream.pointee.msg.map { String(cString: $0) } ?? "zlib error \(status)"
                throw ArchiveError(.corruptGzip, "invalid gzip data: \(message)")
            }
        }
        totalOut += produced
        if totalOut > outputLimit {
            throw ArchiveError(.tooManyBytes, "the archive decompresses to more than \(outputLimit) bytes")
        }
        output.removeSubrange(produced...)
        return output
    }

    private func start() throws {
        try refill()
        guard hasGzipMagic(input[inputOffset...]) else {
            throw ArchiveError(.notGzip, "the data does not start with the gzip magic bytes 1f 8b")
        }
        // windowBits 15 + 16: accept only the gzip wrapper (zlib.h, inflateInit2), checking CRC-32 and ISIZE (RFC 1952 §2.3.1).
        let status = inflateInit2_(stream, 15 + 16, zlibVersion(), Int32(MemoryLayout<z_stream>.size))
        guard status == Z_OK else { throw ArchiveError(.io, "zlib inflateInit2 failed (\(status))") }
        initialized = true
    }

    /// Reads more compressed input once the current chunk is used up; ensures at least two bytes when available.
    private func refill() throws {
        if inputOffset == input.count {
            input.removeAll(keepingCapacity: true)
            inputOffset = 0
        }
        while !sourceEnded && input.count - inputOffset < 2 {
            let chunk = try source.read(maxCount: Self.inputChunk)
            if chunk.isEmpty { sourceEnded = true } else { input += chunk }
        }
    }

    /// After a member's trailer: end of stream, another member (RFC 1952 §2.2), or refused trailing data.
    private func finishMember() throws {
        try refill()
        if inputOffset == input.count {
            finished = true
            return
        }
        guard hasGzipMagic(input[inputOffset...]) else {
            throw ArchiveError(.corruptGzip, "unexpected data after the end of the gzip stream")
        }
        guard inflateReset(stream) == Z_OK else { throw ArchiveError(.corruptGzip, "cannot start the next gzip member") }
    }
}

@available(*, unavailable) extension GzipStream: Sendable {}
