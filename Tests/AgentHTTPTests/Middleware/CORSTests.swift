import AgentCore
import AgentHTTP
import Testing

/// CORS and security headers (OWASP API8): allowed origins echoed exactly with `Vary: Origin`,
/// others get nothing, `*` never with credentials, and `nosniff` everywhere.
struct CORSTests {
    static let app = "https://app.example"

    static func handler(_ origins: [String], credentials: Bool = false) -> any HTTPHandler {
        SecurityHeadersMiddleware(wrapping: CORSMiddleware(
            wrapping: MiddlewareRequest.router(), allowedOrigins: origins, allowsCredentials: credentials))
    }

    @Test func anAllowedOriginIsEchoedExactlyWithVary() async throws {
        let handler = Self.handler([Self.app, "https://other.example"])
        let response = await handler.handle(try MiddlewareRequest.make("GET", "/items/7", headers: [("Origin", Self.app)]))
        #expect(response.status == 200)
        #expect(response.headers.values(for: "Access-Control-Allow-Origin") == [Self.app])
        #expect(response.headers.values(for: "Vary") == ["Origin"])
        #expect(response.headers["Access-Control-Expose-Headers"]?.contains("X-Request-ID") == true)
        #expect(response.headers["Access-Control-Allow-Credentials"] == nil)
        #expect(response.headers["X-Content-Type-Options"] == "nosniff")
    }

    @Test func anotherOriginGetsNoCORSHeaders() async throws {
        let handler = Self.handler([Self.app])
        for origin in ["https://evil.example", "https://app.example.evil.example", "http://app.example", "null"] {
            let response = await handler.handle(try MiddlewareRequest.make("GET", "/items/7", headers: [("Origin", origin)]))
            #expect(response.status == 200)
            #expect(response.headers["Access-Control-Allow-Origin"] == nil, "origin \(origin)")
            #expect(response.headers["Access-Control-Allow-Credentials"] == nil)
            #expect(response.headers["Vary"] == "Origin")
        }
    }

    @Test func aPreflightFromAnAllowedOriginIsAnswered204() async throws {
        let handler = Self.handler([Self.app], credentials: true)
        let request = try MiddlewareRequest.make("OPTIONS", "/items", headers: [
            ("Origin", Self.app), ("Access-Control-Request-Method", "POST"), ("Access-Control-Request-Headers", "content-type"),
        ])
        let response = await handler.handle(request)
        #expect(response.status == 204)
        #expect(response.headers["Access-Control-Allow-Origin"] == Self.app)
        #expect(response.headers["Access-Control-Allow-Credentials"] == "true")
        #expect(response.headers["Access-Control-Allow-Methods"]?.contains("POST") == true)
        #expect(response.headers["Access-Control-Allow-Headers"]?.contains("Content-Type") == true)
        #expect(response.headers["Access-Control-Max-Age"] == "600")
        #expect(response.headers["Vary"] == "Origin")
        #expect(response.headers["X-Content-Type-Options"] == "nosniff")
    }

    @Test func aPreflightFromAnotherOriginGetsNoCORSHeaders() async throws {
        let handler = Self.handler([Self.app])
        let request = try MiddlewareRequest.make("OPTIONS", "/items", headers: [
            ("Origin", "https://evil.example"), ("Access-Control-Request-Method", "POST"),
        ])
        let response = await handler.handle(request)
        #expect(response.status == 405)
        #expect(response.headers["Allow"] == "POST")
        #expect(!response.headers.contains { $0.name.lowercased().hasPrefix("access-control-") })
    }

    @Test func aWildcardIsSentOnlyWithoutCredentials() async throws {
        let open = await Self.handler(["*"]).handle(
            try MiddlewareRequest.make("GET", "/items/1", headers: [("Origin", "https://anyone.example")]))
        #expect(open.headers["Access-Control-Allow-Origin"] == "*")
        #expect(open.headers["Vary"] == nil)

        let credentialed = Self.handler(["*", Self.app], credentials: true)
        let evil = await credentialed.handle(
            try MiddlewareRequest.make("GET", "/items/1", headers: [("Origin", "https://evil.example")]))
        #expect(evil.headers["Access-Control-Allow-Origin"] == nil)
        #expect(evil.headers["Access-Control-Allow-Credentials"] == nil)
        let app = await credentialed.handle(try MiddlewareRequest.make("GET", "/items/1", headers: [("Origin", Self.app)]))
        #expect(app.headers["Access-Control-Allow-Origin"] == Self.app)
        #expect(app.headers["Access-Control-Allow-Credentials"] == "true")
        #expect(!app.headers.values(for: "Access-Control-Allow-Origin").contains("*"))
    }

    @Test func originsAreReadFromACommaSeparatedList() {
        #expect(CORSMiddleware.origins(from: " https://a.example, https://b.example/ ,,") == ["https://a.example", "https://b.example/"])
        #expect(CORSMiddleware.origins(from: nil) == [])
        let middleware = CORSMiddleware(wrapping: MiddlewareRequest.router(), allowedOrigins: ["https://b.example/"])
        #expect(middleware.isAllowed("https://b.example"))
    }

    @Test func errorsAndRequestsWithoutOriginStillGetNosniff() async throws {
        let handler = Self.handler([Self.app])
        let missing = await handler.handle(try MiddlewareRequest.make("GET", "/nothing"))
        #expect(missing.status == 404 && missing.headers["X-Content-Type-Options"] == "nosniff")
        #expect(missing.headers["Access-Control-Allow-Origin"] == nil)
        let trace = await handler.handle(try MiddlewareRequest.make("TRACE", "/items"))
        #expect(trace.status == 405 && trace.headers["Allow"] == "POST")
        #expect(trace.headers["X-Content-Type-Options"] == "nosniff")
    }
}
