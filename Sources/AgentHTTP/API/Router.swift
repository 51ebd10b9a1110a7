import Foundation
import Synchronization

/// Routes requests to handlers by method and path, and puts the cross-cutting pieces in one place:
/// request ids (`X-Request-ID`, echoed or made), the error envelope, 404 and 405 with `Allow`.
public struct Router: HTTPHandler {
    private var routes: [Route] = []
    /// Routes without path parameters by their exact path, then method: most requests (health,
    /// lists) are found with one hash lookup instead of matching every pattern in turn. A route is
    /// listed only when no earlier route would have matched its path first.
    private var literalRoutes: [String: [(method: String, index: Int)]] = [:]
    /// Whether any route declared a body limit or a spool directory: when none did, a request
    /// head is not matched twice.
    private var hasBodyPolicies = false

    public init() {}

    /// Every route, in the order added: what `/openapi.json` documents and what metrics label by.
    public var routeTable: [RouteDescription] {
        routes.map { RouteDescription(method: $0.method, pattern: $0.pattern) }
    }

    /// The pattern of the route whose path matches `request` (whatever its method), or nil when no
    /// route's path does. Metrics label requests with it, so label values stay as few as the routes.
    public func pattern(for request: HTTPRequest) -> String? {
        let rawSegments = request.path.split(separator: "/", omittingEmptySubsequences: true)
        let segments = rawSegments.compactMap { PercentDecoding.decode($0) }
        guard segments.count == rawSegments.count else { return nil }
        let method = request.method == "HEAD" ? "GET" : request.method
        let matching = routes.filter { $0.match(segments) != nil }
        return (matching.first { $0.method == method } ?? matching.first)?.pattern
    }

    /// Adds a route; `pattern` segments in braces (`/api/v1/sessions/{id}`) are path parameters.
    ///
    /// `immediate`, when given, is tried first on the server's event loop: it answers at once
    /// (from memory, never blocking) or returns nil to let `handler` answer on a task. `errors`
    /// answers what either throws (the native envelope by default; seed dialects pass their own).
    ///
    /// An upload route raises its body limit and spools the body to disk as it arrives, so the
    /// handler reads ``HTTPRequest/bodyFile`` instead of ``HTTPRequest/body``:
    ///
    /// ```swift
    /// router.add("POST", "/api/v1/uploads/agent/{agent_id}", bodyLimit: 100 << 20, spoolDirectory: spool) { request in
    ///     guard let file = request.http.bodyFile else { throw APIError.badRequest("the upload is empty") }
    ///     let reader = try MultipartFormReader(contentType: request.http.headers["Content-Type"])
    ///     let upload = try reader.extractFile(from: file.path, to: destination)
    ///     return .json(201, ["bytes": .int(upload.byteCount)])
    /// }
    /// ```
    ///
    /// - Parameters:
    ///   - bodyLimit: the largest body the route accepts (413 beyond it); nil keeps the server's default.
    ///   - spoolDirectory: where the body is written while it arrives
    ///     (``HTTPBodyDestination/file(directory:)``); nil keeps it in memory.
    public mutating func add(_ method: String, _ pattern: String, bodyLimit: Int? = nil, spoolDirectory: String? = nil,
                             immediate: (@Sendable (APIRequest) throws -> HTTPResponse?)? = nil,
                             errors: @escaping @Sendable (any Error, APIRequest) -> HTTPResponse = Router.nativeErrors,
                             _ handler: @escaping @Sendable (APIRequest) async throws -> HTTPResponse) {
        let route = Route(method, pattern, bodyLimit: bodyLimit, spoolDirectory: spoolDirectory, immediate: immediate,
                          errors: errors, handler)
        if bodyLimit != nil || spoolDirectory != nil { hasBodyPolicies = true }
        let path = route.segments.map { segment -> String in
            if case .literal(let text) = segment { return text }
            return ""
        }
        let isLiteral = route.segments.allSatisfy { if case .literal = $0 { true } else { false } }
        if isLiteral, !routes.contains(where: { $0.method == method && $0.match(path) != nil }) {
            literalRoutes["/" + path.joined(separator: "/"), default: []].append((method, routes.count))
        }
        routes.append(route)
    }

    /// The native API's answer to an error a route throws: its envelope (`APIError`).
    public static let nativeErrors: @Sendable (any Error, APIRequest) -> HTTPResponse = { error, request in
        APIError(any: error).response(requestID: request.requestID)
    }

    public func handle(_ request: HTTPRequest) async -> HTTPResponse { await reply(to: request).response() }

    /// The matched route's declared body limit, if any.
    public func bodyLimit(for head: HTTPRequestHead) -> Int? { bodyRoute(for: head)?.bodyLimit }

    /// A spool file in the matched route's spool directory, if it declared one; memory otherwise.
    public func bodyDestination(for head: HTTPRequestHead) -> HTTPBodyDestination {
        guard let directory = bodyRoute(for: head)?.spoolDirectory else { return .memory }
        return .file(directory: directory)
    }

    public func reply(to request: HTTPRequest) -> HTTPReply {
        let requestID = Self.requestID(for: request)
        let route: Route, apiRequest: APIRequest
        switch resolve(request, requestID: requestID) {
        case .answered(let response, let pattern):
            var response = response
            response.headers.append(name: "X-Request-ID", value: requestID)
            response.routePattern = pattern
            return .ready(response)
        case .matched(let matched, let matchedRequest):
            (route, apiRequest) = (matched, matchedRequest)
        }
        let pattern = route.pattern
        @Sendable func stamped(_ response: HTTPResponse) -> HTTPResponse {
            var response = response
            response.headers.append(name: "X-Request-ID", value: requestID)
            response.routePattern = pattern
            return response
        }
        if let immediate = route.immediate {
            do {
                if let response = try immediate(apiRequest) { return .ready(stamped(response)) }
            } catch {
                return .ready(stamped(route.errors(error, apiRequest)))
            }
        }
        return .pending {
            do {
                return stamped(try await route.handler(apiRequest))
            } catch {
                return stamped(route.errors(error, apiRequest))
            }
        }
    }

    /// Which route answers, or the answer itself for a bad target, 404 and 405.
    private enum Resolution {
        case matched(Route, APIRequest)
        /// An error answer, with the pattern of the route whose path matched (405) if any.
        case answered(HTTPResponse, pattern: String?)
    }

    private func resolve(_ request: HTTPRequest, requestID: String) -> Resolution {
        let method = request.method == "HEAD" ? "GET" : request.method
        // A path with nothing to decode that is exactly a literal route's: no matching needed.
        if let candidates = literalRoutes[request.path], let found = candidates.first(where: { $0.method == method }) {
            guard let query = PercentDecoding.query(request.head.query) else {
                return .answered(
                    APIError.badRequest("the request target is not validly percent-encoded").response(requestID: requestID),
                    pattern: nil)
            }
            let route = routes[found.index]
            return .matched(route, APIRequest(http: request, parameters: [:], query: query, requestID: requestID))
        }
        let rawSegments = request.path.split(separator: "/", omittingEmptySubsequences: true)
        let segments = rawSegments.compactMap { PercentDecoding.decode($0) }
        guard segments.count == rawSegments.count, let query = PercentDecoding.query(request.head.query) else {
            return .answered(
                APIError.badRequest("the request target is not validly percent-encoded").response(requestID: requestID),
                pattern: nil)
        }
        var allowed: [String] = []
        var pathPattern: String?
        for route in routes {
            guard let parameters = route.match(segments) else { continue }
            guard route.method == method else {
                // Two patterns may match one path (`/screenshots/latest`, `/screenshots/{hash}`).
                if !allowed.contains(route.method) { allowed.append(route.method) }
                pathPattern = pathPattern ?? route.pattern
                continue
            }
            return .matched(route, APIRequest(http: request, parameters: parameters, query: query, requestID: requestID))
        }
        if !allowed.isEmpty {
            var response = APIError(405, "method_not_allowed", "\(request.method) is not allowed on \(request.path)")
                .response(requestID: requestID)
            response.headers.append(name: "Allow", value: allowed.joined(separator: ", "))
            return .answered(response, pattern: pathPattern)
        }
        return .answered(
            APIError.notFound("no route for \(request.method) \(request.path)").response(requestID: requestID), pattern: nil)
    }

    /// The route that will answer a request with this head, when the head announces a body and
    /// some route declared a body policy; the same choice as `resolve`.
    private func bodyRoute(for head: HTTPRequestHead) -> Route? {
        guard hasBodyPolicies else { return nil }
        if case .none = head.bodyFraming { return nil }
        let method = head.method == "HEAD" ? "GET" : head.method
        if let candidates = literalRoutes[head.path], let found = candidates.first(where: { $0.method == method }) {
            return routes[found.index]
        }
        let rawSegments = head.path.split(separator: "/", omittingEmptySubsequences: true)
        let segments = rawSegments.compactMap { PercentDecoding.decode($0) }
        guard segments.count == rawSegments.count else { return nil }
        return routes.first { $0.method == method && $0.match(segments) != nil }
    }

    /// The client's `X-Request-ID` when it is short and printable, else a new one.
    static func requestID(for request: HTTPRequest) -> String {
        if let given = request.headers["X-Request-ID"], (1...128).contains(given.utf8.count),
           given.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) {
            return given
        }
        // A random per-process prefix and a counter: unique, and free of the system call (getrandom)
        // and the formatting that Foundation's UUID() cost /health on every request (make bench-http).
        let number = requestCounter.add(1, ordering: .relaxed).newValue
        return String(unsafeUninitializedCapacity: 36) { buffer in
            for (index, byte) in "req_".utf8.enumerated() { buffer[index] = byte }
            writeHex(requestPrefix, into: buffer, at: 4)
            writeHex(number, into: buffer, at: 20)
            return 36
        }
    }

    private static let requestPrefix = UInt64.random(in: .min ... .max)
    private static let requestCounter = Atomic<UInt64>(0)

    /// `value` as 16 lowercase hex digits at `offset`.
    private static func writeHex(_ value: UInt64, into buffer: UnsafeMutableBufferPointer<UInt8>, at offset: Int) {
        let digits: StaticString = "0123456789abcdef"
        for position in 0..<16 {
            let nibble = Int((value >> UInt64(60 - 4 * position)) & 0xF)
            buffer[offset + position] = digits.utf8Start[nibble]
        }
    }
}
