import AgentCore

/// One operation (a method on a path) of the OpenAPI document, built with chained calls:
///
/// ```swift
/// OpenAPIOperation("GET", "/api/v1/sessions/{id}", id: "getSession", "One session", tag: "sessions")
///     .returns(200, OpenAPI.jsonResponse("The session", OpenAPI.ref("Session")))
///     .errors(404, 503)
/// ```
///
/// Path parameters come from the pattern's `{name}` segments, so the document and the router
/// cannot disagree on them.
struct OpenAPIOperation {
    let method: String
    let path: String
    let operationID: String
    let summary: String
    let tag: String
    private var parameters: [JSONValue] = []
    private var requestBody: JSONValue?
    private var responses: [String: JSONValue] = [:]
    private var description: String?

    init(_ method: String, _ path: String, id: String, _ summary: String, tag: String) {
        self.method = method
        self.path = path
        self.operationID = id
        self.summary = summary
        self.tag = tag
        parameters = path.split(separator: "/").filter { $0.hasPrefix("{") && $0.hasSuffix("}") }.map { part in
            let name = String(part.dropFirst().dropLast())
            return OpenAPI.pathParameter(name, Self.pathParameterDescriptions[name] ?? name)
        }
    }

    /// Adds a longer description.
    func described(_ text: String) -> OpenAPIOperation {
        var copy = self
        copy.description = text
        return copy
    }

    /// Adds query or header parameters.
    func parameters(_ more: JSONValue...) -> OpenAPIOperation {
        var copy = self
        copy.parameters += more
        return copy
    }

    /// Sets the request body; a JSON body may also be answered with 400, 413, 415 and 422.
    func body(_ body: JSONValue) -> OpenAPIOperation {
        var copy = self
        copy.requestBody = body
        return copy.errors(400, 413, 415, 422)
    }

    /// Adds a response.
    func returns(_ status: Int, _ response: JSONValue) -> OpenAPIOperation {
        var copy = self
        copy.responses[String(status)] = response
        return copy
    }

    /// Adds error responses, each the error envelope (`#/components/responses/Error<status>`).
    func errors(_ statuses: Int...) -> OpenAPIOperation {
        var copy = self
        for status in statuses { copy.responses[String(status)] = OpenAPI.responseRef("Error\(status)") }
        return copy
    }

    /// The operation object.
    var json: JSONValue {
        var o: [String: JSONValue] = [
            "operationId": .string(operationID), "summary": .string(summary), "tags": [.string(tag)],
            "responses": .object(responses),
        ]
        if !parameters.isEmpty { o["parameters"] = .array(parameters) }
        if let requestBody { o["requestBody"] = requestBody }
        if let description { o["description"] = .string(description) }
        return .object(o)
    }

    private static let pathParameterDescriptions = [
        "id": "the session's id",
        "approval_id": "the pending tool call's `tool_use_id`",
        "hash": "the image's SHA-256, lowercase hex",
    ]
}
