import AgentCore
import AgentHTTP
import Foundation
import Glibc
import Testing

@Suite("Multipart: reading a spooled body from disk")
struct MultipartFormReaderTests {
    /// Writes `body` to a scratch file, extracts `field` with `limits`, and returns the result and
    /// the extracted bytes (nil when the extraction threw, with the destination checked absent).
    private func extract(_ body: MultipartBody, field: String = "file", limits: MultipartLimits = MultipartLimits(),
                         in scratch: ScratchDirectory, sourceLocation: SourceLocation = #_sourceLocation)
        throws -> Result<(MultipartUpload, [UInt8]), MultipartError> {
        try scratch.write(body.bytes, to: "body")
        let destination = scratch.file("out")
        defer { unlink(destination) }
        let reader = try MultipartFormReader(contentType: body.contentType, limits: limits)
        let upload: MultipartUpload
        do throws(MultipartError) {
            upload = try reader.extractFile(named: field, from: scratch.file("body"), to: destination)
        } catch {
            #expect(access(destination, F_OK) != 0, "the destination is removed after \(error)",
                    sourceLocation: sourceLocation)
            return .failure(error)
        }
        return .success((upload, try scratch.read("out")))
    }

    @Test func extractsTheFilePartAndKeepsTextFields() throws {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        var body = MultipartBody()
        body.raw("preamble\r\n")
        body.field("version", "v1")
        body.file(named: "readme", filename: "README.md", type: "text/markdown", Array("skipped".utf8))
        body.file(filename: "agent.tar.gz", Array("\u{1F}\u{8B} tar bytes".utf8))
        body.field("version", "ignored: the first value of a repeated field wins")
        body.close(epilogue: "epilogue")
        let (upload, bytes) = try extract(body, in: scratch).get()
        #expect(bytes == Array("\u{1F}\u{8B} tar bytes".utf8))
        #expect(upload.byteCount == bytes.count)
        #expect(upload.filename == "agent.tar.gz")
        #expect(upload.contentType == "application/gzip")
        #expect(upload.fields == ["version": "v1"])
    }

    @Test func destinationIsPrivateAndNeverReplaced() throws {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        var body = MultipartBody()
        body.file(Array("new".utf8))
        body.close()
        try scratch.write(body.bytes, to: "body")
        let reader = try MultipartFormReader(contentType: body.contentType)
        _ = try reader.extractFile(from: scratch.file("body"), to: scratch.file("out"))
        var info = stat()
        #expect(stat(scratch.file("out"), &info) == 0)
        #expect(info.st_mode & 0o777 == 0o600)
        // A second extraction to the same path fails and leaves the first file alone.
        let error = #expect(throws: MultipartError.self) {
            _ = try reader.extractFile(from: scratch.file("body"), to: scratch.file("out"))
        }
        #expect(error?.code == .storage)
        #expect(error?.status == 500)
        #expect(try scratch.read("out") == Array("new".utf8))
    }

    @Test func sameBytesOutAtEveryChunkSizeFrom1To200() throws {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        var generator = ByteGenerator(seed: 42)
        // Content full of near-delimiters, CRs, LFs and dashes, plus random bytes.
        var content: [UInt8] = []
        for index in 0..<40 {
            content += Array("\r\n--\(String(MultipartBody().boundary.prefix(index % 12)))\r\n-\r".utf8)
            content += generator.bytes(index * 3)
        }
        var body = MultipartBody()
        body.raw("preamble with --\(body.boundary)X in it\r\n")
        body.field("a", "x\r\n--")
        body.file(content)
        body.field("b", "")
        body.close()
        for chunk in 1...200 {
            let result = try extract(body, limits: MultipartLimits(readChunkBytes: chunk), in: scratch)
            let (upload, bytes) = try result.get()
            #expect(bytes == content, "chunk size \(chunk)")
            #expect(upload.fields == ["a": "x\r\n--", "b": ""], "chunk size \(chunk)")
        }
    }

    @Test(arguments: [1, 2, 3, 4])
    func randomBinaryContentWithCRLFAndDashes(seed: UInt64) throws {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        var generator = ByteGenerator(seed: seed)
        // Random bytes drawn mostly from CR, LF, "-" and the boundary's letters.
        let boundary = "b0undary"
        let alphabet = Array("\r\n--b0undary".utf8) + [0, 0xFF]
        var content = generator.bytes(64 * 1024 + Int(seed) * 997)
        for index in content.indices where index % 3 != 0 {
            content[index] = alphabet[Int(content[index]) % alphabet.count]
        }
        // Make sure no real delimiter occurs (RFC 2046 §5.1.1: the sender picks a boundary that does not).
        let delimiter = Array("\r\n--\(boundary)".utf8)
        var position = 0
        while position + delimiter.count + 2 <= content.count {
            if Array(content[position..<position + delimiter.count]) == delimiter {
                content[position + delimiter.count] = UInt8(ascii: "x")
            }
            position += 1
        }
        var body = MultipartBody(boundary: boundary)
        body.file(content)
        body.close()
        for chunk in [1, 7, 64, 4096, 65536] where chunk > 1 || seed == 1 {
            let (upload, bytes) = try extract(body, limits: MultipartLimits(readChunkBytes: chunk), in: scratch).get()
            #expect(upload.byteCount == content.count)
            #expect(SHA256.hex(bytes) == SHA256.hex(content), "chunk size \(chunk)")
        }
    }

    @Test func missingFilePartIsAnError() throws {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        var body = MultipartBody()
        body.field("name", "x")
        body.file(named: "attachment", Array("not it".utf8))
        body.close()
        guard case .failure(let error) = try extract(body, in: scratch) else {
            Issue.record("expected an error")
            return
        }
        #expect(error.code == .missingFilePart)
        #expect(error.status == 400)
        #expect(error.message == "the multipart body has no part named 'file'")
        #expect(error.apiError.status == 400)
        #expect(error.apiError.type == "multipart_missing_file_part")
    }

    @Test func secondFilePartIsAnErrorAndTheFirstIsRemoved() throws {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        var body = MultipartBody()
        body.file(Array("one".utf8))
        body.file(Array("two".utf8))
        body.close()
        guard case .failure(let error) = try extract(body, in: scratch) else {
            Issue.record("expected an error")
            return
        }
        #expect(error.code == .duplicateFilePart)
    }

    @Test func truncatedBodyRemovesThePartialFile() throws {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        var body = MultipartBody()
        body.file(ByteGenerator(seed: 3).bytesCopy(200_000))
        // No closing delimiter: the client went away mid-upload.
        for chunk in [1000, 65536] {
            guard case .failure(let error) = try extract(body, limits: MultipartLimits(readChunkBytes: chunk), in: scratch)
            else {
                Issue.record("expected an error")
                return
            }
            #expect(error.code == .truncated)
            #expect(error.message.contains("closing delimiter"))
        }
    }

    @Test func fieldOverItsCapIsRefused() throws {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        var body = MultipartBody()
        body.file(Array("ok".utf8))
        body.field("big", String(repeating: "x", count: 101))
        body.close()
        guard case .failure(let error) = try extract(body, limits: MultipartLimits(maxFieldBytes: 100), in: scratch) else {
            Issue.record("expected an error")
            return
        }
        #expect(error.code == .fieldTooLarge)
        #expect(error.status == 413)
        #expect(try extract(body, limits: MultipartLimits(maxFieldBytes: 101), in: scratch).get().0.fields["big"]?.count
            == 101)
    }

    @Test func tooManyPartsIsReportedFromTheFile() throws {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        var body = MultipartBody()
        for index in 0..<150 { body.field("f\(index)", "v") }
        body.file(Array("late".utf8))
        body.close()
        guard case .failure(let error) = try extract(body, in: scratch) else {
            Issue.record("expected an error")
            return
        }
        #expect(error.code == .tooManyParts)
        #expect(error.message == "the multipart body has more than 100 parts")
    }

    @Test func unreadableSourceIsAStorageError() throws {
        let reader = try MultipartFormReader(contentType: "multipart/form-data; boundary=x")
        let error = #expect(throws: MultipartError.self) {
            _ = try reader.extractFile(from: "/nonexistent/agentd/body", to: "/nonexistent/agentd/out")
        }
        #expect(error?.code == .storage)
        #expect(error?.message.contains("/nonexistent") == false)
    }
}

@Suite("Multipart: boundary from Content-Type")
struct MultipartBoundaryTests {
    @Test func quotedAndUnquotedBoundaries() throws {
        #expect(try MultipartBoundary(contentType: "multipart/form-data; boundary=abc123").value == "abc123")
        #expect(try MultipartBoundary(contentType: "Multipart/Form-Data;BOUNDARY=\"a b:c\"").value == "a b:c")
        #expect(try MultipartBoundary(contentType: "multipart/form-data; charset=utf-8; boundary=\"----WebKitFormBoundary7MA4YWxkTrZu0gW\"")
            .value == "----WebKitFormBoundary7MA4YWxkTrZu0gW")
        let seventy = String(repeating: "z", count: 70)
        #expect(try MultipartBoundary(contentType: "multipart/form-data; boundary=\(seventy)").value == seventy)
        #expect(try MultipartBoundary("'()+_,-./:=?").value == "'()+_,-./:=?")
    }

    @Test(arguments: [
        nil,
        "application/json",
        "multipart/mixed; boundary=abc",
        "multipart/form-data",
        "multipart/form-data; boundary=",
        "multipart/form-data; boundary=\"\"",
        "multipart/form-data; boundary=\(String(repeating: "z", count: 71))",
        "multipart/form-data; boundary=\"ends with space \"",
        "multipart/form-data; boundary=semi{colon}",
        "multipart/form-data; boundary=\"unterminated",
    ] as [String?])
    func invalidContentTypesHaveNoBoundary(contentType: String?) {
        let error = #expect(throws: MultipartError.self) { try MultipartBoundary(contentType: contentType) }
        #expect(error?.code == .noBoundary)
        #expect(error?.status == 400)
        #expect(error?.message.hasPrefix("the Content-Type must be multipart/form-data with a boundary parameter") == true)
    }
}

extension ByteGenerator {
    /// `count` bytes from a copy, leaving `self` unchanged.
    func bytesCopy(_ count: Int) -> [UInt8] {
        var copy = self
        return copy.bytes(count)
    }
}
