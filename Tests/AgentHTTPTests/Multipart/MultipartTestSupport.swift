import AgentCore
import Foundation
import Glibc

/// A private temporary directory, removed (with whatever is left in it) by ``remove()``.
struct ScratchDirectory {
    let path: String

    init(_ label: String = "multipart") throws {
        var template = Array("\(NSTemporaryDirectory())agentd-\(label)-XXXXXX".utf8CString)
        guard let made = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else {
            throw ScratchError("mkdtemp failed: errno \(errno)")
        }
        path = String(cString: made)
    }

    /// A path inside the directory.
    func file(_ name: String) -> String { path + "/" + name }

    /// The names in the directory, sorted.
    var entries: [String] { ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).sorted() }

    func write(_ bytes: [UInt8], to name: String) throws {
        guard FileManager.default.createFile(atPath: file(name), contents: Data(bytes)) else {
            throw ScratchError("could not write \(name)")
        }
    }

    func read(_ name: String) throws -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: file(name)) else { throw ScratchError("could not read \(name)") }
        return [UInt8](data)
    }

    func remove() { try? FileManager.default.removeItem(atPath: path) }
}

struct ScratchError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Builds `multipart/form-data` bodies by hand, CRLF by CRLF.
struct MultipartBody {
    var boundary: String
    private(set) var bytes: [UInt8] = []

    init(boundary: String = "----agentd-test-7MA4YWxkTrZu0gW") { self.boundary = boundary }

    var contentType: String { "multipart/form-data; boundary=\(boundary)" }

    mutating func raw(_ text: String) { bytes += Array(text.utf8) }
    mutating func raw(_ data: [UInt8]) { bytes += data }

    /// `--boundary CRLF headers CRLF CRLF content CRLF` (the CRLF belongs to the next delimiter).
    mutating func part(_ headers: [String], _ content: [UInt8]) {
        raw("--\(boundary)\r\n")
        for header in headers { raw(header + "\r\n") }
        raw("\r\n")
        raw(content)
        raw("\r\n")
    }

    mutating func field(_ name: String, _ value: String) {
        part(["Content-Disposition: form-data; name=\"\(name)\""], Array(value.utf8))
    }

    mutating func file(named name: String = "file", filename: String = "agent.tar.gz", type: String = "application/gzip",
                       _ content: [UInt8]) {
        part(["Content-Disposition: form-data; name=\"\(name)\"; filename=\"\(filename)\"", "Content-Type: \(type)"],
             content)
    }

    mutating func close(epilogue: String = "") { raw("--\(boundary)--\r\n" + epilogue) }
}

/// Deterministic pseudo-random bytes (xorshift64*), cheap enough for tens of megabytes.
struct ByteGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed == 0 ? 0x9E37_79B9_7F4A_7C15 : seed }

    mutating func next() -> UInt64 {
        state ^= state >> 12
        state ^= state << 25
        state ^= state >> 27
        return state &* 0x2545_F491_4F6C_DD1D
    }

    /// `count` bytes.
    mutating func bytes(_ count: Int) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: count)
        out.withUnsafeMutableBytes { buffer in
            var offset = 0
            while offset + 8 <= buffer.count {
                buffer.storeBytes(of: next(), toByteOffset: offset, as: UInt64.self)
                offset += 8
            }
            var tail = next()
            while offset < buffer.count {
                buffer[offset] = UInt8(truncatingIfNeeded: tail)
                tail >>= 8
                offset += 1
            }
        }
        return out
    }
}

/// A SHA-256 digest of a byte stream of any length in bounded memory: the SHA-256 (AgentCore's
/// libcrypto one) of the concatenated hex SHA-256s of each 1 MiB block. Equal streams, however
/// they were split while feeding, give equal digests.
struct BlockDigest {
    static let blockSize = 1 << 20
    private var block: [UInt8] = []
    private var digests = ""
    private(set) var byteCount = 0

    init() { block.reserveCapacity(Self.blockSize) }

    mutating func update(_ bytes: some Collection<UInt8>) {
        var rest = bytes[...]
        byteCount += bytes.count
        while !rest.isEmpty {
            let take = min(Self.blockSize - block.count, rest.count)
            block += rest.prefix(take)
            rest = rest.dropFirst(take)
            if block.count == Self.blockSize {
                digests += SHA256.hex(block)
                block.removeAll(keepingCapacity: true)
            }
        }
    }

    mutating func finish() -> String {
        if !block.isEmpty || byteCount == 0 { digests += SHA256.hex(block) }
        block = []
        return SHA256.hex(Array(digests.utf8))
    }

    /// The digest of a file, read 1 MiB at a time.
    static func ofFile(_ path: String) throws -> (digest: String, byteCount: Int) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw ScratchError("open failed: errno \(errno)") }
        defer { close(fd) }
        var digest = BlockDigest()
        var chunk = [UInt8](repeating: 0, count: blockSize)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            guard count >= 0 else { throw ScratchError("read failed: errno \(errno)") }
            if count == 0 { break }
            digest.update(chunk[0..<count])
        }
        let total = digest.byteCount
        return (digest.finish(), total)
    }
}
