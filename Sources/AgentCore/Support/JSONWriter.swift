/// Writes `JSONValue`s as compact UTF-8 JSON with sorted object keys (RFC 8259).
///
/// The hot paths are the ones agentd's lists and event streams take: strings are copied in one
/// piece when nothing in them needs escaping, integers are written digit by digit without an
/// intermediate `String`, and an object's members are sorted once as pairs instead of sorting the
/// keys and hashing each again to fetch its value.
struct JSONWriter {
    private(set) var bytes: [UInt8] = []

    init(reservingCapacity capacity: Int = 256) {
        bytes.reserveCapacity(capacity)
    }

    mutating func write(_ value: JSONValue) {
        switch value {
        case .null: append("null")
        case .bool(let b): append(b ? "true" : "false")
        case .int(let i): writeInteger(i)
        case .double(let d): writeDouble(d)
        case .string(let s): writeString(s)
        case .array(let elements):
            bytes.append(UInt8(ascii: "["))
            var first = true
            for element in elements {
                if !first { bytes.append(UInt8(ascii: ",")) }
                first = false
                write(element)
            }
            bytes.append(UInt8(ascii: "]"))
        case .object(let members):
            bytes.append(UInt8(ascii: "{"))
            var first = true
            for member in Self.sortedMembers(members) {
                if !first { bytes.append(UInt8(ascii: ",")) }
                first = false
                writeString(member.key)
                bytes.append(UInt8(ascii: ":"))
                write(member.value)
            }
            bytes.append(UInt8(ascii: "}"))
        }
    }

    /// The members in key order. Small objects (nearly all of agentd's) are sorted by insertion
    /// into a short array, larger ones by `sorted`; comparing keys byte-wise gives the same order as `String`'s `<` for the
    /// ASCII keys agentd writes, and a stable one (by code units) for any other.
    private static func sortedMembers(_ members: [String: JSONValue]) -> [(key: String, value: JSONValue)] {
        guard members.count <= 16 else { return members.sorted { Self.precedes($0.key, $1.key) } }
        var sorted: [(key: String, value: JSONValue)] = []
        sorted.reserveCapacity(members.count)
        for member in members {
            var index = sorted.count
            while index > 0, Self.precedes(member.key, sorted[index - 1].key) { index -= 1 }
            sorted.insert(member, at: index)
        }
        return sorted
    }

    /// Byte-wise order of two keys' UTF-8 (which is also Unicode scalar order).
    private static func precedes(_ a: String, _ b: String) -> Bool {
        var a = a, b = b
        return a.withUTF8 { x in
            b.withUTF8 { y in
                let common = min(x.count, y.count)
                for i in 0..<common where x[i] != y[i] { return x[i] < y[i] }
                return x.count < y.count
            }
        }
    }

    /// Appends already-serialized JSON (used to splice cached message bytes into a request body).
    mutating func writeRaw(_ raw: [UInt8]) {
        bytes.append(contentsOf: raw)
    }

    mutating func append(_ s: String) {
        bytes.append(contentsOf: s.utf8)
    }

    /// Decimal digits of `value`, most significant first, without allocating a `String`.
    private mutating func writeInteger(_ value: Int) {
        if value == 0 { return bytes.append(UInt8(ascii: "0")) }
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        var magnitude = value.magnitude
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)    // 24 bytes: room for 20 digits
        var count = 0
        withUnsafeMutableBytes(of: &digits) { buffer in
            while magnitude > 0 {
                buffer[23 - count] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
                count += 1
            }
            bytes.append(contentsOf: buffer[(24 - count)...])
        }
    }

    private mutating func writeDouble(_ d: Double) {
        // RFC 8259 §6: NaN and infinities are not JSON numbers.
        guard d.isFinite else { return append("null") }
        if d.rounded() == d && abs(d) < 1e15 {
            writeInteger(Int(d))
            append(".0")
        } else {
            append(String(d))
        }
    }

    /// RFC 8259 §7: escape `"`, `\` and control characters; everything else passes as UTF-8.
    mutating func writeString(_ s: String) {
        var s = s
        bytes.append(UInt8(ascii: "\""))
        s.withUTF8 { utf8 in
            // Copy the runs that need no escaping in one piece each.
            var runStart = 0
            for index in 0..<utf8.count {
                let byte = utf8[index]
                guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
                if runStart < index { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<index])) }
                runStart = index + 1
                writeEscaped(byte)
            }
            if runStart < utf8.count { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart...])) }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    private mutating func writeEscaped(_ byte: UInt8) {
        switch byte {
        case UInt8(ascii: "\""): append("\\\"")
        case UInt8(ascii: "\\"): append("\\\\")
        case 0x0A: append("\\n")
        case 0x0D: append("\\r")
        case 0x09: append("\\t")
        case 0x08: append("\\b")
        case 0x0C: append("\\f")
        default:
            append("\\u00")
            bytes.append(Self.hexDigits[Int(byte >> 4)])
            bytes.append(Self.hexDigits[Int(byte & 0xF)])
        }
    }

    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)
}
