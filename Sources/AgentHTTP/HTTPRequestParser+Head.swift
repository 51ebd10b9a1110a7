// Request line, field lines and the checks that turn them into an `HTTPRequestHead`.

extension HTTPRequestParser {
    /// RFC 9112 §3: request-line = method SP request-target SP HTTP-version (single SPs, strictly).
    mutating func parseRequestLine(_ line: ArraySlice<UInt8>) throws(HTTPParseError) {
        guard let firstSpace = line.firstIndex(of: HTTPSyntax.sp) else { throw .badRequest("malformed request line") }
        let method = line[line.startIndex..<firstSpace]
        // RFC 9112 §3.1 / RFC 9110 §9.1: method = token.
        guard !method.isEmpty, method.allSatisfy(HTTPSyntax.isTokenChar) else { throw .badRequest("invalid method") }
        let rest = line[(firstSpace + 1)...]
        guard let secondSpace = rest.firstIndex(of: HTTPSyntax.sp) else { throw .badRequest("malformed request line") }
        let target = rest[rest.startIndex..<secondSpace]
        // RFC 9112 §3.2: request-target has no whitespace; we also refuse CTLs and non-ASCII.
        guard !target.isEmpty, target.allSatisfy(HTTPSyntax.isTargetChar) else {
            throw .badRequest("invalid request target")
        }
        partial.version = try Self.parseVersion(rest[(secondSpace + 1)...])
        partial.method = String(decoding: method, as: UTF8.self)
        partial.target = String(decoding: target, as: UTF8.self)
    }

    /// RFC 9112 §2.3: HTTP-version = "HTTP" "/" DIGIT "." DIGIT, case-sensitive.
    static func parseVersion(_ bytes: ArraySlice<UInt8>) throws(HTTPParseError) -> HTTPVersion {
        let b = Array(bytes)
        guard b.count == 8, b[0...4].elementsEqual("HTTP/".utf8), HTTPSyntax.isDigit(b[5]),
              b[6] == UInt8(ascii: "."), HTTPSyntax.isDigit(b[7]) else {
            throw .badRequest("malformed HTTP version")
        }
        guard b[5] == UInt8(ascii: "1") else { throw .versionNotSupported }
        // RFC 9110 §6.2: a higher minor version is handled as the highest one we support.
        return b[7] == UInt8(ascii: "0") ? .http1_0 : .http1_1
    }

    /// Parses one field line (RFC 9112 §5) and appends it.
    static func parseFieldLine(_ line: ArraySlice<UInt8>, into fields: inout HTTPHeaders) throws(HTTPParseError) {
        // RFC 9112 §5.2: obs-fold is refused; §2.2: so is whitespace before the first field line.
        if let first = line.first, HTTPSyntax.isWhitespace(first) {
            throw .badRequest("obs-fold or leading whitespace in field line")
        }
        guard let colon = line.firstIndex(of: HTTPSyntax.colon) else { throw .badRequest("field line without colon") }
        let name = line[line.startIndex..<colon]
        guard let last = name.last else { throw .badRequest("empty field name") }
        // RFC 9112 §5.1: no whitespace between field name and colon; a server MUST answer 400.
        if HTTPSyntax.isWhitespace(last) { throw .badRequest("whitespace between field name and colon") }
        // RFC 9110 §5.1: field-name = token.
        guard name.allSatisfy(HTTPSyntax.isTokenChar) else { throw .badRequest("invalid character in field name") }
        // RFC 9112 §5.1: OWS around the value is not part of it.
        let trimmed = HTTPSyntax.trimmed(line[(colon + 1)...])
        // RFC 9110 §5.5: CR, LF, NUL and other CTLs are invalid in field values.
        guard trimmed.allSatisfy(HTTPSyntax.isFieldValueChar) else {
            throw .badRequest("invalid character in field value")
        }
        fields.append(name: String(decoding: name, as: UTF8.self), value: String(decoding: trimmed, as: UTF8.self))
    }

    /// Validates the complete header section and works out framing and connection semantics.
    mutating func finishHead() throws(HTTPParseError) -> HTTPRequestHead {
        let headers = partial.headers
        let version = partial.version
        let isHTTP11 = version == .http1_1

        // RFC 9112 §3.2: 400 for a missing Host in HTTP/1.1, more than one Host, or an invalid one.
        let hosts = headers.values(for: "host")
        if hosts.count > 1 { throw .badRequest("more than one Host field") }
        if isHTTP11 && hosts.isEmpty { throw .badRequest("missing Host field") }
        if let host = hosts.first, !host.utf8.allSatisfy(Self.isAuthorityChar) { throw .badRequest("invalid Host field") }

        let target = try Self.splitTarget(partial.target, method: partial.method)
        let hostAuthority = hosts.first.flatMap { $0.isEmpty ? nil : $0 }

        let framing = try Self.bodyFraming(headers, version: version)

        // RFC 9112 §9.3: 1.1 persists unless "close"; 1.0 only with "keep-alive" (§C.2.2).
        let options = headers.values(for: "connection").flatMap(HTTPSyntax.listMembers)
        let keepAlive = !options.contains("close") && (isHTTP11 || options.contains("keep-alive"))

        // RFC 9110 §10.1.1: honour 100-continue only from HTTP/1.1 clients (MUST ignore it in 1.0).
        let expectations = headers.values(for: "expect").flatMap(HTTPSyntax.listMembers)
        let expectsContinue = isHTTP11 && expectations.contains("100-continue")

        return HTTPRequestHead(method: partial.method, target: partial.target, version: version, headers: headers,
                               path: target.path, query: target.query, authority: target.authority ?? hostAuthority,
                               bodyFraming: framing, keepAlive: keepAlive, expectsContinue: expectsContinue)
    }

    /// RFC 9112 §6.3 (message body length), refusing every ambiguous combination.
    static func bodyFraming(_ headers: HTTPHeaders, version: HTTPVersion) throws(HTTPParseError) -> HTTPBodyFraming {
        let transferEncodings = headers.values(for: "transfer-encoding")
        let contentLengths = headers.values(for: "content-length")
        if !transferEncodings.isEmpty {
            // RFC 9112 §6.1: Transfer-Encoding in HTTP/1.0 means faulty framing.
            if version == .http1_0 { throw .badRequest("Transfer-Encoding in HTTP/1.0 request") }
            // RFC 9112 §6.3 item 3 / §6.1: both present is a smuggling signal; refuse.
            if !contentLengths.isEmpty { throw .badRequest("both Content-Length and Transfer-Encoding") }
            let codings = transferEncodings.flatMap(HTTPSyntax.listMembers)
            // RFC 9112 §6.3 item 4: chunked must be the final coding, else 400.
            guard codings.last == "chunked" else { throw .badRequest("chunked is not the final transfer coding") }
            // RFC 9112 §6.1: chunked MUST NOT be applied more than once.
            if codings.dropLast().contains("chunked") { throw .badRequest("chunked applied more than once") }
            // RFC 9112 §6.1: a coding we do not implement gets 501.
            if codings.count > 1 { throw .unsupportedTransferCoding }
            return .chunked
        }
        guard !contentLengths.isEmpty else { return .none }    // RFC 9112 §6.3 item 6: no body
        // RFC 9110 §8.6: Content-Length = 1*DIGIT; a list of identical values may be read as one.
        // RFC 9112 §6.3 item 5: anything else is unrecoverable, 400.
        var length: Int?
        for field in contentLengths {
            for member in field.utf8.split(separator: HTTPSyntax.comma, omittingEmptySubsequences: false) {
                let digits = HTTPSyntax.trimmed(Array(member))
                guard !digits.isEmpty, digits.count <= 18, digits.allSatisfy(HTTPSyntax.isDigit) else {
                    throw .badRequest("invalid Content-Length")
                }
                let value = digits.reduce(0) { $0 * 10 + Int($1 - UInt8(ascii: "0")) }
                if let length, length != value { throw .badRequest("conflicting Content-Length values") }
                length = value
            }
        }
        return .length(length ?? 0)
    }

    /// The parts of a request-target (RFC 9112 §3.2).
    struct TargetParts {
        var path: String
        var query: String?
        var authority: String?
    }

    static func splitTarget(_ target: String, method: String) throws(HTTPParseError) -> TargetParts {
        let bytes = Array(target.utf8)
        // RFC 9112 §3.2.4: asterisk-form, only for OPTIONS.
        if target == "*" {
            guard method == "OPTIONS" else { throw .badRequest("asterisk-form target without OPTIONS") }
            return TargetParts(path: "*", query: nil, authority: nil)
        }
        // RFC 9112 §3.2.3: authority-form (uri-host ":" port), only and always for CONNECT.
        if method == "CONNECT" {
            guard bytes.contains(HTTPSyntax.colon), bytes.allSatisfy(isAuthorityChar) else {
                throw .badRequest("CONNECT needs an authority-form target")
            }
            return TargetParts(path: "", query: nil, authority: target)
        }
        // RFC 9112 §3.2.1: origin-form.
        if bytes.first == UInt8(ascii: "/") {
            return splitPathAndQuery(bytes[...], authority: nil)
        }
        // RFC 9112 §3.2.2: absolute-form; its authority overrides Host. Schemes: RFC 3986 §3.1.
        guard let first = bytes.first, isAlpha(first), let colon = bytes.firstIndex(of: HTTPSyntax.colon),
              bytes[..<colon].allSatisfy({ isAlpha($0) || HTTPSyntax.isDigit($0) || "+-.".utf8.contains($0) }),
              bytes[colon...].starts(with: "://".utf8) else {
            throw .badRequest("invalid request target form")
        }
        let authorityStart = colon + 3
        let authorityEnd = bytes[authorityStart...].firstIndex { $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: "?") }
            ?? bytes.endIndex
        let authority = bytes[authorityStart..<authorityEnd]
        // RFC 9110 §4.2.4: userinfo in an http(s) URI is treated as an error ('@' is not an authority char here).
        guard !authority.isEmpty, authority.allSatisfy(isAuthorityChar) else {
            throw .badRequest("invalid authority in absolute-form target")
        }
        let parts = splitPathAndQuery(bytes[authorityEnd...], authority: String(decoding: authority, as: UTF8.self))
        return parts
    }

    private static func splitPathAndQuery(_ bytes: ArraySlice<UInt8>, authority: String?) -> TargetParts {
        let question = bytes.firstIndex(of: UInt8(ascii: "?")) ?? bytes.endIndex
        var path = String(decoding: bytes[bytes.startIndex..<question], as: UTF8.self)
        if path.isEmpty { path = "/" }    // RFC 9112 §3.2.1: an empty absolute path is "/"
        let query = question < bytes.endIndex ? String(decoding: bytes[(question + 1)...], as: UTF8.self) : nil
        return TargetParts(path: path, query: query, authority: authority)
    }

    /// Host = uri-host [ ":" port ] (RFC 9110 §7.2): reg-name, IPv4 or IP-literal characters.
    static func isAuthorityChar(_ byte: UInt8) -> Bool {
        isAlpha(byte) || HTTPSyntax.isDigit(byte) || "-._~!$&'()*+,;=%:[]".utf8.contains(byte)
    }

    private static func isAlpha(_ byte: UInt8) -> Bool {
        let lower = byte | 0x20
        return lower >= UInt8(ascii: "a") && lower <= UInt8(ascii: "z")
    }
}
