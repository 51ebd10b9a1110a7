/// A screen capture: 32-bit pixels in memory order B, G, R, X (X is padding, not alpha), top row first.
///
/// This is the layout of a depth-24 ZPixmap from a server with LSBFirst image byte order (Xvfb on x86), which the
/// capture code converts to when a server sends MSBFirst. Rows are `bytesPerRow` apart; for 32 bits per pixel
/// that is `width * 4`.
public struct CapturedImage: Sendable, Hashable {
    /// Width in pixels.
    public let width: Int
    /// Height in pixels.
    public let height: Int
    /// Distance between the starts of consecutive rows, in bytes.
    public let bytesPerRow: Int
    /// `bytesPerRow * height` bytes of BGRX pixels.
    public let bytes: [UInt8]

    /// Creates an image from BGRX bytes.
    public init(width: Int, height: Int, bytesPerRow: Int, bytes: [UInt8]) {
        precondition(width >= 0 && height >= 0 && bytesPerRow >= width * 4 && bytes.count >= bytesPerRow * height,
                     "CapturedImage \(width)x\(height) stride \(bytesPerRow) needs \(bytesPerRow * height) bytes, got \(bytes.count)")
        self.width = width
        self.height = height
        self.bytesPerRow = bytesPerRow
        self.bytes = bytes
    }

    /// The (red, green, blue) of the pixel at (`x`, `y`).
    public func pixel(x: Int, y: Int) -> (red: UInt8, green: UInt8, blue: UInt8) {
        let offset = y * bytesPerRow + x * 4
        return (bytes[offset + 2], bytes[offset + 1], bytes[offset])
    }
}
