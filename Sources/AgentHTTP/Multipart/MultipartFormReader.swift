import Glibc

/// Reads a spooled `multipart/form-data` body (RFC 7578) from disk in bounded chunks and copies
/// one part, the uploaded file, to its own file: memory stays within the chunk size and the part
/// headers, whatever the body's size.
///
/// ```swift
/// router.add("POST", "/api/v1/uploads/agent/{agent_id}", bodyLimit: 100 << 20, spoolDirectory: spool) { request in
///     guard let body = request.http.bodyFile else { throw APIError.badRequest("the upload is empty") }
///     do {
///         let reader = try MultipartFormReader(contentType: request.http.headers["Content-Type"])
///         let upload = try reader.extractFile(named: "file", from: body, to: artifactPath)
///         return .json(201, ["filename": .string(upload.filename ?? ""), "bytes": .int(upload.byteCount)])
///     } catch {
///         throw error.apiError        // 400 with a readable message, 507 when the disk is full
///     }
/// }
/// ```
///
/// The whole body is read, up to its close delimiter, so a truncated body or a second part with
/// the same name is refused rather than half-read; on any error the destination is removed.
public struct MultipartFormReader: Sendable {
    /// The body's boundary.
    public let boundary: MultipartBoundary
    /// The limits in force.
    public var limits: MultipartLimits

    /// A reader for a body with this `Content-Type` value.
    /// - Throws: ``MultipartError/Code/noBoundary`` when it is missing, not `multipart/form-data`,
    ///   or has no valid `boundary` parameter.
    public init(contentType: String?, limits: MultipartLimits = MultipartLimits()) throws(MultipartError) {
        self.init(boundary: try MultipartBoundary(contentType: contentType), limits: limits)
    }

    /// A reader for a body delimited by `boundary`.
    public init(boundary: MultipartBoundary, limits: MultipartLimits = MultipartLimits()) {
        self.boundary = boundary
        self.limits = limits
    }

    /// Copies the content of the part named `field` from the body at `sourcePath` to a new file
    /// at `destinationPath` (mode 0600; an existing file is never replaced).
    ///
    /// - Parameters:
    ///   - field: the form field name of the file part (`Content-Disposition: form-data; name="file"`).
    ///   - sourcePath: the whole multipart body.
    ///   - destinationPath: where the part's content goes; created only when the part is found.
    /// - Returns: the part's file name, type and size, and the body's text fields.
    /// - Throws: ``MultipartError``: a malformed or truncated body, no or two parts named `field`,
    ///   a limit exceeded, or a read or write failure. The destination is then removed.
    public func extractFile(named field: String = "file", from sourcePath: String,
                            to destinationPath: String) throws(MultipartError) -> MultipartUpload {
        let source = open(sourcePath, O_RDONLY | O_CLOEXEC)
        guard source >= 0 else { throw .storage("read the request body", errno: errno) }
        defer { close(source) }
        var sink = Sink(field: field, destinationPath: destinationPath, limits: limits)
        do throws(MultipartError) {
            var parser = MultipartParser(boundary: boundary, limits: limits)
            var chunk = [UInt8](repeating: 0, count: limits.readChunkBytes)
            reading: while true {
                while let event = try parser.next() {
                    switch event {
                    case .partStart(let head): try sink.start(head)
                    case .content(let bytes): try sink.write(bytes)
                    case .partEnd: try sink.endPart()
                    case .end: break reading
                    }
                }
                // The parser needs more: nil after the input ended would mean it stalled.
                if parser.inputEnded { throw MultipartError.truncated("the body ends early") }
                let count = chunk.withUnsafeMutableBytes { read(source, $0.baseAddress, $0.count) }
                if count < 0 {
                    if errno == EINTR { continue }
                    throw MultipartError.storage("read the request body", errno: errno)
                }
                if count == 0 {
                    parser.finishInput()
                } else {
                    chunk.withUnsafeBytes { parser.append(UnsafeRawBufferPointer(rebasing: $0[0..<count])) }
                }
            }
            return try sink.finish()
        } catch {
            sink.abandon()
            throw error
        }
    }

    /// Copies the part named `field` of a spooled request body to `destinationPath`; see
    /// the path-taking `extractFile(named:from:to:)`.
    public func extractFile(named field: String = "file", from body: HTTPBodyFile,
                            to destinationPath: String) throws(MultipartError) -> MultipartUpload {
        try extractFile(named: field, from: body.path, to: destinationPath)
    }
}

/// Where each part's content goes: the destination file, a kept text field, or nowhere.
private struct Sink {
    let field: String
    let destinationPath: String
    let limits: MultipartLimits

    private enum Target {
        case file
        case field(name: String, bytes: [UInt8])
        case skip
    }

    private var target = Target.skip
    private var fd: Int32 = -1
    private var created = false
    private var upload: (filename: String?, contentType: String?)?
    private var byteCount = 0
    private var fields: [String: String] = [:]

    init(field: String, destinationPath: String, limits: MultipartLimits) {
        self.field = field
        self.destinationPath = destinationPath
        self.limits = limits
    }

    mutating func start(_ head: MultipartPartHead) throws(MultipartError) {
        if head.name == field {
            guard upload == nil else { throw .duplicateFilePart(field) }
            fd = open(destinationPath, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0o600)
            guard fd >= 0 else { throw .storage("store the uploaded file", errno: errno) }
            created = true
            upload = (head.filename, head.contentType)
            target = .file
        } else if head.filename == nil {
            target = .field(name: head.name, bytes: [])
        } else {
            target = .skip      // another file: not wanted
        }
    }

    mutating func write(_ bytes: ArraySlice<UInt8>) throws(MultipartError) {
        switch target {
        case .file:
            let written = bytes.withUnsafeBytes { buffer -> Int32 in
                var offset = 0
                while offset < buffer.count {
                    let count = Glibc.write(fd, buffer.baseAddress! + offset, buffer.count - offset)
                    if count < 0 {
                        if errno == EINTR { continue }
                        return errno
                    }
                    if count == 0 { return ENOSPC }
                    offset += count
                }
                return 0
            }
            if written != 0 { throw .storage("store the uploaded file", errno: written) }
            byteCount += bytes.count
        case .field(let name, var kept):
            if kept.count + bytes.count > limits.maxFieldBytes { throw .fieldTooLarge(name, limit: limits.maxFieldBytes) }
            target = .skip      // drop the array's second reference before appending
            kept += bytes
            target = .field(name: name, bytes: kept)
        case .skip:
            break
        }
    }

    mutating func endPart() throws(MultipartError) {
        switch target {
        case .file:
            let descriptor = fd
            fd = -1
            if close(descriptor) != 0, errno != EINTR { throw .storage("store the uploaded file", errno: errno) }
        case .field(let name, let bytes):
            if fields[name] == nil { fields[name] = String(decoding: bytes, as: UTF8.self) }
        case .skip:
            break
        }
        target = .skip
    }

    func finish() throws(MultipartError) -> MultipartUpload {
        guard let upload else { throw .missingFilePart(field) }
        return MultipartUpload(filename: upload.filename, contentType: upload.contentType, byteCount: byteCount,
                               fields: fields)
    }

    /// Closes and removes the destination after an error.
    mutating func abandon() {
        if fd >= 0 {
            close(fd)
            fd = -1
        }
        if created {
            unlink(destinationPath)
            created = false
        }
    }
}
