import AgentCore
import AgentHTTP
import Testing

/// Builds requests for middleware tests the way a client puts them on the wire, and a handler that
/// answers every request with a fixed response.
enum MiddlewareRequest {
    /// A parsed request from its parts.
    static func make(_ method: String, _ target: String, headers: [(String, String)] = [], body: String = "",
                     remoteAddress: String = "127.0.0.1:50000") throws -> HTTPRequest {
        var text = "\(method) \(target) HTTP/1.1\r\nHost: localhost\r\n"
        for (name, value) in headers { text += "\(name): \(value)\r\n" }
        text += "Content-Length: \(body.utf8.count)\r\n\r\n\(body)"
        var parser = HTTPRequestParser()
        parser.append(Array(text.utf8))
        guard case .head(let head)? = try parser.next() else { throw CancellationError() }
        return HTTPRequest(head: head, body: Array(body.utf8), remoteAddress: remoteAddress)
    }

    /// A router with a few plain routes, for middleware that does not need the native API.
    static func router() -> Router {
        var router = Router()
        router.add("GET", "/items/{id}") { request in .json(200, ["id": .string(request.parameter("id"))]) }
        router.add("POST", "/items") { _ in .json(201, ["created": true]) }
        router.add("GET", "/limited/ping") { _ in .json(200, ["pong": true]) }
        return router
    }

    /// The body of a complete response as text.
    static func text(_ response: HTTPResponse) -> String {
        guard case .bytes(let bytes) = response.body else { return "" }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The body of a complete response as JSON.
    static func json(_ response: HTTPResponse) -> JSONValue {
        guard case .bytes(let bytes) = response.body else { return .null }
        return (try? JSONValue(parsing: bytes)) ?? .null
    }
}
