import CZlib

/// Streaming gzip compression (RFC 1952) through zlib into another sink: the writing counterpart
/// of ``GzipStream``.
///
/// Input is compressed as it is written, in chunks, so an archive of any size needs only a small
/// buffer. ``finish()`` writes the gzip trailer (CRC-32 and ISIZE) and finishes the sink beneath.
///
/// ```swift
/// let gzip = try GzipWriter(sink: try FileByteSink(path: "agent.tar.gz"))
/// try gzip.write(tarBytes)
/// try gzip.finish()
/// ```
public final class GzipWriter: ArchiveByteSink {
    private let sink: any ArchiveByteSink
    // zlib keeps a back pointer to its z_stream, so it must not move: heap-allocate it.
    private let stream: UnsafeMutablePointer<z_stream>
    private var finished = false
    private static let outputChunk = 64 * 1024

    /// Compresses into `sink` at zlib `level` (0 stores, 9 is smallest; 6 is zlib's default balance).
    ///
    /// - Throws: `ArchiveError` with rule `.io` when zlib cannot start.
    public init(sink: any ArchiveByteSink, level: Int32 = 6) throws {
        precondition((0...9).contains(level), "zlib level must be 0...9, got \(level)")
        self.sink = sink
        stream = .allocate(capacity: 1)
        stream.initialize(to: z_stream())
        // windowBits 15 + 16: write the gzip wrapper rather than zlib's (zlib.h, deflateInit2).
        let status = czlib_deflateInit2(stream, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY)
        guard status == Z_OK else {
            stream.deinitialize(count: 1)
            stream.deallocate()
            throw ArchiveError(.io, "zlib deflateInit2 failed (\(status))")
        }
    }

    deinit {
        deflateEnd(stream)
        stream.deinitialize(count: 1)
        stream.deallocate()
    }

    public func write(_ bytes: [UInt8]) throws {
        guard !finished else { throw ArchiveError(.io, "write after the gzip stream was finished") }
        guard !bytes.isEmpty else { return }
        try deflateAll(bytes, flush: Z_NO_FLUSH)
    }

    /// Ends the compressed stream with its trailer and finishes the sink beneath.
    public func finish() throws {
        guard !finished else { return }
        finished = true
        try deflateAll([], flush: Z_FINISH)
        try sink.finish()
    }

    /// Feeds `input` to deflate and writes out everything it produces.
    private func deflateAll(_ input: [UInt8], flush: Int32) throws {
        var input = input
        var output = [UInt8](repeating: 0, count: Self.outputChunk)
        try input.withUnsafeMutableBufferPointer { inBuffer in
            stream.pointee.next_in = inBuffer.baseAddress
            stream.pointee.avail_in = UInt32(inBuffer.count)
            while true {
                let (status, produced) = output.withUnsafeMutableBufferPointer { outBuffer in
                    stream.pointee.next_out = outBuffer.baseAddress
                    stream.pointee.avail_out = UInt32(outBuffer.count)
                    let status = deflate(stream, flush)
                    return (status, outBuffer.count - Int(stream.pointee.avail_out))
                }
                guard status == Z_OK || status == Z_STREAM_END || status == Z_BUF_ERROR else {
                    throw ArchiveError(.io, "zlib deflate failed (\(status))")
                }
                if produced > 0 { try sink.write(Array(output[0..<produced])) }
                // zlib.h: with avail_out left over, deflate has consumed all input it can for now.
                if flush == Z_FINISH ? status == Z_STREAM_END : stream.pointee.avail_out > 0 { break }
            }
            stream.pointee.next_in = nil
        }
    }
}

@available(*, unavailable) extension GzipWriter: Sendable {}
