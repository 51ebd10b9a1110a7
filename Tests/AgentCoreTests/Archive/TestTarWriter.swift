import CZlib
import Foundation

/// Builds tar archives byte by byte so tests can produce exactly the hostile headers they need.
struct TestTarWriter {
    private(set) var bytes: [UInt8] = []

    mutating func header(_ name: String, type: Character = "0", mode: UInt32 = 0o644, size: Int = 0, link: String = "",
                         prefix: String = "", base256Size: Bool = false, corruptChecksum: Bool = false) {
        var block = [UInt8](repeating: 0, count: 512)
        func put(_ text: String, at offset: Int) { for (i, b) in text.utf8.enumerated() { block[offset + i] = b } }
        func octal(_ value: Int, at offset: Int, width: Int) {
            put(String(repeating: "0", count: max(0, width - 1 - String(value, radix: 8).count)) + String(value, radix: 8), at: offset)
        }
        put(name, at: 0)
        octal(Int(mode), at: 100, width: 8)
        octal(0, at: 108, width: 8)
        octal(0, at: 116, width: 8)
        if base256Size {
            block[124] = 0x80
            var value = size
            for i in stride(from: 135, to: 124, by: -1) { block[i] = UInt8(value & 0xff); value >>= 8 }
        } else {
            octal(size, at: 124, width: 12)
        }
        octal(0, at: 136, width: 12)
        block[156] = type.asciiValue!
        put(link, at: 157)
        put("ustar\0", at: 257)
        put("00", at: 263)
        put(prefix, at: 345)
        for i in 148..<156 { block[i] = 0x20 }
        var sum = block.reduce(0) { $0 + Int($1) }
        if corruptChecksum { sum += 1 }
        octal(sum, at: 148, width: 7)
        block[155] = 0x20
        bytes += block
    }

    mutating func content(_ data: [UInt8]) {
        bytes += data
        bytes += [UInt8](repeating: 0, count: (512 - data.count % 512) % 512)
    }

    mutating func file(_ name: String, _ text: String, mode: UInt32 = 0o644) {
        header(name, mode: mode, size: text.utf8.count)
        content(Array(text.utf8))
    }

    mutating func pax(_ records: [(String, String)]) {
        var data: [UInt8] = []
        for (key, value) in records {
            let body = " \(key)=\(value)\n"
            var length = body.utf8.count + 1
            while String(length).count + body.utf8.count != length { length += 1 }
            data += Array("\(length)\(body)".utf8)
        }
        header("PaxHeader", type: "x", size: data.count)
        content(data)
    }

    mutating func end() { bytes += [UInt8](repeating: 0, count: 1024) }

    var gzipped: [UInt8] { TestGzip.compress(bytes) }
}

enum TestGzip {
    /// gzip (RFC 1952) via zlib's deflate with windowBits 31.
    static func compress(_ input: [UInt8]) -> [UInt8] {
        let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        stream.initialize(to: z_stream())
        defer { deflateEnd(stream); stream.deallocate() }
        precondition(czlib_deflateInit2(stream, 9, Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY) == Z_OK)
        var source = input
        var output = [UInt8](repeating: 0, count: Int(deflateBound(stream, UInt(input.count))) + 64)
        let produced = source.withUnsafeMutableBufferPointer { inBuffer in
            output.withUnsafeMutableBufferPointer { outBuffer in
                stream.pointee.next_in = inBuffer.baseAddress
                stream.pointee.avail_in = UInt32(inBuffer.count)
                stream.pointee.next_out = outBuffer.baseAddress
                stream.pointee.avail_out = UInt32(outBuffer.count)
                precondition(deflate(stream, Z_FINISH) == Z_STREAM_END)
                return outBuffer.count - Int(stream.pointee.avail_out)
            }
        }
        return Array(output.prefix(produced))
    }
}
