import Foundation

/// Requests with headers of the caller's choosing and a byte body (credentials, multipart uploads),
/// on a `BlockingSocket`.
///
/// ```swift
/// let socket = try BlockingSocket(port: port)
/// let answer = try socket.request("GET", "/api/v1/agents", headers: [("X-API-Key", key)])
/// ```
extension BlockingSocket {
    /// Sends one request and reads one `Content-Length` response; the connection stays open.
    ///
    /// - Parameters:
    ///   - headers: Extra header lines, sent as given (`Host` and `Content-Length` are added).
    ///   - body: The body; `contentType` says what it is.
    func request(_ method: String, _ path: String, headers: [(String, String)], body: [UInt8]? = nil,
                 contentType: String = "application/json") throws -> (status: Int, body: String) {
        var head = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        if let body { head += "Content-Type: \(contentType)\r\nContent-Length: \(body.count)\r\n" }
        try write(Array((head + "\r\n").utf8) + (body ?? []))
        return try readResponse()
    }

    /// Reads one response whose body is framed by `Content-Length` (none means empty).
    func readResponse() throws -> (status: Int, body: String) {
        var buffer: [UInt8] = []
        var headEnd: Int?
        while headEnd == nil {
            try read(into: &buffer)
            headEnd = Self.endOfHead(buffer)
        }
        let end = headEnd!
        let headText = String(decoding: buffer[0..<end], as: UTF8.self)
        let status = headText.split(separator: " ", maxSplits: 2).dropFirst().first.flatMap { Int($0) } ?? 0
        let length = headText.split(separator: "\r\n").lazy
            .compactMap { line -> Int? in
                let parts = line.split(separator: ":", maxSplits: 1)
                guard parts.count == 2, parts[0].lowercased() == "content-length" else { return nil }
                return Int(parts[1].trimmingCharacters(in: .whitespaces))
            }.first ?? 0
        while buffer.count < end + length { try read(into: &buffer) }
        return (status, String(decoding: buffer[end..<(end + length)], as: UTF8.self))
    }
}
