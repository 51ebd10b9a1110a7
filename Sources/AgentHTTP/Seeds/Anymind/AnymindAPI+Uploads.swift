import AgentCore
import Foundation

/// seed 003 "Artifact Upload": uploads spooled to disk as they arrive and copied out of the
/// multipart body in bounded chunks (never held whole in memory), and downloads streamed back.
extension AnymindAPI {
    /// Multipart framing allowed on top of `UPLOAD_MAX_SIZE` (boundaries, part headers, text fields).
    static let multipartOverhead = 64 * 1024
    /// Bytes per chunk of a streamed download.
    static let downloadChunkBytes = 64 * 1024

    func registerUploads(on router: inout Router) {
        let platform = self.platform
        add(&router, "POST", "/api/v1/uploads/agent/{agent_id}",
            bodyLimit: platform.configuration.uploadMaxSize + Self.multipartOverhead,
            spoolDirectory: platform.incomingDirectory) { request in
            let caller = try Self.principal(request)
            let id = try Self.id(request, "agent_id")
            _ = try await platform.agent(for: caller, id: id)
            guard let body = request.http.bodyFile else { throw AnymindValidationError.missing("file") }
            let reader = try MultipartFormReader(contentType: request.http.headers["Content-Type"])
            let destination = platform.incomingDirectory + "/part-" + Base64URL.encode(try SecureRandom.bytes(12))
            let upload = try reader.extractFile(from: body, to: destination)
            body.remove()
            let version = try await platform.upload(for: caller, agentID: id, file: destination, filename: upload.filename,
                                                    size: upload.byteCount)
            return .json(201, AnymindViews.version(version))
        }
        add(&router, "GET", "/api/v1/uploads/agents/{agent_id}/artifacts/{name}") { request in
            let relative = "agents/\(request.parameter("agent_id"))/artifacts/\(request.parameter("name"))"
            let path = try await platform.artifactFile(for: try Self.principal(request), path: relative)
            return try Self.fileResponse(path)
        }
    }

    /// The file at `path`, streamed in chunks, as `application/gzip` (the only files served).
    static func fileResponse(_ path: String) throws -> HTTPResponse {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
        guard descriptor >= 0 else { throw AccountError.notFound("File not found") }
        var headers: HTTPHeaders = [:]
        headers.append(name: "Content-Type", value: "application/gzip")
        headers.append(name: "Content-Disposition", value: "attachment; filename=\"\((path as NSString).lastPathComponent)\"")
        return HTTPResponse(status: 200, headers: headers, body: .stream { writer in
            defer { close(descriptor) }
            var chunk = [UInt8](repeating: 0, count: downloadChunkBytes)
            while true {
                let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
                if count < 0, errno == EINTR { continue }
                guard count > 0 else { return }
                guard (try? await writer.write(Array(chunk[0..<count]))) != nil else { return }
            }
        })
    }
}
