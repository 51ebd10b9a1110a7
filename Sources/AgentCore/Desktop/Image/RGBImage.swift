/// An 8-bit-per-channel RGB image, tightly packed: row `y` starts at byte `y * width * 3`, and each pixel is
/// red, green, blue in that order.
///
/// This is what the computer tool's screenshot pipeline passes between capture, scaling and PNG encoding.
/// Build one from an X server's `ZPixmap` capture with ``init(bgrx:width:height:bytesPerRow:)``, or convert
/// and shrink in one pass with ``init(bgrx:width:height:bytesPerRow:targetWidth:targetHeight:)``, then hand it
/// to ``PNGEncoder`` and ``Base64``.
///
/// ```swift
/// let shot = RGBImage(bgrx: frame, width: 1920, height: 1080, bytesPerRow: 7680,
///                     targetWidth: 1366, targetHeight: 768)
/// let data = Base64.encode(PNGEncoder.encode(shot))
/// ```
public struct RGBImage: Sendable, Hashable {
    /// Width in pixels (at least 1).
    public let width: Int
    /// Height in pixels (at least 1).
    public let height: Int
    /// `width * height * 3` bytes: rows top to bottom, pixels left to right, R, G, B per pixel.
    public let pixels: [UInt8]

    /// Wraps already packed RGB bytes.
    ///
    /// - Parameters:
    ///   - width: Width in pixels; must be positive.
    ///   - height: Height in pixels; must be positive.
    ///   - pixels: Exactly `width * height * 3` bytes, R, G, B per pixel, no row padding.
    public init(width: Int, height: Int, pixels: [UInt8]) {
        precondition(width > 0 && height > 0, "RGBImage needs a positive size, got \(width)x\(height)")
        precondition(pixels.count == width * height * 3,
                     "RGBImage \(width)x\(height) needs \(width * height * 3) bytes, got \(pixels.count)")
        self.width = width
        self.height = height
        self.pixels = pixels
    }

    /// Converts a 32-bits-per-pixel little-endian BGRX frame (an X11 `ZPixmap` at depth 24) to RGB.
    ///
    /// Byte 0 of each pixel is blue, byte 1 green, byte 2 red; byte 3 is padding and is ignored (it is not
    /// alpha and may hold anything).
    ///
    /// - Parameters:
    ///   - bgrx: The frame. Must hold at least `bytesPerRow * (height - 1) + width * 4` bytes.
    ///   - width: Width in pixels; must be positive.
    ///   - height: Height in pixels; must be positive.
    ///   - bytesPerRow: Distance between the starts of two rows, at least `width * 4` (X pads rows to its
    ///     scanline unit, so it can be larger).
    public init(bgrx: UnsafeRawBufferPointer, width: Int, height: Int, bytesPerRow: Int) {
        BGRXFrame.validate(bgrx, width: width, height: height, bytesPerRow: bytesPerRow)
        let pixels = [UInt8](unsafeUninitializedCapacity: width * height * 3) { out, count in
            BGRXFrame.convert(bgrx.baseAddress!, width: width, height: height, bytesPerRow: bytesPerRow,
                              into: out.baseAddress!)
            count = width * height * 3
        }
        self.init(width: width, height: height, pixels: pixels)
    }

    /// Converts a BGRX frame held in an array; see
    /// ``init(bgrx:width:height:bytesPerRow:)``.
    public init(bgrx: [UInt8], width: Int, height: Int, bytesPerRow: Int) {
        self = bgrx.withUnsafeBytes { RGBImage(bgrx: $0, width: width, height: height, bytesPerRow: bytesPerRow) }
    }

    /// Converts a BGRX frame to RGB and resizes it to `targetWidth` x `targetHeight` in one pass, without an
    /// intermediate full-size RGB image.
    ///
    /// Shrinking uses an area average (see ``scaled(toWidth:height:)``). When the target size equals the
    /// source size this is exactly the plain conversion.
    ///
    /// - Parameters:
    ///   - bgrx: The frame, laid out as for ``init(bgrx:width:height:bytesPerRow:)``.
    ///   - width: Source width in pixels.
    ///   - height: Source height in pixels.
    ///   - bytesPerRow: Source row stride in bytes, at least `width * 4`.
    ///   - targetWidth: Output width; must be positive.
    ///   - targetHeight: Output height; must be positive.
    public init(bgrx: UnsafeRawBufferPointer, width: Int, height: Int, bytesPerRow: Int,
                targetWidth: Int, targetHeight: Int) {
        BGRXFrame.validate(bgrx, width: width, height: height, bytesPerRow: bytesPerRow)
        if targetWidth == width && targetHeight == height {
            self.init(bgrx: bgrx, width: width, height: height, bytesPerRow: bytesPerRow)
            return
        }
        let scaler = AreaAverageScaler(sourceWidth: width, sourceHeight: height,
                                       targetWidth: targetWidth, targetHeight: targetHeight)
        let pixels = scaler.scale(bgrx.baseAddress!, bytesPerRow: bytesPerRow, layout: .bgrx)
        self.init(width: targetWidth, height: targetHeight, pixels: pixels)
    }

    /// Converts and resizes a BGRX frame held in an array; see
    /// ``init(bgrx:width:height:bytesPerRow:targetWidth:targetHeight:)``.
    public init(bgrx: [UInt8], width: Int, height: Int, bytesPerRow: Int, targetWidth: Int, targetHeight: Int) {
        self = bgrx.withUnsafeBytes {
            RGBImage(bgrx: $0, width: width, height: height, bytesPerRow: bytesPerRow,
                     targetWidth: targetWidth, targetHeight: targetHeight)
        }
    }

    /// The rectangle `x..<x+width`, `y..<y+height` of this image as a new image.
    ///
    /// - Precondition: The rectangle is non-empty and lies inside the image.
    public func cropped(x: Int, y: Int, width: Int, height: Int) -> RGBImage {
        precondition(width > 0 && height > 0 && x >= 0 && y >= 0
                     && x + width <= self.width && y + height <= self.height,
                     "crop \(width)x\(height)+\(x)+\(y) is outside the \(self.width)x\(self.height) image")
        if x == 0 && y == 0 && width == self.width && height == self.height { return self }
        let rowBytes = width * 3, sourceRowBytes = self.width * 3
        let out = pixels.withUnsafeBytes { source in
            [UInt8](unsafeUninitializedCapacity: rowBytes * height) { buffer, count in
                let src = source.baseAddress! + (y * self.width + x) * 3
                let dst = UnsafeMutableRawPointer(buffer.baseAddress!)
                for row in 0..<height {
                    (dst + row * rowBytes).copyMemory(from: src + row * sourceRowBytes, byteCount: rowBytes)
                }
                count = rowBytes * height
            }
        }
        return RGBImage(width: width, height: height, pixels: out)
    }

    /// This image resized to `width` x `height`.
    ///
    /// Each output pixel is the **area average** of the source pixels it covers, with fractional coverage
    /// at its edges (a box filter). That keeps thin text strokes when shrinking, where bilinear sampling would
    /// skip source pixels. Enlarging uses the same box, which amounts to nearest-neighbour with blended seams.
    /// The same size returns the image unchanged.
    ///
    /// - Parameters:
    ///   - width: Output width; must be positive.
    ///   - height: Output height; must be positive.
    public func scaled(toWidth width: Int, height: Int) -> RGBImage {
        if width == self.width && height == self.height { return self }
        let scaler = AreaAverageScaler(sourceWidth: self.width, sourceHeight: self.height,
                                       targetWidth: width, targetHeight: height)
        let out = pixels.withUnsafeBytes { source in
            scaler.scale(source.baseAddress!, bytesPerRow: self.width * 3, layout: .rgb)
        }
        return RGBImage(width: width, height: height, pixels: out)
    }
}
