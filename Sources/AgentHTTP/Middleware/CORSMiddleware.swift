import Foundation

/// Cross-origin resource sharing (WHATWG Fetch §3.2) for browser clients on other origins.
///
/// - A preflight (`OPTIONS` with `Origin` and `Access-Control-Request-Method`) from an allowed
///   origin is answered 204 with the allowed methods, headers and max-age; one from any other
///   origin goes on to the wrapped handler and gets no CORS headers.
/// - Any other request from an allowed origin gets `Access-Control-Allow-Origin` with the origin
///   echoed exactly. Responses carry `Vary: Origin` whenever they depend on it.
/// - `*` in `allowedOrigins` answers `Access-Control-Allow-Origin: *`, but never together with
///   credentials: with `allowsCredentials`, `*` is ignored and only listed origins match
///   (OWASP API8).
///
/// ```swift
/// let handler = CORSMiddleware(wrapping: router, allowedOrigins: ["https://app.example"])
/// ```
public struct CORSMiddleware: HTTPHandler {
    private let next: any HTTPHandler
    /// Origins allowed, exactly as browsers send them (`https://app.example:8443`, no path).
    public let allowedOrigins: Set<String>
    /// Whether any origin is allowed (`*` given, without credentials).
    public let allowsAnyOrigin: Bool
    public let allowsCredentials: Bool
    public let allowedMethods: [String]
    public let allowedHeaders: [String]
    /// Response headers scripts may read.
    public let exposedHeaders: [String]
    /// How long a browser may cache a preflight answer, in seconds.
    public let maxAge: Int

    public init(
        wrapping next: any HTTPHandler, allowedOrigins: [String], allowsCredentials: Bool = false,
        allowedMethods: [String] = ["GET", "POST", "PATCH", "DELETE"],
        allowedHeaders: [String] = ["Authorization", "Content-Type", "Last-Event-ID", "X-Request-ID"],
        exposedHeaders: [String] = ["Retry-After", "X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset",
                                    "X-Request-ID"],
        maxAge: Int = 600
    ) {
        self.next = next
        let origins = allowedOrigins.map { $0.trimmingSuffix("/") }.filter { !$0.isEmpty }
        self.allowedOrigins = Set(origins.filter { $0 != "*" })
        self.allowsAnyOrigin = origins.contains("*") && !allowsCredentials
        self.allowsCredentials = allowsCredentials
        self.allowedMethods = allowedMethods
        self.allowedHeaders = allowedHeaders
        self.exposedHeaders = exposedHeaders
        self.maxAge = maxAge
    }

    /// Reads a comma-separated origin list, as `CORS_ORIGINS` holds it (`https://a.example,https://b.example`).
    public static func origins(from text: String?) -> [String] {
        (text ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    public func handle(_ request: HTTPRequest) async -> HTTPResponse { await reply(to: request).response() }

    public func reply(to request: HTTPRequest) -> HTTPReply {
        let origin = request.headers["Origin"]
        let allowed = origin.map(isAllowed) ?? false
        if request.method == "OPTIONS", allowed, request.headers.contains("Access-Control-Request-Method") {
            var response = HTTPResponse(status: 204)
            addOriginHeaders(to: &response, origin: origin ?? "")
            response.headers.append(name: "Access-Control-Allow-Methods", value: allowedMethods.joined(separator: ", "))
            response.headers.append(name: "Access-Control-Allow-Headers", value: allowedHeaders.joined(separator: ", "))
            response.headers.append(name: "Access-Control-Max-Age", value: String(maxAge))
            return .ready(response)
        }
        let cors = self
        return next.reply(to: request).map { response in
            var response = response
            if allowed, let origin {
                cors.addOriginHeaders(to: &response, origin: origin)
                if !cors.exposedHeaders.isEmpty {
                    response.headers.append(
                        name: "Access-Control-Expose-Headers", value: cors.exposedHeaders.joined(separator: ", "))
                }
            } else if cors.variesByOrigin {
                response.headers.append(name: "Vary", value: "Origin")
            }
            return response
        }
    }

    public func bodyLimit(for head: HTTPRequestHead) -> Int? { next.bodyLimit(for: head) }
    public func bodyDestination(for head: HTTPRequestHead) -> HTTPBodyDestination { next.bodyDestination(for: head) }

    /// Whether `origin` may read responses. `null` (opaque origins) matches only when listed.
    public func isAllowed(_ origin: String) -> Bool {
        allowedOrigins.contains(origin) || (allowsAnyOrigin && origin != "null")
    }

    /// Whether answers differ by `Origin` (all but a plain `*` list), so caches must key on it.
    private var variesByOrigin: Bool { !(allowsAnyOrigin && allowedOrigins.isEmpty) }

    private func addOriginHeaders(to response: inout HTTPResponse, origin: String) {
        if allowsAnyOrigin, !allowedOrigins.contains(origin) {
            response.headers.append(name: "Access-Control-Allow-Origin", value: "*")
        } else {
            response.headers.append(name: "Access-Control-Allow-Origin", value: origin)
            if allowsCredentials { response.headers.append(name: "Access-Control-Allow-Credentials", value: "true") }
        }
        if variesByOrigin { response.headers.append(name: "Vary", value: "Origin") }
    }
}

extension String {
    /// The string without one trailing `suffix`.
    fileprivate func trimmingSuffix(_ suffix: String) -> String {
        hasSuffix(suffix) ? String(dropLast(suffix.count)) : self
    }
}
