/// Bounds on what a `multipart/form-data` reader buffers or accepts; memory stays within
/// roughly ``readChunkBytes`` + ``maxPartHeaderBytes`` + the kept text fields, whatever the body size.
///
/// ```swift
/// var limits = MultipartLimits()
/// limits.maxParts = 10
/// let reader = try MultipartFormReader(contentType: contentType, limits: limits)
/// ```
public struct MultipartLimits: Sendable, Hashable {
    /// How much of the body is read from disk at a time.
    public var readChunkBytes: Int
    /// Largest header block of one part, its lines and CRLFs included.
    public var maxPartHeaderBytes: Int
    /// Most parts in one body (the wanted file part included).
    public var maxParts: Int
    /// Largest text field (a part without a filename) kept in ``MultipartUpload/fields``.
    public var maxFieldBytes: Int

    /// Creates limits; every argument has the documented default: 64 KiB reads, 8 KiB of part
    /// headers, 100 parts, 8 KiB fields.
    public init(readChunkBytes: Int = 64 * 1024, maxPartHeaderBytes: Int = 8 * 1024, maxParts: Int = 100,
                maxFieldBytes: Int = 8 * 1024) {
        self.readChunkBytes = max(readChunkBytes, 1)
        self.maxPartHeaderBytes = maxPartHeaderBytes
        self.maxParts = maxParts
        self.maxFieldBytes = maxFieldBytes
    }
}
