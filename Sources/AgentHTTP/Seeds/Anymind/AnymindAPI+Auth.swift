import AgentCore

/// seed 003 "Authentication Endpoints" and "API Key Management".
extension AnymindAPI {
    func registerAuth(on router: inout Router) {
        let accounts = self.accounts
        add(&router, "POST", "/api/v1/auth/register") { request in
            let body = try Self.body(request)
            let user = try await accounts.register(RegistrationRequest(
                email: try Self.string(body, "email", required: true)!, username: try Self.string(body, "username", required: true)!,
                password: try Self.string(body, "password", required: true)!, fullName: try Self.string(body, "full_name", required: false)))
            return .json(201, AnymindViews.user(user))
        }
        add(&router, "POST", "/api/v1/auth/login") { request in
            let body = try Self.loginBody(request)
            let token = try await accounts.login(username: try Self.string(body, "username", required: true)!,
                                                 password: try Self.string(body, "password", required: true)!,
                                                 client: ClientAddress(request.http.remoteAddress).host)
            return .json(200, ["access_token": .string(token), "token_type": "bearer"])
        }
        add(&router, "GET", "/api/v1/auth/me") { request in
            .json(200, AnymindViews.user(try await accounts.user(for: try Self.principal(request))))
        }
        add(&router, "POST", "/api/v1/api-keys") { request in
            let caller = try Self.loginPrincipal(request)
            let body = try Self.body(request)
            let key = try await accounts.createAPIKey(for: caller, name: try Self.string(body, "name", required: true)!)
            return .json(201, AnymindViews.newAPIKey(key))
        }
        add(&router, "GET", "/api/v1/api-keys") { request in
            .json(200, .array(try await accounts.apiKeys(for: try Self.loginPrincipal(request)).map(AnymindViews.apiKey)))
        }
        add(&router, "DELETE", "/api/v1/api-keys/{api_key_id}") { request in
            try await accounts.revokeAPIKey(id: try Self.id(request, "api_key_id"), for: try Self.loginPrincipal(request))
            return HTTPResponse(status: 204)
        }
    }

    /// seed 003: "Create API key (requires JWT)" — managing keys needs a login token, not a key.
    static func loginPrincipal(_ request: APIRequest) throws -> Principal {
        let caller = try principal(request)
        guard caller.credential == .token else { throw AccountError.forbidden("Managing API keys needs a login token (JWT), not an API key") }
        return caller
    }

    /// The login body: JSON as documented, or an OAuth2 password form (`username=…&password=…`),
    /// which FastAPI clients often send.
    static func loginBody(_ request: APIRequest) throws -> JSONValue {
        let type = request.http.headers["Content-Type"]?.lowercased() ?? ""
        guard type.hasPrefix("application/x-www-form-urlencoded") else { return try body(request) }
        var fields: [String: JSONValue] = [:]
        for pair in String(decoding: request.http.body, as: UTF8.self).split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard parts.count == 2, let name = PercentDecoding.decode(parts[0], plusIsSpace: true), let value = PercentDecoding.decode(parts[1], plusIsSpace: true) else { continue }
            fields[name] = .string(value)
        }
        return .object(fields)
    }
}
