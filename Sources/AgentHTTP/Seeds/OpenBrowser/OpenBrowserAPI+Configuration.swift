import AgentCore
import Foundation

extension OpenBrowserAPI {
    /// Server info and configuration (seed 004 "Health & Status", "Configuration").
    func registerConfiguration(on router: inout Router) {
        let book = self.settings
        let browsers = self.browsers
        let version = self.version
        // seed 004 "GET /api".
        Self.add(&router, "GET", "/api") { _ in
            let connections = browsers.validCount
            return .json(200, [
                "name": "agentd", "version": .string(version), "status": "running",
                "websocket_connected": .bool(connections > 0), "websocket_connections": .int(connections),
            ])
        }
        // seed 004 "GET /api/config/llm".
        Self.add(&router, "GET", "/api/config/llm") { request in
            .json(200, ["success": true, "config": try book.settings(for: request.principal.owner).masked])
        }
        // seed 004 "POST /api/config/llm": `{model, base_url, api_key}`, each optional.
        Self.add(&router, "POST", "/api/config/llm") { request in
            let body = try request.json()
            let model = try Self.string(body, "model")
            if let model, model.isEmpty { throw APIError.badRequest("'model' must not be empty") }
            let baseURL = try Self.string(body, "base_url")
            if let baseURL, !baseURL.isEmpty, !(baseURL.hasPrefix("http://") || baseURL.hasPrefix("https://")) {
                throw APIError.badRequest("'base_url' must start with http:// or https://")
            }
            var key = try Self.string(body, "api_key")
            if key == OpenBrowserSettings.mask { key = nil }  // the masked key sent back: keep the key
            let settings = try book.settings(for: request.principal.owner)
            try settings.update(model: model, baseURL: baseURL, apiKey: key)
            return .json(200, [
                "success": true, "message": "LLM configuration updated successfully", "config": settings.masked,
            ])
        }
        // seed 004 "GET /api/config".
        Self.add(&router, "GET", "/api/config") { request in
            let settings = try book.settings(for: request.principal.owner)
            let current = settings.current
            return .json(200, ["success": true, "config": [
                "llm": settings.masked, "default_cwd": current.defaultDirectory.map(JSONValue.string) ?? .null,
                "is_configured": .bool(current.apiKey != nil),
            ]])
        }
        // seed 004 "GET /api/config/cwd".
        Self.add(&router, "GET", "/api/config/cwd") { request in
            .json(200, ["success": true, "cwd": try book.settings(for: request.principal.owner).current.defaultDirectory.map(JSONValue.string) ?? .null])
        }
        // seed 004 "POST /api/config/cwd": `{cwd}`, an existing directory.
        Self.add(&router, "POST", "/api/config/cwd") { request in
            guard let path = try Self.string(try request.json(), "cwd") else { throw APIError.badRequest("'cwd' is required") }
            let directory = try OpenBrowserSettings.directory(path, relativeTo: FileManager.default.currentDirectoryPath)
            try book.settings(for: request.principal.owner).setDefaultDirectory(directory)
            return .json(200, ["success": true, "message": "Default working directory updated", "cwd": .string(directory)])
        }
    }

    /// Browser capability tokens (seed 004 "Browser UUID Registration").
    func registerBrowsers(on router: inout Router) {
        let browsers = self.browsers
        // seed 004 "POST /browsers/register": `{uuid, connection_id, ttl_hours}`.
        Self.add(&router, "POST", "/browsers/register") { request in
            let body = try request.json()
            guard let uuid = try Self.string(body, "uuid"), (1...128).contains(uuid.utf8.count),
                  uuid.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else {
                throw APIError.badRequest("'uuid' is required: 1 to 128 printable characters")
            }
            guard let environment = try Self.string(body, "connection_id"), BrowserRegistry.environments.contains(environment) else {
                throw APIError.badRequest("'connection_id' must name an environment: \(BrowserRegistry.environments.joined(separator: ", "))")
            }
            var hours = 24.0
            if let value = body["ttl_hours"], !value.isNull {
                guard let number = value.doubleValue, number > 0, number <= 24 * 365 else {
                    throw APIError.badRequest("'ttl_hours' must be a number of hours above 0 and at most 8760")
                }
                hours = number
            }
            let expiry = browsers.register(uuid, environment: environment, ttl: hours * 3600)
            return .json(200, [
                "success": true, "uuid": .string(uuid), "connection_id": .string(environment),
                "expires_at": .string(SeedHistory.iso(expiry)), "message": "Browser UUID registered",
            ])
        }
        // seed 004 "GET /browsers/{uuid}/valid".
        Self.add(&router, "GET", "/browsers/{uuid}/valid") { request in
            let uuid = request.parameter("uuid")
            let valid = browsers.environment(for: uuid) != nil
            return .json(200, [
                "success": true, "uuid": .string(uuid), "valid": .bool(valid),
                "message": valid ? "Browser UUID is valid" : "Browser UUID is not registered or has expired",
            ])
        }
    }

    /// A string field of `body`, nil when absent or null.
    static func string(_ body: JSONValue, _ key: String) throws(APIError) -> String? {
        guard let value = body[key], !value.isNull else { return nil }
        guard let text = value.stringValue else { throw .badRequest("'\(key)' must be a string") }
        return text
    }
}
