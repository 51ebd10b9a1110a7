import AgentCore

/// A `multipart/form-data` body with one file field (RFC 7578), as browsers and the Anymind CLI
/// send an upload.
///
/// ```swift
/// let form = try MultipartForm(field: "file", filename: "agent.tar.gz", contentType: "application/gzip", contents: bytes)
/// try await client.send("POST", path, contentType: form.contentType, body: form.body)
/// ```
struct MultipartForm: Sendable {
    /// The `Content-Type` header value, with the boundary.
    let contentType: String
    let body: [UInt8]

    /// - Throws: `LibcryptoError` when no random boundary can be made.
    init(field: String, filename: String, contentType fileType: String, contents: [UInt8]) throws {
        // RFC 2046 §5.1.1: the boundary must not occur in the contents; 24 random bytes make that
        // vanishingly unlikely, and a check makes it certain.
        var boundary: String
        repeat {
            boundary = "agentctl-" + (try SecureRandom.bytes(24)).map { String($0, radix: 16).leftPadded(to: 2) }.joined()
        } while Self.contains(contents, Array(boundary.utf8))
        // RFC 7578 §4.2: the field name and file name go in Content-Disposition, quoted.
        let head = "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(Self.quoted(field))\"; filename=\"\(Self.quoted(filename))\"\r\n"
            + "Content-Type: \(fileType)\r\n\r\n"
        var body = Array(head.utf8)
        body.reserveCapacity(head.utf8.count + contents.count + boundary.utf8.count + 8)
        body += contents
        body += Array("\r\n--\(boundary)--\r\n".utf8)
        self.body = body
        contentType = "multipart/form-data; boundary=\(boundary)"
    }

    /// `text` safe inside a quoted header parameter: quotes, backslashes and line breaks replaced.
    static func quoted(_ text: String) -> String {
        String(text.map { "\"\\\r\n".contains($0) ? "_" : $0 })
    }

    /// Whether `needle` occurs in `haystack`.
    static func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        guard let first = needle.first, haystack.count >= needle.count else { return false }
        var index = 0
        let last = haystack.count - needle.count
        while index <= last {
            if haystack[index] == first, haystack[index..<(index + needle.count)].elementsEqual(needle) { return true }
            index += 1
        }
        return false
    }
}
