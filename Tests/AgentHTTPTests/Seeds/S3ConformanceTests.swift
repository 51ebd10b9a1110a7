import AgentCore
import AgentHTTP
import AgentTesting
import Foundation
import Testing

/// Seed S3 (`003_195284c31095c42b.txt`, the Anymind backend) against a live server: every
/// endpoint, the documented models and statuses, the `{"detail": …}` errors, tenancy between two
/// users, and agent code that really runs in the sandbox.
@Suite(.timeLimit(.minutes(3)))
struct S3ConformanceTests {
    static func expectDetail(_ response: SeedResponse, _ status: Int, _ detail: String? = nil,
                             sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(response.status == status, "\(response.text)", sourceLocation: sourceLocation)
        #expect(Seed.keys(response.json) == ["detail"], sourceLocation: sourceLocation)
        if let detail { #expect(response.json["detail"]?.stringValue == detail, sourceLocation: sourceLocation) }
    }

    static var timestamp: Regex<(Substring, Substring?)> { #/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{6})?$/# }

    @Test func registerLoginMeAndTheirErrors() async throws {
        let server = try await S3Server.start()
        defer { Task { await server.stop() } }
        let user: JSONValue = ["email": "ada@example.com", "username": "ada", "password": "a long password", "full_name": "Ada L"]
        let registered = try await server.request("POST", "/api/v1/auth/register", json: user)
        #expect(registered.status == 201)
        #expect(Seed.keys(registered.json) == ["email", "full_name", "id", "is_active", "username"])
        #expect(registered.json["username"] == "ada" && registered.json["full_name"] == "Ada L" && registered.json["is_active"] == true)
        Self.expectDetail(try await server.request("POST", "/api/v1/auth/register", json: user), 400, "Username already registered")
        let missing = try await server.request("POST", "/api/v1/auth/register", json: ["username": "bob"])
        #expect(missing.status == 422 && missing.json["detail"]?[0]?["type"] == "missing")

        let login = try await server.request("POST", "/api/v1/auth/login", json: ["username": "ada", "password": "a long password"])
        #expect(login.status == 200 && Seed.keys(login.json) == ["access_token", "token_type"] && login.json["token_type"] == "bearer")
        let token = try #require(login.json["access_token"]?.stringValue)
        let bad = try await server.request("POST", "/api/v1/auth/login", json: ["username": "ada", "password": "wrong password"])
        Self.expectDetail(bad, 401, "Incorrect username or password")
        #expect(bad.header("WWW-Authenticate") == "Bearer")

        let me = try await server.request("GET", "/api/v1/auth/me", token: token, headers: [("Content-Type", "application/json")])
        #expect(me.status == 200 && me.json == registered.json)
        Self.expectDetail(try await server.request("GET", "/api/v1/auth/me"), 401)
        Self.expectDetail(try await server.request("GET", "/api/v1/auth/me", token: token + "x"), 401, "token signature is invalid")
    }

    @Test func apiKeysAreShownOnceManagedWithATokenAndRevokedAtOnce() async throws {
        let server = try await S3Server.start()
        defer { Task { await server.stop() } }
        let ada = try await server.account("ada")
        let created = try await server.request("POST", "/api/v1/api-keys", json: ["name": "My CLI Key"], token: ada.token)
        #expect(created.status == 201 && Seed.keys(created.json) == ["created_at", "id", "key", "key_prefix", "name"])
        let key = try #require(created.json["key"]?.stringValue)
        #expect(key.hasPrefix("anymind_") && created.json["key_prefix"]?.stringValue == String(key.prefix(12)))
        #expect(created.json["created_at"]?.stringValue?.wholeMatch(of: Self.timestamp) != nil)
        // Keys cannot manage keys (the document: "requires JWT").
        Self.expectDetail(try await server.request("GET", "/api/v1/api-keys", key: key), 403)
        let listed = try await server.request("GET", "/api/v1/api-keys", token: ada.token)
        #expect(listed.status == 200 && listed.json.arrayValue?.count == 2)
        #expect(Seed.keys(listed.json[0]) == ["created_at", "id", "is_active", "key_prefix", "last_used_at", "name"])
        #expect(!listed.text.contains(key))
        // Both headers work; X-API-Key first.
        #expect(try await server.request("GET", "/api/v1/agents", key: key).status == 200)
        #expect(try await server.request("GET", "/api/v1/agents", token: key).status == 200)
        let id = try #require(created.json["id"]?.intValue)
        #expect(try await server.request("DELETE", "/api/v1/api-keys/\(id)", token: ada.token, headers: [("Content-Type", "application/json")]).status == 204)
        Self.expectDetail(try await server.request("GET", "/api/v1/agents", key: key), 401, "Invalid API key")
        Self.expectDetail(try await server.request("DELETE", "/api/v1/api-keys/999999", token: ada.token), 404)
    }

    @Test func agentsCRUDWithPagingAndTenancy() async throws {
        let server = try await S3Server.start()
        defer { Task { await server.stop() } }
        let ada = try await server.account("ada")
        let bob = try await server.account("bob")
        let created = try await server.request("POST", "/api/v1/agents", json: ["name": "my-agent", "description": "My AI agent"], key: ada.key)
        #expect(created.status == 201)
        #expect(Seed.keys(created.json) == ["created_at", "current_version_id", "description", "id", "name", "status", "updated_at", "user_id"])
        #expect(created.json["status"] == "draft" && created.json["current_version_id"] == .null && created.json["user_id"] == .int(ada.id))
        let id = try #require(created.json["id"]?.intValue)
        for n in 2...4 { _ = try await server.request("POST", "/api/v1/agents", json: ["name": .string("a\(n)")], key: ada.key) }
        let page = try await server.request("GET", "/api/v1/agents?skip=1&limit=2", key: ada.key)
        #expect(page.json.arrayValue?.compactMap { $0["name"]?.stringValue } == ["a2", "a3"])
        #expect(try await server.request("GET", "/api/v1/agents/\(id)", key: ada.key).json == created.json)

        // Another user's agent is 404 everywhere and absent from their list.
        Self.expectDetail(try await server.request("GET", "/api/v1/agents/\(id)", key: bob.key), 404, "Agent not found")
        Self.expectDetail(try await server.request("PATCH", "/api/v1/agents/\(id)", json: ["name": "x"], key: bob.key), 404)
        Self.expectDetail(try await server.request("DELETE", "/api/v1/agents/\(id)", key: bob.key), 404)
        Self.expectDetail(try await server.request("GET", "/api/v1/logs/\(id)", key: bob.key), 404)
        #expect(try await server.request("GET", "/api/v1/agents", key: bob.key).json == [])

        // Only archiving is the client's to set; the other statuses follow the builds.
        Self.expectDetail(try await server.request("PATCH", "/api/v1/agents/\(id)", json: ["status": "ready"], key: ada.key), 400)
        let patched = try await server.request("PATCH", "/api/v1/agents/\(id)", json: ["description": "Updated", "status": "archived"], key: ada.key)
        #expect(patched.status == 200 && patched.json["status"] == "archived" && patched.json["description"] == "Updated")
        let restored = try await server.request("PATCH", "/api/v1/agents/\(id)", json: ["status": "draft"], key: ada.key)
        #expect(restored.json["status"] == "draft")
        let wrongID = try await server.request("GET", "/api/v1/agents/abc", key: ada.key)
        #expect(wrongID.status == 422)
        #expect(try await server.request("DELETE", "/api/v1/agents/\(id)", key: ada.key).status == 204)
        Self.expectDetail(try await server.request("GET", "/api/v1/agents/\(id)", key: ada.key), 404)
        Self.expectDetail(try await server.request("GET", "/api/v1/agents"), 401)
    }

    @Test func uploadBuildExecuteAndLogs() async throws {
        let server = try await S3Server.start()
        defer { Task { await server.stop() } }
        let ada = try await server.account("ada")
        let agent = try await server.request("POST", "/api/v1/agents", json: ["name": "echo"], key: ada.key)
        let id = try #require(agent.json["id"]?.intValue)
        let archive = try AgentArchive.make(AgentArchive.python("""
            def handle(payload):
                print("got", payload["input"])
                return {"result": "Response to " + payload["input"]}
            """), in: server.directory)

        // The name and the bytes must both say .tar.gz; a refused upload makes no version.
        Self.expectDetail(try await server.upload(agentID: id, archive: archive, filename: "agent.zip", key: ada.key),
                          400, "File must be a .tar.gz archive")
        Self.expectDetail(try await server.upload(agentID: id, archive: Array("not gzip".utf8), filename: "agent.tar.gz", key: ada.key),
                          400, "File must be a .tar.gz archive")
        #expect(try await server.request("GET", "/api/v1/agents/\(id)/versions", key: ada.key).json == [])

        let uploaded = try await server.upload(agentID: id, archive: archive, filename: "agent.tar.gz", key: ada.key)
        #expect(uploaded.status == 201, "\(uploaded.text)")
        #expect(Seed.keys(uploaded.json) == ["agent_id", "build_log", "config", "created_at", "entrypoint", "id", "status",
                                              "tarball_path", "updated_at", "version"])
        #expect(uploaded.json["version"] == "v1" && uploaded.json["status"] == "queued")
        #expect(uploaded.json["tarball_path"] == .string("agents/\(id)/artifacts/agent_\(id)_v1.tar.gz"))
        let versionID = try #require(uploaded.json["id"]?.intValue)
        let polled = try await server.request("GET", "/api/v1/agents/\(id)", key: ada.key).json["status"]?.stringValue
        #expect(polled == "building" || polled == "ready")

        let built = try await server.platform.waitUntilBuilt(for: ada.principal, agentID: id, versionID: versionID, timeout: 60)
        #expect(built.status == .ready, "\(built.buildLog ?? "")")
        #expect(built.entrypoint == "agent.main:handle")
        let ready = try await server.request("GET", "/api/v1/agents/\(id)", key: ada.key)
        #expect(ready.json["status"] == "ready" && ready.json["current_version_id"] == .int(versionID))

        // The artifact downloads back byte for byte; nobody else's, and no path outside, does.
        let download = try await server.request("GET", "/api/v1/uploads/agents/\(id)/artifacts/agent_\(id)_v1.tar.gz", key: ada.key)
        #expect(download.status == 200 && download.body == archive)
        let bob = try await server.account("bob")
        #expect(try await server.request("GET", "/api/v1/uploads/agents/\(id)/artifacts/agent_\(id)_v1.tar.gz", key: bob.key).status == 404)
        #expect(try await server.request("GET", "/api/v1/uploads/agents/\(id)/artifacts/..%2F..%2F..%2Fagentd.db", key: ada.key).status == 404)

        let executed = try await server.request("POST", "/api/v1/runtime/\(id)/execute", json: ["payload": ["input": "Hello, world!"]], key: ada.key)
        #expect(executed.status == 201, "\(executed.text)")
        #expect(Set(Seed.keys(executed.json)).isSuperset(of: ["agent_version_id", "created_at", "error_message", "id", "input_data", "output_data",
                                                         "status", "updated_at", "user_id"]))
        #expect(executed.json["status"] == "completed")
        #expect(executed.json["output_data"] == ["result": "Response to Hello, world!"])
        #expect(executed.json["input_data"] == ["input": "Hello, world!"] && executed.json["agent_version_id"] == .int(versionID))
        let executionID = try #require(executed.json["id"]?.intValue)
        #expect(try await server.request("GET", "/api/v1/runtime/executions/\(executionID)", key: ada.key).json == executed.json)
        #expect(try await server.request("GET", "/api/v1/runtime/executions?agent_version_id=\(versionID)", key: ada.key).json == [executed.json])
        #expect(try await server.request("GET", "/api/v1/runtime/executions?agent_version_id=999", key: ada.key).json == [])
        Self.expectDetail(try await server.request("GET", "/api/v1/runtime/executions/\(executionID)", key: bob.key), 404)
        #expect(try await server.request("GET", "/api/v1/runtime/executions", key: bob.key).json == [])

        let logs = try await server.request("GET", "/api/v1/logs/executions/\(executionID)/logs", key: ada.key).json.arrayValue ?? []
        #expect(logs.contains { $0["message"]?.stringValue?.contains("got Hello, world!") == true && $0["source"] == "runtime" })
        #expect(logs.contains { $0["message"] == .string("Execution \(executionID) completed successfully") && $0["level"] == "INFO" })
        let agentLogs = try await server.request("GET", "/api/v1/logs/\(id)", key: ada.key).json.arrayValue ?? []
        #expect(agentLogs.first?["message"] == "Build completed successfully" && agentLogs.first?["source"] == "build")
        #expect(Seed.keys(agentLogs.first) == ["level", "message", "metadata", "source", "timestamp"])
    }

    @Test func failuresTimeoutsAndCancellation() async throws {
        let server = try await S3Server.start(executionTimeout: 2)
        defer { Task { await server.stop() } }
        let ada = try await server.account("ada")
        func deploy(_ code: String, name: String) async throws -> Int {
            let agent = try await server.request("POST", "/api/v1/agents", json: ["name": .string(name)], key: ada.key)
            let id = try #require(agent.json["id"]?.intValue)
            let uploaded = try await server.upload(agentID: id, archive: try AgentArchive.make(AgentArchive.python(code), in: server.directory),
                                                   filename: "a.tar.gz", key: ada.key)
            let version = try await server.platform.waitUntilBuilt(for: ada.principal, agentID: id,
                                                                   versionID: try #require(uploaded.json["id"]?.intValue), timeout: 60)
            #expect(version.status == .ready, "\(version.buildLog ?? "")")
            return id
        }
        let raising = try await deploy("def handle(payload):\n    raise ValueError('bad input here')\n", name: "raiser")
        let failed = try await server.request("POST", "/api/v1/runtime/\(raising)/execute", json: ["payload": [:]], key: ada.key)
        #expect(failed.status == 201 && failed.json["status"] == "failed")
        #expect(failed.json["error_message"]?.stringValue?.contains("bad input here") == true)
        let failedLogs = try await server.request("GET", "/api/v1/logs/executions/\(try #require(failed.json["id"]?.intValue))/logs", key: ada.key)
        #expect(failedLogs.json.arrayValue?.contains { $0["level"] == "ERROR" && $0["message"]?.stringValue?.contains("Traceback") == true } == true)

        let scalar = try await deploy("def handle(payload):\n    return 42\n", name: "scalar")
        #expect(try await server.request("POST", "/api/v1/runtime/\(scalar)/execute", json: ["payload": [:]], key: ada.key).json["output_data"]
                == ["result": 42])

        let looping = try await deploy("def handle(payload):\n    while True:\n        pass\n", name: "looper")
        let timedOut = try await server.request("POST", "/api/v1/runtime/\(looping)/execute", json: ["payload": [:]], key: ada.key)
        #expect(timedOut.json["status"] == "failed" && timedOut.json["error_message"]?.stringValue?.contains("timed out") == true)

        // Cancel: the execution is listed running while in flight, ends within 2 s, and stays cancelled.
        let sleeper = try await deploy("import time\ndef handle(payload):\n    time.sleep(60)\n", name: "sleeper")
        let call = Task { try await server.request("POST", "/api/v1/runtime/\(sleeper)/execute", json: ["payload": [:]], key: ada.key) }
        var running: JSONValue?
        while running == nil {
            let listed = try await server.request("GET", "/api/v1/runtime/executions", key: ada.key).json.arrayValue ?? []
            running = listed.first { $0["status"] == "running" }
            await Task.yield()
        }
        let runningID = try #require(running?["id"]?.intValue)
        let clock = ContinuousClock()
        let start = clock.now
        let cancelled = try await server.request("POST", "/api/v1/runtime/executions/\(runningID)/cancel", key: ada.key)
        #expect(cancelled.status == 200 && cancelled.json["status"] == "cancelled")
        let answered = try await call.value
        #expect(clock.now - start < .seconds(30), "a hang check; the 2 s cancel figure belongs to make bench")
        #expect(answered.status == 201 && answered.json["status"] == "cancelled")
        #expect(try await server.request("GET", "/api/v1/runtime/executions/\(runningID)", key: ada.key).json["status"] == "cancelled")
    }

    @Test func aHostileArchiveFailsItsBuildAndWritesNothingOutside() async throws {
        let server = try await S3Server.start()
        defer { Task { await server.stop() } }
        let ada = try await server.account("ada")
        let agent = try await server.request("POST", "/api/v1/agents", json: ["name": "evil"], key: ada.key)
        let id = try #require(agent.json["id"]?.intValue)
        let path = server.directory.file("evil.tar.gz")
        let script = """
            import tarfile, io
            with tarfile.open(\(String(reflecting: path)), 'w:gz') as t:
                data = b'owned'
                info = tarfile.TarInfo('../../../escaped.txt'); info.size = len(data)
                t.addfile(info, io.BytesIO(data))
            """
        let python = Process()
        python.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        python.arguments = ["python3", "-c", script]
        try python.run()
        python.waitUntilExit()
        let archive = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
        let uploaded = try await server.upload(agentID: id, archive: archive, filename: "evil.tar.gz", key: ada.key)
        let version = try await server.platform.waitUntilBuilt(for: ada.principal, agentID: id,
                                                               versionID: try #require(uploaded.json["id"]?.intValue), timeout: 60)
        #expect(version.status == .failed)
        #expect(version.buildLog?.contains("refused") == true)
        #expect(try await server.request("GET", "/api/v1/agents/\(id)", key: ada.key).json["status"] == "failed")
        let storage = server.directory.file("storage")
        for candidate in [storage + "/escaped.txt", storage + "/agents/escaped.txt", server.directory.file("escaped.txt"),
                          storage + "/agents/\(id)/escaped.txt"] {
            #expect(!FileManager.default.fileExists(atPath: candidate), "\(candidate) was written")
        }
        Self.expectDetail(try await server.request("POST", "/api/v1/runtime/\(id)/execute", json: ["payload": [:]], key: ada.key),
                          400, "Agent has no ready version")
    }

    @Test func requiredAuthGuardsTheNativeAPIAndStreamsTakeSingleUseTickets() async throws {
        let server = try await S3Server.start(mode: .required)
        defer { Task { await server.stop() } }
        #expect(try await server.request("GET", "/health").status == 200)
        #expect(try await server.request("GET", "/api/v1/health").status == 200)
        let refused = try await server.request("GET", "/api/v1/sessions")
        #expect(refused.status == 401 && refused.header("WWW-Authenticate") == "Bearer")
        #expect(refused.json["detail"]?.stringValue?.isEmpty == false)
        let ada = try await server.account("ada")
        #expect(try await server.request("GET", "/api/v1/sessions", key: ada.key).status == 200)
        #expect(try await server.request("GET", "/api/v1/sessions", token: ada.token).status == 200)
        let created = try await server.request("POST", "/api/v1/sessions", json: ["name": "mine"], key: ada.key)
        let sessionID = try #require(created.json["id"]?.stringValue)
        #expect(try await server.request("GET", "/api/v1/sessions/\(sessionID)/events").status == 401)
        let ticket = try #require(try await server.request("POST", "/api/v1/tickets", key: ada.key).json["ticket"]?.stringValue)
        #expect(try await server.request("GET", "/api/v1/sessions/\(sessionID)/events?ticket=\(ticket)").status == 200)
        #expect(try await server.request("GET", "/api/v1/sessions/\(sessionID)/events?ticket=\(ticket)").status == 401)
        // Seed 000 and seed 004 routes are guarded too.
        #expect(try await server.request("GET", "/api/sessions").status == 401)
        #expect(try await server.request("GET", "/agent/conversations").status == 401)
    }
}
