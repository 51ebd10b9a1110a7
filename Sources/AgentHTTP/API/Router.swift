import Foundation

/// Routes requests to handlers by method and path, and puts the cross-cutting pieces in one place:
/// request ids (`X-Request-ID`, echoed or made), the error envelope, 404 and 405 with `Allow`.
public struct Router: HTTPHandler {
    private var routes: [Route] = []

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
    public mutating func add(_ method: String, _ pattern: String,
                    _ handler: @escaping @Sendable (APIRequest) async throws -> HTTPResponse) {
        routes.append(Route(method, pattern, handler))
    }

    public func handle(_ request: HTTPRequest) async -> HTTPResponse {
        let requestID = Self.requestID(for: request)
        var response = await route(request, requestID: requestID)
        response.headers.append(name: "X-Request-ID", value: requestID)
        return response
    }

    private func route(_ request: HTTPRequest, requestID: String) async -> HTTPResponse {
        let rawSegments = request.path.split(separator: "/", omittingEmptySubsequences: true)
        let segments = rawSegments.compactMap { PercentDecoding.decode($0) }
        guard segments.count == rawSegments.count, let query = PercentDecoding.query(request.head.query) else {
            return APIError.badRequest("the request target is not validly percent-encoded").response(requestID: requestID)
        }
        var allowed: [String] = []
        for route in routes {
            guard let parameters = route.match(segments) else { continue }
            let method = request.method == "HEAD" ? "GET" : request.method
            guard route.method == method else {
                allowed.append(route.method)
                continue
            }
            do {
                return try await route.handler(APIRequest(http: request, parameters: parameters, query: query, requestID: requestID))
            } catch {
                return APIError(any: error).response(requestID: requestID)
            }
        }
        if !allowed.isEmpty {
            var response = APIError(405, "method_not_allowed", "\(request.method) is not allowed on \(request.path)")
                .response(requestID: requestID)
            response.headers.append(name: "Allow", value: allowed.joined(separator: ", "))
            return response
        }
        return APIError.notFound("no route for \(request.method) \(request.path)").response(requestID: requestID)
    }

    /// The client's `X-Request-ID` when it is short and printable, else a new one.
    static func requestID(for request: HTTPRequest) -> String {
        if let given = request.headers["X-Request-ID"], (1...128).contains(given.utf8.count),
           given.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) {
            return given
        }
        // 128 random bits as hex: Foundation's UUID() opens /dev/urandom on every call, which with
        // its string formatting took half of /health's CPU (make bench-http).
        var random = SystemRandomNumberGenerator()
        func hex(_ value: UInt64) -> String {
            let digits = String(value, radix: 16)
            return String(repeating: "0", count: 16 - digits.count) + digits
        }
        return "req_" + hex(random.next()) + hex(random.next())
    }
}
