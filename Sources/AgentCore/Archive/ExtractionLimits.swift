/// Caps applied while extracting an uploaded archive (issue 8: 10,000 entries and 256 MiB by default).
public struct ExtractionLimits: Sendable, Hashable {
    /// Most entries (files, directories and links; pax and GNU metadata headers excluded).
    public var maxEntries: Int
    /// Most content bytes over all regular files.
    public var maxTotalBytes: Int
    /// Longest entry name or link target, in UTF-8 bytes.
    public var maxPathBytes: Int
    /// Longest single path component, in UTF-8 bytes (Linux `NAME_MAX`).
    public var maxComponentBytes: Int

    public init(maxEntries: Int = 10_000, maxTotalBytes: Int = 256 << 20, maxPathBytes: Int = 1024,
                maxComponentBytes: Int = 255) {
        self.maxEntries = maxEntries
        self.maxTotalBytes = maxTotalBytes
        self.maxPathBytes = maxPathBytes
        self.maxComponentBytes = maxComponentBytes
    }

    /// The cap on the decompressed tar stream: content plus generous room for headers and padding.
    var maxDecompressedBytes: Int {
        let (perEntry, overflow) = (maxEntries + 2).multipliedReportingOverflow(by: 4096)
        let (total, overflow2) = maxTotalBytes.addingReportingOverflow(overflow ? Int.max / 2 : perEntry + (1 << 20))
        return overflow2 ? Int.max / 2 : total
    }
}
