import AgentCore
import AgentHTTP
import AgentStore
import AgentTesting
import Foundation
import Testing

/// agentd's whole HTTP stack with accounts and seed 003's platform, on a live server bound to an
/// ephemeral port: a real SQLite store, the real sandbox, the fake Messages API as the model.
struct S3Server: Sendable {
    let seed: SeedServer
    let accounts: AccountService
    let platform: PlatformService
    var port: Int { seed.port }
    var directory: TemporaryDirectory { seed.directory }

    /// The secret tokens are signed with in these tests.
    static let secret = Array("s3-test-secret-key-of-more-than-32-bytes".utf8)

    static func start(mode: AuthenticationMiddleware.Mode = .none, uploadMaxSize: Int = 1 << 20,
                      executionTimeout: Double = 10, cambio: CambioConfiguration = CambioConfiguration(),
                      apiRateLimit: Int? = nil) async throws -> S3Server {
        let fake = try FakeMessagesServer()
        let directory = try TemporaryDirectory(prefix: "agentd-s3")
        let store = try SQLiteSessionStore(path: directory.file("agentd.db"))
        let service = SessionService(
            store: store, model: AnthropicClient(apiKey: SeedServer.daemonKey, baseURL: fake.baseURL, retryPolicy: RetryPolicy(maxRetries: 0)),
            environments: StandardEnvironmentProvider(),
            configuration: SessionServiceConfiguration(inactivityTimeout: nil, workingDirectoryRoot: directory.file("work")))
        try await service.start()
        let accounts = AccountService(store: store.accounts, configuration: AccountConfiguration(secret: secret, passwordIterations: 1_000))
        let storage = directory.file("storage")
        let platform = PlatformService(store: store.platform, sessions: service, sandbox: Sandbox(scratchRoot: storage + "/scratch"),
                                       configuration: PlatformConfiguration(storageRoot: storage, uploadMaxSize: uploadMaxSize,
                                                                            workerConcurrency: 2, executionTimeout: executionTimeout))
        try await platform.start()
        let handler = try AgentdStack(service: service, corsOrigins: [], cambio: cambio, settingsFile: directory.file(SeedServer.settingsFileName),
                                      access: AgentdAccess(accounts: accounts, platform: platform, mode: mode),
                                      apiRateLimit: apiRateLimit).handler
        let server = HTTPServer(configuration: HTTPServerConfiguration(host: "127.0.0.1", port: 0), handler: handler)
        let port = try server.start()
        let seed = SeedServer(fake: fake, directory: directory, store: store, service: service, server: server, port: port)
        return S3Server(seed: seed, accounts: accounts, platform: platform)
    }

    func stop() async {
        await platform.shutdown()
        await seed.stop()
    }

    /// A request with an optional credential: `key` goes in `X-API-Key`, `token` in `Authorization`.
    func request(_ method: String, _ path: String, json: JSONValue? = nil, key: String? = nil, token: String? = nil,
                 headers: [(String, String)] = []) async throws -> SeedResponse {
        var all = headers
        if let key { all.append(("X-API-Key", key)) }
        if let token { all.append(("Authorization", "Bearer \(token)")) }
        return try await seed.request(method, path, json: json, headers: all)
    }

    /// A registered user with a login token and an API key.
    struct Account: Sendable {
        let id: Int
        let token: String
        let key: String
        var principal: Principal { Principal(userID: id, isAdmin: false, credential: .apiKey) }
    }

    func account(_ name: String) async throws -> Account {
        let registered = try await request("POST", "/api/v1/auth/register",
                                           json: ["email": .string("\(name)@example.com"), "username": .string(name), "password": "a long password"])
        let login = try await request("POST", "/api/v1/auth/login", json: ["username": .string(name), "password": "a long password"])
        let token = try #require(login.json["access_token"]?.stringValue)
        let key = try await request("POST", "/api/v1/api-keys", json: ["name": "tests"], token: token)
        return Account(id: try #require(registered.json["id"]?.intValue), token: token, key: try #require(key.json["key"]?.stringValue))
    }

    /// Uploads `archive` (a file) as `filename` in a multipart body.
    func upload(agentID: Int, archive: [UInt8], filename: String, key: String) async throws -> SeedResponse {
        let boundary = "agentd-test-boundary-7d3f"
        var body = Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"\(filename)\"\r\n".utf8)
        body += Array("Content-Type: application/gzip\r\n\r\n".utf8) + archive + Array("\r\n--\(boundary)--\r\n".utf8)
        let client = try RawHTTPClient(port: port)
        let head = "POST /api/v1/uploads/agent/\(agentID) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nX-API-Key: \(key)\r\n"
            + "Content-Type: multipart/form-data; boundary=\(boundary)\r\nContent-Length: \(body.count)\r\n\r\n"
        let bytes = Array(head.utf8) + body
        try await client.run { try $0.sendNow(bytes) }
        return SeedResponse(raw: try await client.response())
    }
}

/// Agent archives made with the system's `tar`, as the Anymind CLI makes them.
enum AgentArchive {
    /// A `.tar.gz` of `files` (relative path → contents).
    static func make(_ files: [String: String], in directory: TemporaryDirectory) throws -> [UInt8] {
        let root = directory.file("src-\(UUID().uuidString)")
        for (path, text) in files {
            let full = root + "/" + path
            try FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try Data(text.utf8).write(to: URL(fileURLWithPath: full))
        }
        let output = directory.file("archive-\(UUID().uuidString).tar.gz")
        let tar = Process()
        tar.executableURL = URL(fileURLWithPath: "/bin/tar")
        tar.arguments = ["-czf", output, "-C", root, "."]
        try tar.run()
        tar.waitUntilExit()
        guard tar.terminationStatus == 0 else { throw CocoaError(.fileWriteUnknown) }
        return Array(try Data(contentsOf: URL(fileURLWithPath: output)))
    }

    /// A Python agent whose `handle` is `body` (indented by the caller's lines).
    static func python(_ handle: String, extra: [String: String] = [:]) -> [String: String] {
        var files = extra
        files["anymind.yaml"] = "name: test-agent\nentrypoint: agent.main:handle\nframework: python\n"
        files["agent/__init__.py"] = ""
        files["agent/main.py"] = handle
        return files
    }
}
