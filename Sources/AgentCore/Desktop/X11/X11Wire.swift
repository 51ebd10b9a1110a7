/// Appends little-endian X11 wire values to a byte array.
///
/// The client announces byte order `'l'` in its setup request, so every 16- and 32-bit field it sends, and every
/// one the server sends back, is little-endian (X11 protocol, "Connection Setup": byte-order).
struct WireWriter {
    var bytes: [UInt8] = []

    mutating func u8(_ value: UInt8) { bytes.append(value) }

    mutating func u16(_ value: UInt16) {
        bytes.append(UInt8(truncatingIfNeeded: value))
        bytes.append(UInt8(truncatingIfNeeded: value >> 8))
    }

    mutating func i16(_ value: Int16) { u16(UInt16(bitPattern: value)) }

    mutating func u32(_ value: UInt32) {
        bytes.append(UInt8(truncatingIfNeeded: value))
        bytes.append(UInt8(truncatingIfNeeded: value >> 8))
        bytes.append(UInt8(truncatingIfNeeded: value >> 16))
        bytes.append(UInt8(truncatingIfNeeded: value >> 24))
    }

    mutating func zeros(_ count: Int) { bytes.append(contentsOf: repeatElement(0, count: count)) }

    mutating func append(_ data: some Collection<UInt8>) { bytes.append(contentsOf: data) }

    /// Pads with zeros to a multiple of 4 bytes (X11 protocol, "Syntactic Conventions": pad(E)).
    mutating func pad() { zeros((4 - bytes.count % 4) % 4) }

    /// Overwrites a 16-bit value at `offset`.
    mutating func set16(_ value: UInt16, at offset: Int) {
        bytes[offset] = UInt8(truncatingIfNeeded: value)
        bytes[offset + 1] = UInt8(truncatingIfNeeded: value >> 8)
    }
}

/// The number of padding bytes after `count` bytes (X11 protocol: pad(E) = (4 - (E mod 4)) mod 4).
@inline(__always)
func x11Pad(_ count: Int) -> Int { (4 - count % 4) % 4 }

extension Array where Element == UInt8 {
    /// The little-endian 16-bit value at `offset`.
    @inline(__always)
    func x11U16(_ offset: Int) -> UInt16 { UInt16(self[offset]) | UInt16(self[offset + 1]) << 8 }

    /// The little-endian signed 16-bit value at `offset`.
    @inline(__always)
    func x11I16(_ offset: Int) -> Int16 { Int16(bitPattern: x11U16(offset)) }

    /// The little-endian 32-bit value at `offset`.
    @inline(__always)
    func x11U32(_ offset: Int) -> UInt32 {
        UInt32(self[offset]) | UInt32(self[offset + 1]) << 8 | UInt32(self[offset + 2]) << 16 | UInt32(self[offset + 3]) << 24
    }
}

/// One reply packet: the fixed 32-byte header and the additional data after it.
///
/// Offsets are those of the protocol spec (counted from the start of the reply): a field at offset < 32 lives in
/// `header`, one at 32 or beyond in `body`. Keeping the body separate lets GetImage hand its pixels out without a copy.
struct X11Reply {
    /// The first 32 bytes.
    var header: [UInt8]
    /// The `4 * length` additional bytes.
    var body: [UInt8]

    /// The byte at offset 1, which many replies use for a small field (depth, format, count).
    var detail: UInt8 { header[1] }

    func u8(_ offset: Int) -> UInt8 { offset < 32 ? header[offset] : body[offset - 32] }
    func u16(_ offset: Int) -> UInt16 { offset < 32 ? header.x11U16(offset) : body.x11U16(offset - 32) }
    func i16(_ offset: Int) -> Int16 { Int16(bitPattern: u16(offset)) }
    func u32(_ offset: Int) -> UInt32 { offset < 32 ? header.x11U32(offset) : body.x11U32(offset - 32) }
}
