import AgentCore

/// Small builders for OpenAPI 3.1 JSON (JSON Schema 2020-12 inside), so the document reads as a
/// list of routes rather than nested dictionaries.
enum OpenAPI {
    // MARK: - Schemas

    /// `{"$ref": "#/components/schemas/<name>"}`.
    static func ref(_ name: String) -> JSONValue { ["$ref": .string("#/components/schemas/\(name)")] }

    static func string(_ description: String? = nil, enum values: [String]? = nil, format: String? = nil) -> JSONValue {
        var schema: JSONValue = ["type": "string"]
        if let values { schema["enum"] = .array(values.map(JSONValue.string)) }
        if let format { schema["format"] = .string(format) }
        return described(schema, description)
    }

    static func integer(_ description: String? = nil, minimum: Int? = nil, maximum: Int? = nil) -> JSONValue {
        var schema: JSONValue = ["type": "integer"]
        if let minimum { schema["minimum"] = .int(minimum) }
        if let maximum { schema["maximum"] = .int(maximum) }
        return described(schema, description)
    }

    static func number(_ description: String? = nil, minimum: Double? = nil, maximum: Double? = nil) -> JSONValue {
        var schema: JSONValue = ["type": "number"]
        if let minimum { schema["minimum"] = .double(minimum) }
        if let maximum { schema["maximum"] = .double(maximum) }
        return described(schema, description)
    }

    static func boolean(_ description: String? = nil) -> JSONValue { described(["type": "boolean"], description) }

    static func array(_ items: JSONValue, _ description: String? = nil) -> JSONValue {
        described(["type": "array", "items": items], description)
    }

    /// An object schema; `closed` forbids properties not listed (`additionalProperties: false`).
    static func object(_ properties: [String: JSONValue], required: [String] = [], closed: Bool = false,
                       _ description: String? = nil) -> JSONValue {
        var schema: JSONValue = ["type": "object", "properties": .object(properties)]
        if !required.isEmpty { schema["required"] = .array(required.sorted().map(JSONValue.string)) }
        if closed { schema["additionalProperties"] = false }
        return described(schema, description)
    }

    /// Any JSON object (free-form metadata, tool input).
    static func anyObject(_ description: String? = nil) -> JSONValue { described(["type": "object"], description) }

    /// Seconds since 1970, as a JSON number.
    static let timestamp = number("seconds since 1970")

    // MARK: - Parameters, bodies and responses

    static func pathParameter(_ name: String, _ description: String) -> JSONValue {
        ["name": .string(name), "in": "path", "required": true, "description": .string(description), "schema": string()]
    }

    static func queryParameter(_ name: String, _ schema: JSONValue, _ description: String) -> JSONValue {
        ["name": .string(name), "in": "query", "required": false, "description": .string(description), "schema": schema]
    }

    static func headerParameter(_ name: String, _ description: String) -> JSONValue {
        ["name": .string(name), "in": "header", "required": false, "description": .string(description), "schema": string()]
    }

    /// A JSON request body.
    static func jsonBody(_ schema: JSONValue, required: Bool = true) -> JSONValue {
        ["required": .bool(required), "content": ["application/json": ["schema": schema]]]
    }

    /// A response with a JSON body.
    static func jsonResponse(_ description: String, _ schema: JSONValue) -> JSONValue {
        ["description": .string(description), "content": ["application/json": ["schema": schema]]]
    }

    /// A response with a body of `mediaType` (text, an event stream, an image).
    static func response(_ description: String, mediaType: String, _ schema: JSONValue) -> JSONValue {
        ["description": .string(description), "content": [mediaType: ["schema": schema]]]
    }

    /// `{"$ref": "#/components/responses/<name>"}`.
    static func responseRef(_ name: String) -> JSONValue { ["$ref": .string("#/components/responses/\(name)")] }

    private static func described(_ schema: JSONValue, _ description: String?) -> JSONValue {
        var schema = schema
        if let description { schema["description"] = .string(description) }
        return schema
    }
}
