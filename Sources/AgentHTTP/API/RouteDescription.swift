/// A route as the router's table lists it: its method and its path pattern, whose `{name}`
/// segments are path parameters (the same spelling OpenAPI uses).
public struct RouteDescription: Sendable, Hashable, CustomStringConvertible {
    public var method: String
    public var pattern: String

    public init(method: String, pattern: String) {
        self.method = method
        self.pattern = pattern
    }

    /// `GET /api/v1/sessions/{id}`.
    public var description: String { "\(method) \(pattern)" }
}
