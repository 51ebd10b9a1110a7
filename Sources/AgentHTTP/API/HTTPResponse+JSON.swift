public import AgentCore

extension HTTPResponse {
    /// A JSON response.
    public static func json(_ status: Int, _ body: JSONValue) -> HTTPResponse {
        HTTPResponse(status: status, headers: ["Content-Type": "application/json"], body: .bytes(body.serializedBytes()))
    }

    /// A `204 No Content` response.
    public static let noContent = HTTPResponse(status: 204)
}
