/// Standard base64 (RFC 4648 §4: alphabet `A–Z a–z 0–9 + /`, `=` padding, no line breaks), tuned for
/// screenshot-sized inputs (hundreds of KiB to a few MiB).
///
/// ```swift
/// let data = Base64.encode(PNGEncoder.encode(image))   // for an image block's "data" field
/// ```
public enum Base64 {
    /// The 64-symbol alphabet, RFC 4648 §4 Table 1.
    static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    /// Two output symbols for every 12-bit group: entry `v` holds the symbols for `v >> 6` and `v & 63`,
    /// in memory order (first symbol in the low byte on little-endian machines).
    static let pairs: [UInt16] = (0..<4096).map { v in
        let first = UInt16(alphabet[v >> 6]), second = UInt16(alphabet[v & 63])
        #if _endian(little)
        return first | second << 8
        #else
        return first << 8 | second
        #endif
    }

    /// Encodes `bytes` as a base64 string (RFC 4648 §4), padded with `=` to a multiple of four characters.
    public static func encode(_ bytes: [UInt8]) -> String {
        bytes.withUnsafeBufferPointer { encode(UnsafeRawBufferPointer($0)) }
    }

    /// Encodes the bytes in `bytes` as a base64 string (RFC 4648 §4), padded with `=`.
    public static func encode(_ bytes: UnsafeRawBufferPointer) -> String {
        let count = bytes.count
        let outputCount = (count + 2) / 3 * 4
        if outputCount == 0 { return "" }
        return pairs.withUnsafeBufferPointer { table in
            String(unsafeUninitializedCapacity: outputCount) { output in
                let pair = table.baseAddress!
                let input = bytes.baseAddress!, out = UnsafeMutableRawPointer(output.baseAddress!)
                var i = 0, o = 0
                // RFC 4648 §4: each 24-bit group becomes four 6-bit indices, i.e. two 12-bit pair lookups.
                // Main loop: two groups (6 bytes) from one 8-byte load, eight symbols in one 8-byte store.
                while i &+ 8 <= count {
                    let word = input.loadUnaligned(fromByteOffset: i, as: UInt64.self).bigEndian
                    let a = Int(truncatingIfNeeded: word &>> 40), b = Int(truncatingIfNeeded: word &>> 16)
                    #if _endian(little)
                    let symbols = UInt64(pair[(a &>> 12) & 0xFFF]) | UInt64(pair[a & 0xFFF]) &<< 16
                        | UInt64(pair[(b &>> 12) & 0xFFF]) &<< 32 | UInt64(pair[b & 0xFFF]) &<< 48
                    #else
                    let symbols = UInt64(pair[(a &>> 12) & 0xFFF]) &<< 48 | UInt64(pair[a & 0xFFF]) &<< 32
                        | UInt64(pair[(b &>> 12) & 0xFFF]) &<< 16 | UInt64(pair[b & 0xFFF])
                    #endif
                    out.storeBytes(of: symbols, toByteOffset: o, as: UInt64.self)
                    i &+= 6
                    o &+= 8
                }
                while i &+ 3 <= count {
                    let group = Int(input.load(fromByteOffset: i, as: UInt8.self)) &<< 16
                        | Int(input.load(fromByteOffset: i &+ 1, as: UInt8.self)) &<< 8
                        | Int(input.load(fromByteOffset: i &+ 2, as: UInt8.self))
                    out.storeBytes(of: pair[group &>> 12], toByteOffset: o, as: UInt16.self)
                    out.storeBytes(of: pair[group & 0xFFF], toByteOffset: o &+ 2, as: UInt16.self)
                    i &+= 3
                    o &+= 4
                }
                // RFC 4648 §4: a final group of one or two bytes is zero-extended and padded with "=".
                let rest = count &- i
                if rest > 0 {
                    let b0 = Int(input.load(fromByteOffset: i, as: UInt8.self))
                    let b1 = rest == 2 ? Int(input.load(fromByteOffset: i &+ 1, as: UInt8.self)) : 0
                    let group = b0 << 16 | b1 << 8
                    let equals = UInt8(ascii: "=")
                    out.storeBytes(of: alphabet[group >> 18], toByteOffset: o, as: UInt8.self)
                    out.storeBytes(of: alphabet[(group >> 12) & 63], toByteOffset: o + 1, as: UInt8.self)
                    out.storeBytes(of: rest == 2 ? alphabet[(group >> 6) & 63] : equals,
                                   toByteOffset: o + 2, as: UInt8.self)
                    out.storeBytes(of: equals, toByteOffset: o + 3, as: UInt8.self)
                }
                return outputCount
            }
        }
    }
}
