import AgentCore
import AgentTesting
import Foundation
import Testing
@testable import agentctl

/// Packing an agent's directory (`AgentPackager`) and the tar/gzip writers under it, read back
/// with AgentCore's reader, `SafeExtractor` and the system's `tar`.
@Suite(.timeLimit(.minutes(1)))
struct AgentPackagerTests {
    /// Writes `files` (relative path → contents) under `root`.
    static func write(_ files: [String: String], under root: String) throws {
        for (path, text) in files {
            let full = root + "/" + path
            try FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try Data(text.utf8).write(to: URL(fileURLWithPath: full))
        }
    }

    /// Every entry of a `.tar.gz` with its contents (directories end in `/` and have none).
    static func entries(of archive: String) throws -> [(path: String, mode: UInt32, contents: String)] {
        let reader = TarReader(source: GzipStream(source: try FileByteSource(path: archive), outputLimit: 1 << 24))
        var entries: [(String, UInt32, String)] = []
        while let entry = try reader.next() {
            var bytes: [UInt8] = []
            while case let chunk = try reader.readContent(maxCount: 4096), !chunk.isEmpty { bytes += chunk }
            entries.append((entry.path + (entry.kind == .directory && !entry.path.hasSuffix("/") ? "/" : ""), entry.mode,
                            String(decoding: bytes, as: UTF8.self)))
        }
        return entries
    }

    @Test func packsTheSourceAndLeavesOutVersionControlCachesAndEnvironments() throws {
        let directory = try TemporaryDirectory(prefix: "agentctl-pack")
        let root = directory.file("agent")
        try Self.write([
            "anymind.yaml": "name: demo\nentrypoint: agent.main:handle\nframework: python\n",
            "agent/__init__.py": "",
            "agent/main.py": "def handle(payload):\n    return payload\n",
            "agent/__pycache__/main.cpython-312.pyc": "bytecode",
            "stray.pyc": "bytecode",
            "lib/env/keep.py": "# a package called env, not a virtual environment\n",
            ".git/HEAD": "ref: refs/heads/main\n",
            ".git/objects/ab/cdef": "blob",
            "venv/pyvenv.cfg": "home = /usr/bin\n",
            "venv/lib/site.py": "",
            ".venv/bin/python": "",
            "env/pyvenv.cfg": "home = /usr/bin\n",
            "tools-env/pyvenv.cfg": "home = /usr/bin\n",
            "node_modules/left-pad/index.js": "module.exports = 1\n",
        ], under: root)
        try FileManager.default.createDirectory(atPath: root + "/data", withIntermediateDirectories: true)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: root + "/agent/main.py")

        let archive = directory.file("demo.tar.gz")
        let summary = try AgentPackager(directory: root).pack(to: archive)
        #expect(summary == AgentPackager.Summary(
            files: 4, directories: 4, bytes: 149,
            skipped: [".git", ".venv", "agent/__pycache__", "env", "node_modules", "stray.pyc", "tools-env", "venv"]))

        let entries = try Self.entries(of: archive)
        #expect(entries.map(\.path) == ["agent/", "agent/__init__.py", "agent/main.py", "anymind.yaml", "data/", "lib/", "lib/env/",
                                        "lib/env/keep.py"])
        #expect(entries.first { $0.path == "agent/main.py" }?.contents == "def handle(payload):\n    return payload\n")
        #expect(entries.first { $0.path == "agent/main.py" }?.mode == 0o755)

        // agentd's extractor takes it, and so does GNU tar.
        let extracted = directory.file("extracted")
        let extraction = try SafeExtractor().extract(archiveAt: archive, to: extracted)
        #expect(extraction.entries == 8)
        #expect(FileManager.default.contents(atPath: extracted + "/anymind.yaml") != nil)
        let tar = Process()
        tar.executableURL = URL(fileURLWithPath: "/bin/tar")
        tar.arguments = ["-tzf", archive]
        let pipe = Pipe()
        tar.standardOutput = pipe
        try tar.run()
        let listing = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        tar.waitUntilExit()
        #expect(tar.terminationStatus == 0)
        #expect(listing.lines == entries.map(\.path))
    }

    @Test func aLinkInsideIsPackedAsItsTargetAndOneOutsideIsRefused() throws {
        let directory = try TemporaryDirectory(prefix: "agentctl-pack")
        let root = directory.file("agent")
        try Self.write(["anymind.yaml": "name: demo\n", "shared/config.json": "{}", "outside.txt": "secret"], under: root)
        try FileManager.default.createSymbolicLink(atPath: root + "/config.json", withDestinationPath: "shared/config.json")
        try FileManager.default.createSymbolicLink(atPath: root + "/linked", withDestinationPath: "shared")
        let summary = try AgentPackager(directory: root).pack(to: directory.file("inside.tar.gz"))
        #expect(summary.files == 5)
        let entries = try Self.entries(of: directory.file("inside.tar.gz"))
        #expect(entries.first { $0.path == "config.json" }?.contents == "{}")
        #expect(entries.contains { $0.path == "linked/config.json" })

        try Self.write(["secret.txt": "not the agent's"], under: directory.file("elsewhere"))
        try FileManager.default.createSymbolicLink(atPath: root + "/escape", withDestinationPath: directory.file("elsewhere"))
        #expect(throws: AgentPackager.Failure(description: "refusing escape: it is a symbolic link to \(directory.file("elsewhere")), outside the directory")) {
            try AgentPackager(directory: root).pack(to: directory.file("outside.tar.gz"))
        }
        try FileManager.default.removeItem(atPath: root + "/escape")

        try FileManager.default.createSymbolicLink(atPath: root + "/shared/loop", withDestinationPath: "..")
        #expect(throws: AgentPackager.Failure(description: "refusing linked/loop: a symbolic link loop")) {
            try AgentPackager(directory: root).pack(to: directory.file("loop.tar.gz"))
        }
    }

    @Test func longAndUnicodeNamesRoundTrip() throws {
        let sink = ByteArraySink()
        let tar = TarWriter(sink: try GzipWriter(sink: sink))
        let prefixed = String(repeating: "d", count: 120) + "/" + String(repeating: "f", count: 90)  // ustar prefix + name
        let pax = String(repeating: "p", count: 160) + "/" + String(repeating: "q", count: 140)  // needs a pax path
        let unicode = String(repeating: "é", count: 70) + ".txt"  // 144 bytes, no slash: pax, cut on a character
        let names = [prefixed, pax, unicode]
        for (index, name) in names.enumerated() {
            let contents = [UInt8](repeating: UInt8(65 + index), count: [0, 512, 513][index])
            try tar.appendFile(name, size: contents.count, modificationTime: 1_700_000_000, contents: ByteArraySource(contents))
        }
        try tar.finish()
        let reader = TarReader(source: GzipStream(source: ByteArraySource(sink.bytes), outputLimit: 1 << 20))
        for (index, name) in names.enumerated() {
            let entry = try #require(try reader.next())
            #expect(entry.path == name)
            #expect(entry.size == [0, 512, 513][index])
            var bytes: [UInt8] = []
            while case let chunk = try reader.readContent(maxCount: 100), !chunk.isEmpty { bytes += chunk }
            #expect(bytes == [UInt8](repeating: UInt8(65 + index), count: entry.size))
        }
        #expect(try reader.next() == nil)
    }

    @Test(arguments: [("../up", ArchiveError.Rule.parentTraversal), ("/etc/passwd", .absolutePath), ("a//b", .invalidPath), ("", .invalidPath)])
    func theWriterRefusesNamesAnExtractorWould(name: String, rule: ArchiveError.Rule) throws {
        let tar = TarWriter(sink: ByteArraySink())
        #expect { try tar.appendDirectory(name) } throws: { ($0 as? ArchiveError)?.rule == rule }
    }

    @Test func aFileThatShrankWhileBeingPackedIsRefused() throws {
        let tar = TarWriter(sink: ByteArraySink())
        #expect { try tar.appendFile("short", size: 10, contents: ByteArraySource([1, 2, 3])) } throws: {
            ($0 as? ArchiveError)?.rule == .truncated
        }
    }
}
