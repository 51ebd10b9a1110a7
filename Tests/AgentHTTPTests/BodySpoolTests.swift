import AgentCore
import AgentHTTP
import Foundation
import Glibc
import Testing

/// Request bodies spooled to disk by the server (`HTTPBodyDestination.file`), end to end over
/// real sockets, and the multipart upload route pattern on top of them.
@Suite("HTTPServer: bodies spooled to disk", .serialized, .timeLimit(.minutes(3)))
struct BodySpoolTests {
    static let uploadPath = "/api/v1/uploads/agent/7"

    /// What the upload route reports about what it saw.
    struct UploadReport {
        var status: Int
        var json: JSONValue?
        var digest: String? { json?["digest"]?.stringValue }
        var bytes: Int? { json?["bytes"]?.intValue }
        var spoolPath: String? { json?["spool_path"]?.stringValue }
    }

    /// A router with the seed 003 upload route: the body is spooled to `spool` (limit `limit`),
    /// the `file` part is extracted into `output`, digested, and removed.
    static func uploadRouter(spool: String, output: String, limit: Int = 100 << 20) -> Router {
        var router = Router()
        router.add("POST", "/api/v1/uploads/agent/{agent_id}", bodyLimit: limit, spoolDirectory: spool) { request in
            guard let body = request.http.bodyFile else { throw APIError.badRequest("the upload is empty") }
            let destination = output + "/agent_\(request.parameter("agent_id"))_\(UInt32.random(in: 0 ... .max)).tar.gz"
            defer { unlink(destination) }
            let upload: MultipartUpload
            do throws(MultipartError) {
                let reader = try MultipartFormReader(contentType: request.http.headers["Content-Type"])
                upload = try reader.extractFile(named: "file", from: body, to: destination)
            } catch {
                throw error.apiError
            }
            let digest = try BlockDigest.ofFile(destination)
            return .json(201, [
                "filename": .string(upload.filename ?? ""), "bytes": .int(upload.byteCount),
                "digest": .string(digest.digest), "spool_path": .string(body.path),
                "spool_bytes": .int(body.byteCount), "memory_body_bytes": .int(request.http.body.count),
                "spool_exists_in_handler": .bool(access(body.path, F_OK) == 0),
            ])
        }
        router.add("POST", "/api/v1/keep", spoolDirectory: spool) { request in
            guard let body = request.http.bodyFile else { throw APIError.badRequest("the body is empty") }
            try body.move(to: output + "/kept")
            return .json(200, ["bytes": .int(body.byteCount)])
        }
        router.add("POST", "/api/v1/echo") { request in
            .json(200, ["bytes": .int(request.http.body.count), "spooled": .bool(request.http.bodyFile != nil)])
        }
        return router
    }

    /// The router behind the middleware agentd stacks around its own, which must forward the choice.
    static func stack(_ router: Router) -> any HTTPHandler {
        SecurityHeadersMiddleware(wrapping: MetricsMiddleware(
            wrapping: CORSMiddleware(wrapping: router, allowedOrigins: []), metrics: HTTPMetrics(), routes: router))
    }

    /// Spool and output directories for one test.
    struct Directories {
        let spool: ScratchDirectory
        let output: ScratchDirectory

        init() throws {
            spool = try ScratchDirectory("spool")
            output = try ScratchDirectory("output")
        }

        func remove() {
            spool.remove()
            output.remove()
        }
    }

    // MARK: - The 60 MB upload

    @Test func sixtyMegabyteUploadIsStreamedToDiskInBoundedMemory() async throws {
        let directories = try Directories()
        defer { directories.remove() }
        let router = Self.uploadRouter(spool: directories.spool.path, output: directories.output.path)
        try await withServer(handler: Self.stack(router)) { port, _ in
            // Warm up: the loop's buffers, the task pool and malloc's arenas exist before measuring.
            let warmUp = try await Self.upload(port: port, contentBytes: 256 * 1024, seed: 1)
            #expect(warmUp.report.status == 201)

            let before = ProcessMemory.current()
            let peakReset = ProcessMemory.resetPeak()
            let size = 60 << 20
            let (sent, report) = try await Self.upload(port: port, contentBytes: size, seed: 60)
            let after = ProcessMemory.current()

            #expect(report.status == 201)
            #expect(report.bytes == size)
            #expect(report.digest == sent)
            #expect(report.json?["filename"]?.stringValue == "agent.tar.gz")
            #expect(report.json?["memory_body_bytes"]?.intValue == 0)
            #expect(report.json?["spool_exists_in_handler"]?.boolValue == true)
            #expect((report.json?["spool_bytes"]?.intValue ?? 0) > size)
            // The spool file is removed before the response is sent.
            if let spoolPath = report.spoolPath {
                #expect(access(spoolPath, F_OK) != 0)
                #expect(spoolPath.hasPrefix(directories.spool.path + "/"))
            }
            #expect(directories.spool.entries.isEmpty)
            #expect(directories.output.entries.isEmpty)

            // Client and server share this process; neither holds the body, so resident memory
            // must not grow by anything near 60 MB.
            let limit = 20 << 20
            #expect(after.resident - before.resident < limit,
                    "VmRSS grew by \((after.resident - before.resident) >> 10) KiB")
            if peakReset {
                #expect(after.peak - before.resident < limit, "VmHWM rose \((after.peak - before.resident) >> 10) KiB above VmRSS")
            }
        }
    }

    @Test func chunkedUploadIsSpooledToo() async throws {
        let directories = try Directories()
        defer { directories.remove() }
        let router = Self.uploadRouter(spool: directories.spool.path, output: directories.output.path)
        try await withServer(handler: Self.stack(router)) { port, _ in
            let (sent, report) = try await Self.upload(port: port, contentBytes: 3 << 20, seed: 9, chunked: true)
            #expect(report.status == 201)
            #expect(report.bytes == 3 << 20)
            #expect(report.digest == sent)
            #expect(directories.spool.entries.isEmpty)
        }
    }

    @Test func expectContinueUploadIsInvitedThenSpooled() async throws {
        let directories = try Directories()
        defer { directories.remove() }
        let router = Self.uploadRouter(spool: directories.spool.path, output: directories.output.path)
        try await withServer(handler: Self.stack(router)) { port, _ in
            var body = MultipartBody()
            body.file(Array("small tarball".utf8))
            body.close()
            let client = try RawHTTPClient(port: port)
            try await client.send("POST \(Self.uploadPath) HTTP/1.1\r\nHost: t\r\nContent-Type: \(body.contentType)\r\n"
                                  + "Content-Length: \(body.bytes.count)\r\nExpect: 100-continue\r\n\r\n")
            #expect(try await client.response().status == 100)
            let bytes = body.bytes
            try await client.run { try $0.sendNow(bytes) }
            let response = try await client.response()
            #expect(response.status == 201)
            #expect(try JSONValue(parsing: response.body)["bytes"]?.intValue == 13)
            #expect(directories.spool.entries.isEmpty)
        }
    }

    // MARK: - Limits, errors, disconnects

    @Test func bodyOverTheRouteLimitGets413AndLeavesNoFile() async throws {
        let directories = try Directories()
        defer { directories.remove() }
        let router = Self.uploadRouter(spool: directories.spool.path, output: directories.output.path, limit: 1 << 20)
        try await withServer(handler: Self.stack(router)) { port, _ in
            // Declared too large: refused before any of the body is read.
            let declared = try RawHTTPClient(port: port)
            try await declared.send("POST \(Self.uploadPath) HTTP/1.1\r\nHost: t\r\n"
                                    + "Content-Type: multipart/form-data; boundary=x\r\nContent-Length: \(2 << 20)\r\n\r\n")
            let refused = try await declared.response()
            #expect(refused.status == 413)
            #expect(refused.header("Content-Type") == "application/json")
            #expect(refused.text.contains("\"status_code\":413"))
            #expect(directories.spool.entries.isEmpty)

            // Chunked: refused once the chunks pass the limit, after some were spooled.
            let chunked = try RawHTTPClient(port: port)
            let head = "POST \(Self.uploadPath) HTTP/1.1\r\nHost: t\r\nContent-Type: multipart/form-data; boundary=x\r\n"
                + "Transfer-Encoding: chunked\r\n\r\n"
            try await chunked.run { client in
                try client.sendNow(Array(head.utf8))
                let piece = [UInt8](repeating: UInt8(ascii: "a"), count: 256 * 1024)
                for _ in 0..<5 {
                    try client.sendNow(Array("40000\r\n".utf8) + piece + Array("\r\n".utf8))
                }
            }
            let late = try await chunked.response()
            #expect(late.status == 413)
            #expect(late.text.contains("\"status_code\":413"))
            #expect(directories.spool.entries.isEmpty)
            #expect(try await chunked.closedWithin(seconds: 5))
        }
    }

    @Test func clientGoneMidBodyLeavesNoFile() async throws {
        let directories = try Directories()
        defer { directories.remove() }
        let router = Self.uploadRouter(spool: directories.spool.path, output: directories.output.path)
        try await withServer(handler: Self.stack(router)) { port, _ in
            for chunked in [false, true] {
                let client = try RawHTTPClient(port: port)
                let framing = chunked ? "Transfer-Encoding: chunked" : "Content-Length: \(10 << 20)"
                let head = "POST \(Self.uploadPath) HTTP/1.1\r\nHost: t\r\n"
                    + "Content-Type: multipart/form-data; boundary=x\r\n\(framing)\r\n\r\n"
                let start = Array("--x\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\n".utf8)
                    + [UInt8](repeating: 0x2D, count: 1 << 20)
                let firstPiece = chunked ? Array((String(start.count, radix: 16) + "\r\n").utf8) + start + Array("\r\n".utf8)
                    : start
                try await client.run { try $0.sendNow(Array(head.utf8) + firstPiece) }
                // The spool file exists (and holds what arrived) while the body is incomplete…
                #expect(await Self.eventually { directories.spool.entries.count == 1 })
                // …and goes when the client does.
                client.shutdownWrite()
                #expect(await Self.eventually { directories.spool.entries.isEmpty }, "chunked: \(chunked)")
                #expect(try await client.closedWithin(seconds: 5))
            }
        }
    }

    @Test func unusableSpoolDirectoryAnswers500WithJSON() async throws {
        let directories = try Directories()
        defer { directories.remove() }
        let router = Self.uploadRouter(spool: directories.spool.path + "/missing", output: directories.output.path)
        try await withServer(handler: Self.stack(router)) { port, _ in
            let client = try RawHTTPClient(port: port)
            try await client.send("POST \(Self.uploadPath) HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\n\r\nhello")
            let response = try await client.response()
            #expect(response.status == 500)
            #expect(response.header("Content-Type") == "application/json")
            #expect(response.text == "{\"detail\":\"the request body could not be stored\",\"status_code\":500}")
            #expect(try await client.closedWithin(seconds: 5))
        }
    }

    @Test func malformedMultipartAnswers400FromTheRoute() async throws {
        let directories = try Directories()
        defer { directories.remove() }
        let router = Self.uploadRouter(spool: directories.spool.path, output: directories.output.path)
        try await withServer(handler: Self.stack(router)) { port, _ in
            let client = try RawHTTPClient(port: port)
            let body = "--x\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\nno closing delimiter"
            try await client.send("POST \(Self.uploadPath) HTTP/1.1\r\nHost: t\r\nContent-Type: multipart/form-data; boundary=x\r\n"
                                  + "Content-Length: \(body.utf8.count)\r\n\r\n\(body)")
            let response = try await client.response()
            #expect(response.status == 400)
            let json = try JSONValue(parsing: response.body)
            #expect(json["error"]?.stringValue == "multipart_truncated")
            #expect(json["detail"]?.stringValue?.contains("closing delimiter") == true)
            #expect(directories.spool.entries.isEmpty)
            #expect(directories.output.entries.isEmpty)
            // The connection stays usable: the body was read whole.
            try await client.send("POST /api/v1/echo HTTP/1.1\r\nHost: t\r\nContent-Length: 3\r\n\r\nabc")
            let echo = try await client.response()
            #expect(try JSONValue(parsing: echo.body)["bytes"]?.intValue == 3)
            #expect(try JSONValue(parsing: echo.body)["spooled"]?.boolValue == false)
        }
    }

    @Test func handlerThatMovesTheFileKeepsIt() async throws {
        let directories = try Directories()
        defer { directories.remove() }
        let router = Self.uploadRouter(spool: directories.spool.path, output: directories.output.path)
        try await withServer(handler: Self.stack(router)) { port, _ in
            let client = try RawHTTPClient(port: port)
            try await client.send("POST /api/v1/keep HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"
                                  + "3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n")
            let response = try await client.response()
            #expect(response.status == 200)
            #expect(directories.spool.entries.isEmpty)
            #expect(try directories.output.read("kept") == Array("abcde".utf8))
            var info = stat()
            #expect(stat(directories.output.file("kept"), &info) == 0)
            #expect(info.st_mode & 0o777 == 0o600)
        }
    }

    // MARK: - Declaring and forwarding

    @Test func routerDeclaresLimitAndDestinationPerRoute() throws {
        let router = Self.uploadRouter(spool: "/spool", output: "/out", limit: 1234)
        let upload = try Self.head("POST \(Self.uploadPath) HTTP/1.1\r\nHost: t\r\nContent-Length: 10\r\n\r\n")
        #expect(router.bodyLimit(for: upload) == 1234)
        #expect(router.bodyDestination(for: upload) == .file(directory: "/spool"))
        let chunked = try Self.head("POST \(Self.uploadPath) HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n")
        #expect(router.bodyDestination(for: chunked) == .file(directory: "/spool"))
        let kept = try Self.head("POST /api/v1/keep HTTP/1.1\r\nHost: t\r\nContent-Length: 10\r\n\r\n")
        #expect(router.bodyLimit(for: kept) == nil)
        #expect(router.bodyDestination(for: kept) == .file(directory: "/spool"))
        for other in ["POST /api/v1/echo HTTP/1.1\r\nHost: t\r\nContent-Length: 10\r\n\r\n",
                      "GET \(Self.uploadPath) HTTP/1.1\r\nHost: t\r\nContent-Length: 10\r\n\r\n",
                      "POST \(Self.uploadPath) HTTP/1.1\r\nHost: t\r\n\r\n",
                      "POST /api/v1/uploads/agent/7/extra HTTP/1.1\r\nHost: t\r\nContent-Length: 10\r\n\r\n"] {
            let head = try Self.head(other)
            #expect(router.bodyDestination(for: head) == .memory, "\(other)")
            #expect(router.bodyLimit(for: head) == nil, "\(other)")
        }
        // A router without body policies answers without matching.
        #expect(Router().bodyDestination(for: upload) == .memory)
    }

    @Test func middlewareForwardsTheDestination() throws {
        let router = Self.uploadRouter(spool: "/spool", output: "/out")
        let upload = try Self.head("POST \(Self.uploadPath) HTTP/1.1\r\nHost: t\r\nContent-Length: 10\r\n\r\n")
        let wrapped: [any HTTPHandler] = [
            Self.stack(router),
            RateLimitMiddleware(wrapping: router, limiter: RateLimiter(limit: 1, window: 60), pathPrefix: "/"),
            WebSocketTallyMiddleware(wrapping: router, tally: WebSocketTally()),
        ]
        for handler in wrapped {
            #expect(handler.bodyDestination(for: upload) == .file(directory: "/spool"), "\(type(of: handler))")
        }
    }

    @Test func bodyFileIsDeletedUnlessTakenOrMoved() throws {
        let scratch = try ScratchDirectory("bodyfile")
        defer { scratch.remove() }
        for name in ["dropped", "removed", "taken", "moved"] { try scratch.write(Array(name.utf8), to: name) }
        do {
            _ = HTTPBodyFile(adopting: scratch.file("dropped"), byteCount: 7)
        }
        #expect(access(scratch.file("dropped"), F_OK) != 0)

        let removed = HTTPBodyFile(adopting: scratch.file("removed"), byteCount: 7)
        removed.remove()
        #expect(access(scratch.file("removed"), F_OK) != 0)
        #expect(removed.take() == nil)

        var taken: HTTPBodyFile? = HTTPBodyFile(adopting: scratch.file("taken"), byteCount: 5)
        #expect(taken?.take() == scratch.file("taken"))
        #expect(taken?.isOwned == false)
        taken = nil
        #expect(access(scratch.file("taken"), F_OK) == 0)

        let moved = HTTPBodyFile(adopting: scratch.file("moved"), byteCount: 5)
        // Never replaces an existing file; still owned afterwards.
        #expect(throws: HTTPBodyFileError.self) { try moved.move(to: scratch.file("taken")) }
        #expect(moved.isOwned)
        try moved.move(to: scratch.file("kept"))
        #expect(!moved.isOwned)
        #expect(access(scratch.file("moved"), F_OK) != 0)
        #expect(try scratch.read("kept") == Array("moved".utf8))
    }

    // MARK: - Helpers

    /// Sends a multipart upload of `contentBytes` pseudo-random bytes (with near-delimiters mixed
    /// in), generated and sent a piece at a time so the client never holds the body either.
    /// - Returns: the content's digest and what the route reported.
    static func upload(port: Int, contentBytes: Int, seed: UInt64,
                       chunked: Bool = false) async throws -> (sent: String, report: UploadReport) {
        let boundary = "----agentdUpload\(seed)"
        let prefix = Array(("--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"agent.tar.gz\"\r\n"
                            + "Content-Type: application/gzip\r\n\r\n").utf8)
        let suffix = Array("\r\n--\(boundary)--\r\n".utf8)
        let framing = chunked ? "Transfer-Encoding: chunked" : "Content-Length: \(prefix.count + contentBytes + suffix.count)"
        let head = "POST \(uploadPath) HTTP/1.1\r\nHost: t\r\nContent-Type: multipart/form-data; boundary=\(boundary)\r\n"
            + "\(framing)\r\n\r\n"
        let client = try RawHTTPClient(port: port, receiveTimeout: 120)
        let sent = try await client.run { client -> String in
            func send(_ bytes: [UInt8]) throws {
                guard chunked else { return try client.sendNow(bytes) }
                guard !bytes.isEmpty else { return }
                try client.sendNow(Array((String(bytes.count, radix: 16) + "\r\n").utf8) + bytes + Array("\r\n".utf8))
            }
            try client.sendNow(Array(head.utf8))
            try send(prefix)
            var generator = ByteGenerator(seed: seed)
            var digest = BlockDigest()
            var remaining = contentBytes
            var pieceSize = 1 << 20
            let nearDelimiter = Array("\r\n--\(boundary.dropLast())".utf8)
            while remaining > 0 {
                var piece = generator.bytes(min(pieceSize, remaining))
                // An almost-delimiter at a piece boundary, where a split can fall inside it.
                let tail = min(nearDelimiter.count, piece.count)
                piece.replaceSubrange(piece.count - tail..<piece.count, with: nearDelimiter[0..<tail])
                digest.update(piece)
                try send(piece)
                remaining -= piece.count
                if chunked { pieceSize = pieceSize == 1 << 20 ? 65_537 : 1 << 20 }
            }
            try send(suffix)
            if chunked { try client.sendNow(Array("0\r\n\r\n".utf8)) }
            return digest.finish()
        }
        let response = try await client.response()
        return (sent, UploadReport(status: response.status, json: try? JSONValue(parsing: response.body)))
    }

    /// The head of `text` as the parser reads it.
    static func head(_ text: String) throws -> HTTPRequestHead {
        var parser = HTTPRequestParser()
        parser.append(Array(text.utf8))
        guard case .head(let head)? = try parser.next() else { throw ScratchError("no head in \(text)") }
        return head
    }

    /// Polls `condition` until it holds or `seconds` pass (a deadline, not a fixed sleep).
    static func eventually(within seconds: Double = 10, _ condition: () -> Bool) async -> Bool {
        let deadline = monotonicSeconds() + seconds
        while monotonicSeconds() < deadline {
            if condition() { return true }
            try? await Task.sleep(for: .milliseconds(5))
        }
        return condition()
    }
}

/// This process's resident memory, from `/proc/self/status`.
enum ProcessMemory {
    /// VmRSS and VmHWM in bytes.
    static func current() -> (resident: Int, peak: Int) {
        let text = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
        func kilobytes(_ key: String) -> Int {
            guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix(key + ":") }) else { return 0 }
            return Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "") ?? 0
        }
        return (kilobytes("VmRSS") * 1024, kilobytes("VmHWM") * 1024)
    }

    /// Resets VmHWM to the current VmRSS (`/proc/self/clear_refs`, value 5); false when not permitted.
    static func resetPeak() -> Bool {
        let fd = open("/proc/self/clear_refs", O_WRONLY | O_CLOEXEC)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        return write(fd, "5", 1) == 1
    }
}
