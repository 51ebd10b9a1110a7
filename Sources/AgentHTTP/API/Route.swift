/// One route: a method and a path pattern whose `{name}` segments capture path parameters.
struct Route: Sendable {
    let method: String
    /// The pattern as given (`/api/v1/sessions/{id}`).
    let pattern: String
    let segments: [Segment]
    let handler: @Sendable (APIRequest) async throws -> HTTPResponse
    /// Answers on the event loop without suspending when it can (nil: `handler` answers instead).
    let immediate: (@Sendable (APIRequest) throws -> HTTPResponse?)?
    /// The answer to an error either handler throws: the native envelope unless the route's API
    /// (a seed dialect) has its own.
    let errors: ErrorRenderer
    /// The largest body this route accepts; nil keeps the server's default.
    let bodyLimit: Int?
    /// Where the body is spooled while it arrives (``HTTPBodyDestination/file(directory:)``);
    /// nil keeps it in memory.
    let spoolDirectory: String?

    /// Turns an error thrown by a route into its response.
    typealias ErrorRenderer = @Sendable (any Error, APIRequest) -> HTTPResponse

    enum Segment: Sendable, Equatable {
        case literal(String)
        case parameter(String)
    }

    init(_ method: String, _ pattern: String, bodyLimit: Int? = nil, spoolDirectory: String? = nil,
         immediate: (@Sendable (APIRequest) throws -> HTTPResponse?)? = nil,
         errors: @escaping ErrorRenderer = Router.nativeErrors,
         _ handler: @escaping @Sendable (APIRequest) async throws -> HTTPResponse) {
        self.method = method
        self.pattern = pattern
        self.segments = pattern.split(separator: "/").map { part in
            part.hasPrefix("{") && part.hasSuffix("}") ? .parameter(String(part.dropFirst().dropLast())) : .literal(String(part))
        }
        self.handler = handler
        self.immediate = immediate
        self.errors = errors
        self.bodyLimit = bodyLimit
        self.spoolDirectory = spoolDirectory
    }

    /// The path parameters when `path` (split into decoded segments) matches the pattern.
    func match(_ path: [String]) -> [String: String]? {
        guard path.count == segments.count else { return nil }
        var parameters: [String: String] = [:]
        for (segment, part) in zip(segments, path) {
            switch segment {
            case .literal(let literal): if literal != part { return nil }
            case .parameter(let name): parameters[name] = part
            }
        }
        return parameters
    }
}
