import AgentCore
import AgentHTTP
import AgentStore
import AgentTesting
import Foundation
import Testing

/// Seed 002's listener as the daemon builds it (a router with only S2's routes, in S2's envelope)
/// on a live server over a real session service (SQLite, real tools and desktops) whose model is
/// the fake Messages API. Requests go through ``SeedServer``'s helpers.
enum S2Server {
    /// Starts everything.
    /// - Parameter inactivityTimeout: the service's inactivity timeout (seed 002: 5 minutes; off by default here).
    static func start(inactivityTimeout: Double? = nil) async throws -> SeedServer {
        let fake = try FakeMessagesServer()
        let directory = try TemporaryDirectory(prefix: "agentd-s2")
        let store = try SQLiteSessionStore(path: directory.file("agentd.db"))
        let service = SessionService(
            store: store,
            model: AnthropicClient(apiKey: SeedServer.daemonKey, baseURL: fake.baseURL, retryPolicy: RetryPolicy(maxRetries: 0)),
            environments: StandardEnvironmentProvider(),
            configuration: SessionServiceConfiguration(
                inactivityTimeout: inactivityTimeout, workingDirectoryRoot: directory.file("work")))
        try await service.start()
        var router = Router()
        let baseURL = fake.baseURL
        BrowserTasksAPI(service: service) {
            AnthropicClient(apiKey: $0, baseURL: baseURL, retryPolicy: RetryPolicy(maxRetries: 0))
        }.register(on: &router)
        let server = HTTPServer(configuration: HTTPServerConfiguration(host: "127.0.0.1", port: 0),
                                handler: BrowserTasksAPI.enveloped(router))
        let port = try server.start()
        return SeedServer(fake: fake, directory: directory, store: store, service: service, server: server, port: port)
    }
}

extension SeedServer {
    /// `PUT` with a JSON body.
    func put(_ path: String, _ json: JSONValue) async throws -> SeedResponse { try await request("PUT", path, json: json) }

    /// Creates a task and returns its `(session_id, task_id)`.
    func task(_ body: JSONValue, sourceLocation: SourceLocation = #_sourceLocation) async throws -> (id: String, taskID: String) {
        let created = try await post("/api/tasks", body)
        #expect(created.status == 200, "\(created.text)", sourceLocation: sourceLocation)
        let id = try #require(created.json["data"]?["session_id"]?.stringValue, sourceLocation: sourceLocation)
        let taskID = try #require(created.json["data"]?["task_id"]?.stringValue, sourceLocation: sourceLocation)
        return (id, taskID)
    }

    /// The `data` of `GET /api/status/{id}/{task_id}`.
    func status(_ id: String, _ taskID: String) async throws -> JSONValue {
        try await get("/api/status/\(id)/\(taskID)").json["data"] ?? .null
    }
}

/// What seed 002 promises about its answers.
enum S2 {
    /// The envelope of a success: exactly `{success: true, message, data}`.
    static func expectOK(_ response: SeedResponse, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(response.status == 200, "\(response.text)", sourceLocation: sourceLocation)
        #expect(Seed.keys(response.json) == ["data", "message", "success"], sourceLocation: sourceLocation)
        #expect(response.json["success"] == true, sourceLocation: sourceLocation)
        #expect(response.json["message"]?.stringValue?.isEmpty == false, sourceLocation: sourceLocation)
    }

    /// The envelope of an error: `{success: false, message, data: {error}}` with `status`.
    static func expectError(_ response: SeedResponse, _ status: Int, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(response.status == status, "\(response.text)", sourceLocation: sourceLocation)
        #expect(Seed.keys(response.json) == ["data", "message", "success"], sourceLocation: sourceLocation)
        #expect(response.json["success"] == false, sourceLocation: sourceLocation)
        #expect(response.json["message"]?.stringValue?.isEmpty == false, sourceLocation: sourceLocation)
        #expect(Seed.keys(response.json["data"]) == ["error"], sourceLocation: sourceLocation)
        #expect(response.json["data"]?["error"]?.stringValue?.isEmpty == false, sourceLocation: sourceLocation)
    }

    /// The keys of a session in "List All Sessions" (and `priority`, agentd's addition).
    static let summaryKeys = ["completed_at", "created_at", "id", "name", "priority", "status", "tags", "task", "user_id"]

    /// Whether `text` is base64 of a PNG.
    static func isPNG(_ value: JSONValue?) -> Bool {
        guard let text = value?.stringValue, let data = Data(base64Encoded: text) else { return false }
        return Array(data.prefix(8)) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
    }
}
