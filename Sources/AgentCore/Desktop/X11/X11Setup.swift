/// What the X server said about itself when the connection was accepted, for the first screen.
public struct X11Setup: Sendable, Hashable {
    /// One entry of the server's pixmap formats: how images of a depth are laid out in memory.
    public struct PixmapFormat: Sendable, Hashable {
        /// The depth (significant bits per pixel).
        public var depth: UInt8
        /// Bits per pixel in ZPixmap images of this depth (32 for depth 24 on Xvfb).
        public var bitsPerPixel: UInt8
        /// Each scanline is padded to a multiple of this many bits.
        public var scanlinePad: UInt8
    }

    /// The server's protocol version (11.0).
    public var protocolMajor: UInt16
    /// The server's protocol minor version.
    public var protocolMinor: UInt16
    /// The vendor's release number.
    public var releaseNumber: UInt32
    /// The base of the resource ids this client may allocate.
    public var resourceIDBase: UInt32
    /// The bits of a resource id this client may vary.
    public var resourceIDMask: UInt32
    /// The vendor string, e.g. `The X.Org Foundation`.
    public var vendor: String
    /// The largest request the server accepts, in 4-byte units.
    public var maximumRequestLength: Int
    /// Whether image data is least significant byte first (true on Xvfb on x86): 32-bit pixels are then B, G, R, X.
    public var imageLSBFirst: Bool
    /// The smallest keycode the server uses (8).
    public var minKeycode: UInt8
    /// The largest keycode the server uses (255).
    public var maxKeycode: UInt8
    /// The server's pixmap formats.
    public var pixmapFormats: [PixmapFormat]
    /// The first screen's root window.
    public var rootWindow: UInt32
    /// The first screen's width in pixels.
    public var width: Int
    /// The first screen's height in pixels.
    public var height: Int
    /// The first screen's depth.
    public var rootDepth: UInt8
    /// The first screen's root visual.
    public var rootVisual: UInt32
    /// The root visual's red mask (0xFF0000 for the usual TrueColor 24-bit visual).
    public var redMask: UInt32
    /// The root visual's green mask.
    public var greenMask: UInt32
    /// The root visual's blue mask.
    public var blueMask: UInt32

    /// The format of `depth`, if the server has one.
    public func format(forDepth depth: UInt8) -> PixmapFormat? { pixmapFormats.first { $0.depth == depth } }

    /// Parses a Success setup reply: its 8-byte head followed by the additional data.
    ///
    /// X11 protocol, "Connection Setup", server response Success.
    init(parsing reply: [UInt8]) throws(X11Error) {
        func need(_ count: Int) throws(X11Error) {
            guard count <= reply.count else { throw X11Error(.connectionLost, "X server setup reply is truncated") }
        }
        try need(40)
        protocolMajor = reply.x11U16(2)
        protocolMinor = reply.x11U16(4)
        releaseNumber = reply.x11U32(8)
        resourceIDBase = reply.x11U32(12)
        resourceIDMask = reply.x11U32(16)
        // motion-buffer-size at 20
        let vendorLength = Int(reply.x11U16(24))
        maximumRequestLength = Int(reply.x11U16(26))
        let screenCount = Int(reply[28])
        let formatCount = Int(reply[29])
        imageLSBFirst = reply[30] == 0 // 0 LSBFirst, 1 MSBFirst
        // bitmap-format-bit-order, -scanline-unit, -scanline-pad at 31…33
        minKeycode = reply[34]
        maxKeycode = reply[35]
        var offset = 40
        try need(offset + vendorLength)
        vendor = String(decoding: reply[offset..<offset + vendorLength], as: UTF8.self)
        offset += vendorLength + x11Pad(vendorLength)

        // LISTofFORMAT: depth, bits-per-pixel, scanline-pad, 5 unused.
        try need(offset + 8 * formatCount)
        pixmapFormats = (0..<formatCount).map { i in
            let at = offset + 8 * i
            return PixmapFormat(depth: reply[at], bitsPerPixel: reply[at + 1], scanlinePad: reply[at + 2])
        }
        offset += 8 * formatCount

        // LISTofSCREEN: the first one (40 bytes, then LISTofDEPTH).
        guard screenCount >= 1 else { throw X11Error(.unsupported, "X server reports no screens") }
        try need(offset + 40)
        rootWindow = reply.x11U32(offset)
        width = Int(reply.x11U16(offset + 20))
        height = Int(reply.x11U16(offset + 22))
        rootVisual = reply.x11U32(offset + 32)
        rootDepth = reply[offset + 38]
        let depthCount = Int(reply[offset + 39])
        offset += 40
        var masks: (UInt32, UInt32, UInt32) = (0, 0, 0)
        for _ in 0..<depthCount {
            // DEPTH: depth, unused, CARD16 visual count, 4 unused, then 24-byte VISUALTYPEs.
            try need(offset + 8)
            let visualCount = Int(reply.x11U16(offset + 2))
            offset += 8
            try need(offset + 24 * visualCount)
            for v in 0..<visualCount {
                let at = offset + 24 * v
                if reply.x11U32(at) == rootVisual {
                    masks = (reply.x11U32(at + 8), reply.x11U32(at + 12), reply.x11U32(at + 16))
                }
            }
            offset += 24 * visualCount
        }
        (redMask, greenMask, blueMask) = masks
    }
}
