/// Field decoding for one 512-byte tar header block (POSIX pax, "ustar Interchange Format") and for
/// pax extended header records.
enum TarHeader {
    static let blockSize = 512

    /// Field ranges of the ustar header block (IEEE 1003.1-2017, pax, Table "ustar Header Block").
    enum Field {
        static let name = 0..<100
        static let mode = 100..<108
        static let size = 124..<136
        static let checksum = 148..<156
        static let typeflag = 156
        static let linkname = 157..<257
        static let magic = 257..<263
        static let prefix = 345..<500
    }

    static func isZeroBlock(_ block: ArraySlice<UInt8>) -> Bool { block.allSatisfy { $0 == 0 } }

    /// Verifies the checksum: the sum of all header bytes with the checksum field taken as eight spaces (pax, "chksum").
    static func verifyChecksum(_ block: ArraySlice<UInt8>) throws {
        let base = block.startIndex
        let stored = try number(block[(base + Field.checksum.lowerBound)..<(base + Field.checksum.upperBound)], field: "chksum")
        var unsignedSum = 0
        var signedSum = 0
        for (offset, byte) in block.enumerated() {
            let value = Field.checksum.contains(offset) ? 0x20 : byte
            unsignedSum += Int(value)
            signedSum += Int(Int8(bitPattern: value))  // some historic writers summed signed chars
        }
        guard stored == unsignedSum || stored == signedSum else {
            throw ArchiveError(.badChecksum, "header checksum \(stored) does not match computed \(unsignedSum)")
        }
    }

    /// A numeric field: octal digits padded with spaces or NULs, or GNU base-256 when the high bit of
    /// the first byte is set (big-endian two's complement; negative values refused).
    static func number(_ field: ArraySlice<UInt8>, field name: String) throws -> Int {
        guard let first = field.first else { return 0 }
        if first & 0x80 != 0 {
            guard first & 0x40 == 0 else { throw ArchiveError(.malformedHeader, "negative base-256 \(name)") }
            var value = Int(first & 0x3f)
            for byte in field.dropFirst() {
                guard value <= (Int.max >> 8) else { throw ArchiveError(.malformedHeader, "\(name) is too large") }
                value = value << 8 | Int(byte)
            }
            return value
        }
        var value = 0
        var index = field.startIndex
        while index < field.endIndex && (field[index] == 0x20 || field[index] == 0) { index += 1 }
        if index == field.endIndex { return 0 }
        while index < field.endIndex, (0x30...0x37).contains(field[index]) {
            guard value <= (Int.max >> 3) else { throw ArchiveError(.malformedHeader, "\(name) is too large") }
            value = value << 3 | Int(field[index] - 0x30)
            index += 1
        }
        // Only spaces and NULs may follow the digits.
        guard field[index...].allSatisfy({ $0 == 0x20 || $0 == 0 }) else {
            throw ArchiveError(.malformedHeader, "\(name) is not an octal number")
        }
        return value
    }

    /// A NUL-terminated (or full-width) string field, which must be UTF-8.
    static func string(_ field: ArraySlice<UInt8>, field name: String) throws -> String {
        let bytes = field.prefix { $0 != 0 }
        return try utf8(bytes, field: name)
    }

    static func utf8(_ bytes: some Collection<UInt8>, field name: String) throws -> String {
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw ArchiveError(.malformedHeader, "\(name) is not valid UTF-8")
        }
        return text
    }

    /// Parses pax extended header records, each `"%d %s=%s\n"` whose decimal length counts the whole
    /// record (IEEE 1003.1-2017, pax, "pax Extended Header"). Returns keyword → value; later records win.
    static func paxRecords(_ data: [UInt8]) throws -> [String: String] {
        var records: [String: String] = [:]
        var index = 0
        while index < data.count {
            var length = 0
            var cursor = index
            while cursor < data.count, (0x30...0x39).contains(data[cursor]), length < 1 << 30 {
                length = length * 10 + Int(data[cursor] - 0x30)
                cursor += 1
            }
            guard cursor > index, cursor < data.count, data[cursor] == 0x20,
                  length > cursor - index + 1, index + length <= data.count, data[index + length - 1] == 0x0a
            else { throw ArchiveError(.malformedHeader, "malformed pax extended header record") }
            let body = data[(cursor + 1)..<(index + length - 1)]
            guard let equals = body.firstIndex(of: 0x3d), equals > body.startIndex else {
                throw ArchiveError(.malformedHeader, "pax record without keyword=value")
            }
            let key = try utf8(body[..<equals], field: "pax keyword")
            let value = try utf8(body[(equals + 1)...], field: "pax \(key)")
            records[key] = value
            index += length
        }
        return records
    }
}
