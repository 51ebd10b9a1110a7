public import AgentCore

/// The native API's OpenAPI 3.1 document, written in code next to the routes it describes and
/// served at `GET /openapi.json`. A test holds it equal to the router's route table both ways.
///
/// ```swift
/// var router = Router()
/// NativeAPI(service: service).register(on: &router)
/// APIDocumentation.register(on: &router)
/// ```
public enum APIDocumentation {
    /// The OpenAPI version the document follows.
    public static let openAPIVersion = "3.1.0"

    /// Adds `GET /openapi.json`.
    public static func register(on router: inout Router, version: String = AgentCoreVersion.string) {
        let body = document(version: version).serializedBytes()
        router.add("GET", "/openapi.json") { _ in
            HTTPResponse(status: 200, headers: ["Content-Type": "application/json"], body: .bytes(body))
        }
    }

    /// The whole document.
    public static func document(version: String = AgentCoreVersion.string) -> JSONValue {
        var paths: [String: JSONValue] = [:]
        for operation in sessionOperations + runOperations {
            var item = paths[operation.path] ?? [:]
            item[operation.method.lowercased()] = operation.json
            paths[operation.path] = item
        }
        return [
            "openapi": .string(openAPIVersion),
            "info": [
                "title": "agentd native API", "version": .string(version),
                "description": .string(description),
            ],
            "tags": [
                ["name": "service"], ["name": "sessions"], ["name": "runs"], ["name": "approvals"], ["name": "events"],
            ],
            "paths": .object(paths),
            "components": ["schemas": .object(schemas), "responses": .object(errorResponses)],
        ]
    }

    /// The statuses errors are answered with, and what each means here.
    static let errorStatuses: [Int: String] = [
        400: "The request's shape is wrong (not JSON, a field of the wrong type or missing, a parameter that "
            + "does not parse, bad percent-encoding); the message names the field",
        404: "No such session, image or route",
        405: "The path exists but not with this method; `Allow` lists the methods it has",
        409: "The session's state does not allow this now, or the session id is taken",
        413: "The body is larger than the route accepts",
        415: "The body is not JSON",
        422: "The request is well formed but a value is not acceptable (an unknown tool, kind, priority or "
            + "status, a number out of range, an empty message); the message names the field",
        429: "Too many requests, or the session's message queue is full; see `Retry-After`",
        503: "The database or the session's environment is unavailable",
    ]

    /// `components.responses`: one error envelope response per status.
    private static var errorResponses: [String: JSONValue] {
        var responses: [String: JSONValue] = [:]
        for (status, meaning) in errorStatuses {
            responses["Error\(status)"] = OpenAPI.jsonResponse(meaning, OpenAPI.ref("Error"))
        }
        return responses
    }

    private static let description = """
        Sessions of a computer-use agent: create them, send messages, follow their events, approve tool calls. \
        Every error is the `Error` envelope and every response carries `X-Request-ID`. A method a path does not \
        have is answered with 405 and `Allow`.
        """
}
