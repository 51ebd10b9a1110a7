import Foundation
import Glibc
import Testing
import AgentTesting
@testable import AgentCore

@Suite struct SafeExtractorTests {
    /// Writes `tar` gzipped next to an empty `out` parent and returns (archive, parent, destination).
    private func setUp(_ tar: TestTarWriter, _ dir: TemporaryDirectory) throws -> (String, String, String) {
        let archive = dir.file("upload.tar.gz")
        try Data(tar.gzipped).write(to: URL(fileURLWithPath: archive))
        let parent = dir.file("versions")
        try FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: false)
        return (archive, parent, parent + "/v1")
    }

    private func mode(_ path: String) -> mode_t {
        var status = stat()
        _ = lstat(path, &status)
        return status.st_mode & 0o7777
    }

    @Test func goodArchiveExtractsExactly() throws {
        let dir = try TemporaryDirectory(prefix: "archive-good")
        var tar = TestTarWriter()
        tar.header("./", type: "5", mode: 0o755)
        tar.header("app/", type: "5", mode: 0o700)
        tar.file("app/main.py", "print('hi')\n")
        tar.file("app/run.sh", "#!/bin/sh\n", mode: 0o775)
        tar.file("lib/deep/nested/data.txt", "nested")  // parents not listed
        tar.header("app/link.py", type: "2", link: "main.py")
        tar.header("lib/deep/up", type: "2", link: "../../app/main.py")
        tar.header("app/hard.py", type: "1", link: "app/main.py")
        tar.header("app/", type: "5", mode: 0o755)  // repeated directory is harmless
        tar.end()
        let (archive, _, destination) = try setUp(tar, dir)
        let summary = try SafeExtractor().extract(archiveAt: archive, to: destination)
        #expect(summary.bytes == 12 + 10 + 6)
        #expect(try String(contentsOfFile: destination + "/app/main.py", encoding: .utf8) == "print('hi')\n")
        #expect(try String(contentsOfFile: destination + "/lib/deep/nested/data.txt", encoding: .utf8) == "nested")
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: destination + "/app/link.py") == "main.py")
        #expect(try String(contentsOfFile: destination + "/lib/deep/up", encoding: .utf8) == "print('hi')\n")
        #expect(try String(contentsOfFile: destination + "/app/hard.py", encoding: .utf8) == "print('hi')\n")
        #expect(mode(destination + "/app/main.py") == 0o444)
        #expect(mode(destination + "/app/run.sh") == 0o555)
        #expect(mode(destination + "/app") == 0o555)
        #expect(mode(destination) == 0o555)
        SafeExtractor.removeTree(destination)
        _ = try SafeExtractor(readOnly: false).extract(archiveAt: archive, to: destination)
        #expect(mode(destination + "/app/main.py") == 0o644 && mode(destination + "/app/run.sh") == 0o755)
        #expect(mode(destination + "/app") == 0o755)
        let again = #expect(throws: ArchiveError.self) { try SafeExtractor().extract(archiveAt: archive, to: destination) }
        #expect(again?.rule == .destinationExists)
        SafeExtractor.removeTree(destination)
    }

    /// Extracts a hostile archive and checks the rule, the entry, and that nothing remains anywhere.
    private func expectRefused(_ rule: ArchiveError.Rule, entry: String? = nil, limits: ExtractionLimits = .init(),
                               gzipBytes: [UInt8]? = nil, _ build: (inout TestTarWriter) -> Void) throws {
        let dir = try TemporaryDirectory(prefix: "archive-hostile")
        var tar = TestTarWriter()
        build(&tar)
        let (archive, parent, destination) = try setUp(tar, dir)
        if let gzipBytes { try Data(gzipBytes).write(to: URL(fileURLWithPath: archive)) }
        let outsideBefore = try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted()
        let error = #expect(throws: ArchiveError.self) {
            try SafeExtractor(limits: limits).extract(archiveAt: archive, to: destination)
        }
        #expect(error?.rule == rule, "\(String(describing: error))")
        if let entry { #expect(error?.entry == entry) }
        #expect(try FileManager.default.contentsOfDirectory(atPath: parent).isEmpty)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted() == outsideBefore)
        #expect(!FileManager.default.fileExists(atPath: "/tmp/evil-archive-escape"))
    }

    @Test func refusesAbsolutePath() throws {
        try expectRefused(.absolutePath, entry: "/tmp/evil-archive-escape") { $0.file("ok.txt", "x"); $0.file("/tmp/evil-archive-escape", "x"); $0.end() }
    }

    @Test func refusesTraversal() throws {
        try expectRefused(.parentTraversal, entry: "../escape") { $0.file("ok.txt", "x"); $0.file("../escape", "x"); $0.end() }
        try expectRefused(.parentTraversal, entry: "a/../../x") { $0.file("a/../../x", "x"); $0.end() }
        try expectRefused(.parentTraversal) { $0.pax([("path", "ok/../../x")]); $0.file("innocent", "x"); $0.end() }
    }

    @Test func refusesSymlinkEscapeAndWritesThroughLinks() throws {
        try expectRefused(.symlinkEscape, entry: "evil") { $0.header("evil", type: "2", link: "../.."); $0.end() }
        try expectRefused(.symlinkEscape, entry: "abs") { $0.header("abs", type: "2", link: "/etc"); $0.end() }
        try expectRefused(.symlinkEscape, entry: "s") { $0.header("t", type: "2", link: "."); $0.header("s", type: "2", link: "t/../.."); $0.end() }
        // A link that stays inside, then a file written through it: still refused.
        try expectRefused(.throughSymlink, entry: "dir/file") {
            $0.header("real/", type: "5"); $0.header("dir", type: "2", link: "real"); $0.file("dir/file", "x"); $0.end()
        }
        // A duplicate name that would overwrite a symlink's target.
        try expectRefused(.duplicatePath, entry: "link") {
            $0.file("target", "x"); $0.header("link", type: "2", link: "target"); $0.file("link", "y"); $0.end()
        }
    }

    @Test func refusesHardlinksOutside() throws {
        try expectRefused(.hardlinkEscape, entry: "h") { $0.header("h", type: "1", link: "/etc/passwd"); $0.end() }
        try expectRefused(.hardlinkEscape, entry: "h") { $0.header("h", type: "1", link: "../outside"); $0.end() }
        try expectRefused(.hardlinkEscape, entry: "h") { $0.header("h", type: "1", link: "later"); $0.file("later", "x"); $0.end() }
    }

    @Test func refusesDevicesFifosAndSpecialBits() throws {
        try expectRefused(.specialFile, entry: "dev") { $0.header("dev", type: "3"); $0.end() }
        try expectRefused(.specialFile, entry: "blk") { $0.header("blk", type: "4"); $0.end() }
        try expectRefused(.specialFile, entry: "fifo") { $0.header("fifo", type: "6"); $0.end() }
        try expectRefused(.forbiddenModeBits, entry: "suid") { $0.file("suid", "x", mode: 0o4755); $0.end() }
        try expectRefused(.forbiddenModeBits, entry: "sgid/") { $0.header("sgid/", type: "5", mode: 0o2755); $0.end() }
        try expectRefused(.unsupportedEntryType) { $0.header("sparse", type: "S"); $0.end() }
    }

    @Test func refusesPastTheCaps() throws {
        try expectRefused(.tooManyEntries, limits: ExtractionLimits(maxEntries: 5)) { tar in
            for i in 0..<6 { tar.file("f\(i)", "x") }
            tar.end()
        }
        // A gzip bomb: 8 MiB of zeros compresses to a few KiB, the cap is 1 MiB.
        try expectRefused(.tooManyBytes, entry: "zeros", limits: ExtractionLimits(maxTotalBytes: 1 << 20)) { tar in
            tar.header("zeros", size: 8 << 20)
            tar.content([UInt8](repeating: 0, count: 8 << 20))
            tar.end()
        }
        try expectRefused(.pathTooLong) { $0.pax([("path", String(repeating: "a", count: 300))]); $0.file("x", "x"); $0.end() }
    }

    @Test func refusesMalformedArchives() throws {
        try expectRefused(.badChecksum) { $0.file("ok", "x"); $0.header("bad", corruptChecksum: true); $0.end() }
        try expectRefused(.truncated) { $0.file("ok", String(repeating: "x", count: 5000)) }
        try expectRefused(.notGzip, gzipBytes: Array("this is not gzip at all".utf8)) { $0.end() }
        let whole = { () -> [UInt8] in var t = TestTarWriter(); t.file("ok", String(repeating: "y", count: 100_000)); t.end(); return t.gzipped }()
        try expectRefused(.truncated, gzipBytes: Array(whole.prefix(whole.count / 2))) { $0.end() }
    }
}
