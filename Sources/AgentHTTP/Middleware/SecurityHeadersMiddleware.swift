/// Adds the headers every response should carry (OWASP API8): `X-Content-Type-Options: nosniff`,
/// so browsers never guess a type other than the declared one. A header the handler already set is
/// left alone.
///
/// ```swift
/// let handler = SecurityHeadersMiddleware(wrapping: router)
/// ```
public struct SecurityHeadersMiddleware: HTTPHandler {
    private let next: any HTTPHandler
    /// The headers added to each response.
    public let headers: HTTPHeaders

    public init(wrapping next: any HTTPHandler, headers: HTTPHeaders = ["X-Content-Type-Options": "nosniff"]) {
        self.next = next
        self.headers = headers
    }

    public func handle(_ request: HTTPRequest) async -> HTTPResponse { await reply(to: request).response() }

    public func reply(to request: HTTPRequest) -> HTTPReply {
        let headers = self.headers
        return next.reply(to: request).map { response in
            var response = response
            for field in headers where !response.headers.contains(field.name) {
                response.headers.append(name: field.name, value: field.value)
            }
            return response
        }
    }

    public func bodyLimit(for head: HTTPRequestHead) -> Int? { next.bodyLimit(for: head) }
    public func bodyDestination(for head: HTTPRequestHead) -> HTTPBodyDestination { next.bodyDestination(for: head) }
}
