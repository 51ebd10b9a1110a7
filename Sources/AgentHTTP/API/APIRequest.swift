public import AgentCore

/// A request as a route sees it: the HTTP request, its path parameters, decoded query and the
/// request id.
public struct APIRequest: Sendable {
    public let http: HTTPRequest
    public let parameters: [String: String]
    public let query: [String: String]
    public let requestID: String

    /// Who the request acts for: the authenticated principal, else the local user (no
    /// authentication in front of this route).
    public var principal: Principal { http.principal ?? .local }

    /// The sessions the request's principal may see and change.
    public func sessions(of service: SessionService) -> OwnedSessions { service.owned(by: principal) }

    /// A path parameter (always present for the route's own parameters).
    public func parameter(_ name: String) -> String { parameters[name] ?? "" }

    /// The JSON body; an empty body reads as `{}`.
    /// - Throws: 415 when the body is not declared as JSON, 400 when it does not parse or is not an object.
    public func json() throws(APIError) -> JSONValue {
        if http.body.isEmpty { return [:] }
        if let type = http.headers["Content-Type"]?.lowercased(), !type.hasPrefix("application/json"), !type.contains("+json") {
            throw APIError(415, "unsupported_media_type", "the body must be JSON (Content-Type: application/json)")
        }
        let value: JSONValue
        do {
            value = try JSONValue(parsing: http.body)
        } catch {
            throw APIError.badRequest("the body is not valid JSON: \(error)")
        }
        guard value.objectValue != nil else { throw APIError.badRequest("the body must be a JSON object") }
        return value
    }

    /// An integer query parameter within `range`, or `fallback` when absent.
    /// - Throws: 400 when it is not an integer, 422 when it is outside `range`.
    public func integer(_ name: String, in range: ClosedRange<Int>, default fallback: Int) throws(APIError) -> Int {
        guard let text = query[name] else { return fallback }
        let bounds = "\(range.lowerBound)...\(range.upperBound)"
        guard let value = Int(text) else {
            throw APIError.badRequest("query parameter '\(name)' must be an integer in \(bounds)")
        }
        guard range.contains(value) else {
            throw APIError.invalidValue("query parameter '\(name)' must be an integer in \(bounds)")
        }
        return value
    }

    /// A number query parameter, or nil when absent.
    /// - Throws: 400 when it is not a finite number.
    public func number(_ name: String) throws(APIError) -> Double? {
        guard let text = query[name] else { return nil }
        guard let value = Double(text), value.isFinite else {
            throw APIError.badRequest("query parameter '\(name)' must be a number")
        }
        return value
    }
}
