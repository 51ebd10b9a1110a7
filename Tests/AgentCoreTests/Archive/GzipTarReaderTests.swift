import Testing
@testable import AgentCore

@Suite struct GzipStreamTests {
    private func drain(_ stream: GzipStream) throws -> [UInt8] {
        var out: [UInt8] = []
        while case let chunk = try stream.read(maxCount: 4096), !chunk.isEmpty { out += chunk }
        return out
    }

    @Test func magicCheck() {
        #expect(hasGzipMagic([0x1f, 0x8b, 0x08]))
        #expect(!hasGzipMagic([0x1f]))
        #expect(!hasGzipMagic(Array("PK\u{3}\u{4}".utf8)))
    }

    @Test func roundTripAndConcatenatedMembers() throws {
        let text = Array(String(repeating: "hello gzip ", count: 5000).utf8)
        #expect(try drain(GzipStream(source: ByteArraySource(TestGzip.compress(text)), outputLimit: 1 << 20)) == text)
        let two = TestGzip.compress(Array("ab".utf8)) + TestGzip.compress(Array("cd".utf8))
        #expect(try drain(GzipStream(source: ByteArraySource(two), outputLimit: 100)) == Array("abcd".utf8))
    }

    @Test func bombStopsAtTheLimit() throws {
        let bomb = TestGzip.compress([UInt8](repeating: 0, count: 8 << 20))
        let stream = GzipStream(source: ByteArraySource(bomb), outputLimit: 1 << 20)
        let error = #expect(throws: ArchiveError.self) { try drain(stream) }
        #expect(error?.rule == .tooManyBytes)
        #expect(stream.totalOut <= (1 << 20) + 1)
    }

    @Test func refusesNonGzipCorruptAndTruncated() throws {
        let plain = #expect(throws: ArchiveError.self) { try drain(GzipStream(source: ByteArraySource(Array("hello".utf8)), outputLimit: 10)) }
        #expect(plain?.rule == .notGzip)
        var good = TestGzip.compress(Array(String(repeating: "x", count: 1000).utf8))
        let truncated = #expect(throws: ArchiveError.self) {
            try drain(GzipStream(source: ByteArraySource(Array(good.prefix(good.count - 6))), outputLimit: 10_000))
        }
        #expect(truncated?.rule == .truncated)
        good[good.count - 5] ^= 0xff  // ISIZE/CRC trailer
        let corrupt = #expect(throws: ArchiveError.self) { try drain(GzipStream(source: ByteArraySource(good), outputLimit: 10_000)) }
        #expect(corrupt?.rule == .corruptGzip)
        let trailing = TestGzip.compress([1]) + [0x41, 0x42]
        let extra = #expect(throws: ArchiveError.self) { try drain(GzipStream(source: ByteArraySource(trailing), outputLimit: 10)) }
        #expect(extra?.rule == .corruptGzip)
    }
}

@Suite struct TarReaderTests {
    @Test func readsUstarPaxGnuAndBase256() throws {
        var tar = TestTarWriter()
        tar.file("plain.txt", "one")
        tar.header("name.txt", size: 3, prefix: "deep/prefix")
        tar.content(Array("two".utf8))
        let longName = String(repeating: "n", count: 150) + "/file"
        tar.pax([("path", longName), ("linkpath", "ignored-for-files"), ("mtime", "1.5")])
        tar.file("short", "three")
        var gnuName = Array(String(repeating: "g", count: 120).utf8)
        gnuName.append(0)
        tar.header("././@LongLink", type: "L", size: gnuName.count)
        tar.content(gnuName)
        tar.header("trunc", type: "2", link: "plain.txt")
        tar.header("big.bin", size: 600, base256Size: true)
        tar.content([UInt8](repeating: 7, count: 600))
        tar.end()

        let reader = TarReader(source: ByteArraySource(tar.bytes))
        var entries: [TarEntry] = []
        var contents: [[UInt8]] = []
        while let entry = try reader.next() {
            entries.append(entry)
            var data: [UInt8] = []
            while case let chunk = try reader.readContent(maxCount: 100), !chunk.isEmpty { data += chunk }
            contents.append(data)
        }
        #expect(entries.map(\.path) == ["plain.txt", "deep/prefix/name.txt", longName, String(repeating: "g", count: 120), "big.bin"])
        #expect(contents[0] == Array("one".utf8) && contents[1] == Array("two".utf8) && contents[2] == Array("three".utf8))
        #expect(entries[3].kind == .symbolicLink && entries[3].linkTarget == "plain.txt")
        #expect(entries[4].size == 600 && contents[4] == [UInt8](repeating: 7, count: 600))
        #expect(try reader.next() == nil)
    }

    @Test func refusesBadChecksumTruncationAndBadNumbers() throws {
        var bad = TestTarWriter()
        bad.header("x", corruptChecksum: true)
        bad.end()
        let caught = #expect(throws: ArchiveError.self) { try TarReader(source: ByteArraySource(bad.bytes)).next() }
        #expect(caught?.rule == .badChecksum)

        var short = TestTarWriter()
        short.file("a", String(repeating: "z", count: 2000))
        let reader = TarReader(source: ByteArraySource(Array(short.bytes.prefix(1000))))
        _ = try reader.next()
        let truncated = #expect(throws: ArchiveError.self) { while try reader.next() != nil {} }
        #expect(truncated?.rule == .truncated)

        var noEnd = TestTarWriter()
        noEnd.file("a", "b")
        let ended = #expect(throws: ArchiveError.self) {
            let r = TarReader(source: ByteArraySource(noEnd.bytes)); while try r.next() != nil {}
        }
        #expect(ended?.rule == .truncated)

        var badPax = TestTarWriter()
        badPax.header("PaxHeader", type: "x", size: 10)
        badPax.content(Array("99 path=x\n".utf8))
        badPax.file("a", "b")
        badPax.end()
        let pax = #expect(throws: ArchiveError.self) { try TarReader(source: ByteArraySource(badPax.bytes)).next() }
        #expect(pax?.rule == .malformedHeader)
    }
}
