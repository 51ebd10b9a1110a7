import Glibc

/// Serializes response heads and chunk framing (RFC 9112 §4, §7.1) into bytes for the socket.
enum ResponseEncoder {
    /// How the body after a head is delimited.
    enum Framing {
        /// `Content-Length: n` (the body may still be omitted, for HEAD).
        case length(Int)
        /// `Transfer-Encoding: chunked`.
        case chunked
        /// Neither: the body ends when the connection closes (HTTP/1.0 streams), or there is none
        /// (1xx, 204, 304).
        case none
    }

    /// Headers the server owns; a handler's copies are dropped.
    private static let serverOwned = ["content-length", "transfer-encoding", "connection", "date"]

    /// The status line and header section, ending with the empty line.
    ///
    /// - Parameters:
    ///   - connection: the `Connection` value to send (`close`, `keep-alive`), or nil for none.
    ///   - date: the current IMF-fixdate.
    static func head(status: Int, headers: HTTPHeaders, framing: Framing, connection: String?,
                     date: String) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(160 + headers.count * 40)
        // RFC 9112 §4: status-line = HTTP-version SP status-code SP [ reason-phrase ].
        append("HTTP/1.1 ", to: &out)
        append(String(status), to: &out)
        append(" ", to: &out)
        append(reasonPhrase(status), to: &out)
        append("\r\n", to: &out)
        var hasServer = false
        for field in headers {
            if let owned = serverOwned.first(where: { HTTPHeaders.namesMatch(field.name, $0) }) {
                // Keep the handler's `Connection: upgrade`; the server decides about close/keep-alive.
                guard owned == "connection", connection == nil else { continue }
            }
            if HTTPHeaders.namesMatch(field.name, "server") { hasServer = true }
            appendField(field.name, field.value, to: &out)
        }
        if !hasServer { append("Server: agentd\r\n", to: &out) }
        appendField("Date", date, to: &out)
        switch framing {
        case .length(let count): appendField("Content-Length", String(count), to: &out)
        case .chunked: append("Transfer-Encoding: chunked\r\n", to: &out)
        case .none: break
        }
        if let connection { appendField("Connection", connection, to: &out) }
        append("\r\n", to: &out)
        return out
    }

    /// `name: value` CRLF, appended without building an intermediate string.
    private static func appendField(_ name: String, _ value: String, to out: inout [UInt8]) {
        append(name, to: &out)
        out.append(UInt8(ascii: ":"))
        out.append(UInt8(ascii: " "))
        append(value, to: &out)
        out.append(UInt8(ascii: "\r"))
        out.append(UInt8(ascii: "\n"))
    }

    /// RFC 9112 §7.1: chunk = chunk-size CRLF chunk-data CRLF (an empty chunk is not written:
    /// it would end the body).
    static func chunk(_ bytes: [UInt8]) -> [UInt8] {
        guard !bytes.isEmpty else { return [] }
        var out = Array((String(bytes.count, radix: 16) + "\r\n").utf8)
        out.reserveCapacity(out.count + bytes.count + 2)
        out += bytes
        append("\r\n", to: &out)
        return out
    }

    /// RFC 9112 §7.1: last-chunk and an empty trailer section.
    static let lastChunk: [UInt8] = Array("0\r\n\r\n".utf8)

    /// The interim response sent before reading a body the client is holding back (RFC 9110 §10.1.1).
    static let continueResponse: [UInt8] = Array("HTTP/1.1 100 Continue\r\n\r\n".utf8)

    /// A small JSON error response `{"detail": reason, "status_code": N}` that closes the connection.
    static func errorResponse(status: Int, detail: String, date: String) -> [UInt8] {
        let body = Array("{\"detail\":\"\(jsonEscaped(detail))\",\"status_code\":\(status)}".utf8)
        let headers: HTTPHeaders = ["Content-Type": "application/json"]
        return head(status: status, headers: headers, framing: .length(body.count), connection: "close", date: date)
            + body
    }

    /// Whether a response with this status never has a body (RFC 9110 §6.4.1: 1xx, 204, 304).
    static func statusForbidsBody(_ status: Int) -> Bool {
        (100..<200).contains(status) || status == 204 || status == 304
    }

    /// The reason phrase for common status codes; empty otherwise (allowed by RFC 9112 §4).
    static func reasonPhrase(_ status: Int) -> String {
        switch status {
        case 100: "Continue"
        case 101: "Switching Protocols"
        case 200: "OK"
        case 201: "Created"
        case 202: "Accepted"
        case 204: "No Content"
        case 206: "Partial Content"
        case 301: "Moved Permanently"
        case 302: "Found"
        case 303: "See Other"
        case 304: "Not Modified"
        case 307: "Temporary Redirect"
        case 308: "Permanent Redirect"
        case 400: "Bad Request"
        case 401: "Unauthorized"
        case 403: "Forbidden"
        case 404: "Not Found"
        case 405: "Method Not Allowed"
        case 408: "Request Timeout"
        case 409: "Conflict"
        case 410: "Gone"
        case 413: "Content Too Large"
        case 414: "URI Too Long"
        case 415: "Unsupported Media Type"
        case 422: "Unprocessable Content"
        case 429: "Too Many Requests"
        case 431: "Request Header Fields Too Large"
        case 500: "Internal Server Error"
        case 501: "Not Implemented"
        case 502: "Bad Gateway"
        case 503: "Service Unavailable"
        case 504: "Gateway Timeout"
        case 505: "HTTP Version Not Supported"
        default: ""
        }
    }

    private static func append(_ text: String, to out: inout [UInt8]) {
        out.append(contentsOf: text.utf8)
    }

    private static func jsonEscaped(_ text: String) -> String {
        var result = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case _ where scalar.value < 0x20: result += "\\u00" + (scalar.value < 0x10 ? "0" : "") + String(scalar.value, radix: 16)
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result
    }
}

/// The `Date` header value (RFC 9110 §5.6.7 IMF-fixdate), recomputed at most once a second.
struct HTTPDateCache {
    private var second: Int = -1
    private var text = ""

    /// The current date, e.g. `Sun, 06 Nov 1994 08:49:37 GMT`.
    mutating func current() -> String {
        let now = time(nil)
        if now != second {
            second = now
            text = Self.format(now)
        }
        return text
    }

    static func format(_ seconds: Int) -> String {
        var t = time_t(seconds)
        var parts = tm()
        gmtime_r(&t, &parts)
        let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return "\(days[Int(parts.tm_wday)]), \(two(parts.tm_mday)) \(months[Int(parts.tm_mon)]) \(parts.tm_year + 1900) "
            + "\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec)) GMT"
    }
}
