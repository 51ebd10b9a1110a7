public import AgentCore

/// Seed S3, the Anymind agent platform (`/work/shared/seeds/003_195284c31095c42b.txt`), under
/// `/api/v1` beside the native API: users, API keys, agents, uploaded versions and their builds,
/// executions and logs, as thin mappings onto ``AccountService`` and ``PlatformService``.
///
/// | route | maps to |
/// |---|---|
/// | `POST /auth/register` (201), `POST /auth/login`, `GET /auth/me` | `AccountService.register`, `.login`, `.user(for:)` |
/// | `POST /api-keys` (201), `GET /api-keys`, `DELETE /api-keys/{id}` (204) | `.createAPIKey`, `.apiKeys`, `.revokeAPIKey` |
/// | `POST /agents` (201), `GET /agents?skip&limit`, `GET/PATCH/DELETE /agents/{id}` | `PlatformService.createAgent`, `.agents`, `.agent`, `.updateAgent`, `.deleteAgent` |
/// | `GET /agents/{id}/versions`, `GET /agents/{id}/versions/{vid}` (beyond the document) | `.versions`, `.version` |
/// | `POST /uploads/agent/{agent_id}` (multipart `file`, 201), `GET /uploads/{filepath}` | `.upload`, `.artifactFile` |
/// | `POST /runtime/{agent_id}/execute` (201), `GET /runtime/executions`, `GET /runtime/executions/{id}`, `POST …/cancel` | `.execute`, `.executions`, `.execution`, `.cancel` |
/// | `GET /logs/{agent_id}`, `GET /logs/executions/{id}/logs` | `.logs` |
///
/// Every route but register and login needs a credential (``AuthenticationMiddleware`` checks it
/// and sets the request's principal); managing API keys needs a login token, as documented.
/// Errors are `{"detail": …}` (``AnymindError``); another user's object is 404, like a missing one.
public struct AnymindAPI: Sendable {
    public let accounts: AccountService
    public let platform: PlatformService

    public init(accounts: AccountService, platform: PlatformService) {
        self.accounts = accounts
        self.platform = platform
    }

    public func register(on router: inout Router) {
        registerAuth(on: &router)
        registerAgents(on: &router)
        registerUploads(on: &router)
        registerRuntime(on: &router)
    }

    /// Adds a route with seed 003's error envelope.
    func add(_ router: inout Router, _ method: String, _ pattern: String, bodyLimit: Int? = nil, spoolDirectory: String? = nil,
             _ handler: @escaping @Sendable (APIRequest) async throws -> HTTPResponse) {
        router.add(method, pattern, bodyLimit: bodyLimit, spoolDirectory: spoolDirectory,
                   errors: { error, _ in AnymindError.response(for: error) }, handler)
    }

    /// The caller; 401 when the request reached the route without one.
    static func principal(_ request: APIRequest) throws -> Principal {
        guard let principal = request.http.principal, principal.credential != .local else {
            throw AccountError.unauthorized("Not authenticated")
        }
        return principal
    }

    /// An integer path parameter; a non-integer is 422 as FastAPI answers it.
    static func id(_ request: APIRequest, _ name: String) throws -> Int {
        guard let value = Int(request.parameter(name)) else {
            throw AnymindValidationError(location: ["path", name], message: "Input should be a valid integer, unable to parse string as an integer",
                                         type: "int_parsing")
        }
        return value
    }

    /// `skip` (default 0) and `limit` (default 100) of the list routes.
    static func page(_ request: APIRequest) throws -> (skip: Int, limit: Int) {
        (try queryInt(request, "skip") ?? 0, try queryInt(request, "limit") ?? 100)
    }

    static func queryInt(_ request: APIRequest, _ name: String) throws -> Int? {
        guard let text = request.query[name] else { return nil }
        guard let value = Int(text) else {
            throw AnymindValidationError(location: ["query", name], message: "Input should be a valid integer, unable to parse string as an integer",
                                         type: "int_parsing")
        }
        return value
    }

    /// A string field of the body; `nil` when absent or null and not required.
    static func string(_ body: JSONValue, _ field: String, required: Bool) throws -> String? {
        guard let value = body[field], !value.isNull else {
            if required { throw AnymindValidationError.missing(field) }
            return nil
        }
        guard let text = value.stringValue else { throw AnymindValidationError.wrongType(field, "string") }
        return text
    }

    static func body(_ request: APIRequest) throws -> JSONValue {
        do {
            return try request.json()
        } catch {
            throw AnymindValidationError(location: ["body"], message: error.message, type: "json_invalid")
        }
    }
}
