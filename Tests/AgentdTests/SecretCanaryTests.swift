import AgentCore
import AgentTesting
import Foundation
import Testing

/// Secrets given to a real agentd — its `SECRET_KEY`, its model key, a user's password, an API
/// key, a login token, a task's own model key and seed 004's configured key — are used and
/// never written where someone else could read them: not in the log (at debug level), not in
/// any API response except the one that shows a new key once, not in session events, and not
/// in the database files.
@Suite(.timeLimit(.minutes(2)))
struct SecretCanaryTests {
    static let secretKey = "canary-SECRET-KEY-0f1e2d3c4b5a69788796a5b4c3d2e1f0"
    static let modelKey = "sk-ant-canary-MODEL-KEY-5d1c"
    static let password = "canary-PASSWORD-correct-horse-91"
    static let wrongPassword = "canary-PASSWORD-wrong-battery-27"
    static let taskKey = "sk-ant-canary-TASK-KEY-77b0"
    static let s4Key = "sk-ant-canary-S4-KEY-c3a9"
    static let forgedKey = "anymind_canaryFORGEDkeyThatNobodyIssued00000000000"

    @Test func noSecretLeaksIntoLogsResponsesEventsOrTheDatabase() async throws {
        let directory = try TemporaryDirectory()
        let model = try FakeMessagesServer(apiKey: Self.modelKey)
        defer { model.stop() }
        model.setResponder { _ in .text("All done.") }
        let data = directory.path + "/data"
        let daemon = try await DaemonProcess.start(
            ["--auth", "required", "--log-level", "debug", "--cua-port", "0"], dataDirectory: data,
            environment: ChildProcess.environment([
                "SECRET_KEY": Self.secretKey, "ANTHROPIC_API_KEY": Self.modelKey, "ANTHROPIC_BASE_URL": model.baseURL,
            ]))
        let printed = await daemon.child.wait(timeout: .seconds(10)) { $0.stdout.lines.count >= 2 }
        let cuaLine = try #require(printed?.stdout.lines.dropFirst().first)
        let cua = APIClient(baseURL: "http://127.0.0.1:\(try #require(DaemonProcess.listeningPort(String(cuaLine.dropFirst("cua ".count)))))")
        let api = daemon.api
        var responses: [String] = []
        func record(_ response: APIClient.Response) -> APIClient.Response {
            responses.append(response.text)
            return response
        }

        // An account, a failed and a good login, an API key (shown once, in its own response).
        let registered = record(try await api.post("/api/v1/auth/register",
                                                   ["username": "canary", "email": "canary@example.com", "password": .string(Self.password)]))
        #expect(registered.status == 201, "\(registered.text)")
        let refused = record(try await api.post("/api/v1/auth/login", ["username": "canary", "password": .string(Self.wrongPassword)]))
        #expect(refused.status == 401)
        let login = record(try await api.post("/api/v1/auth/login", ["username": "canary", "password": .string(Self.password)]))
        let token = try #require(login.json["access_token"]?.stringValue)
        let bearer = [HTTPField("Authorization", "Bearer \(token)")]
        let created = try await api.send("POST", "/api/v1/api-keys", ["name": "ci"], headers: bearer)
        #expect(created.status == 201)
        let key = try #require(created.json["key"]?.stringValue)
        let withKey = [HTTPField("X-API-Key", key)]

        // The key in use: a session that runs a turn, its events, the key list, a forged key.
        let session = record(try await api.send("POST", "/api/v1/sessions", ["name": "canary", "configuration": ["environment": "none"]],
                                                headers: withKey))
        let id = try #require(session.json["id"]?.stringValue)
        _ = record(try await api.send("POST", "/api/v1/sessions/\(id)/messages", ["content": "Say done"], headers: withKey))
        let settled = record(try await api.send("GET", "/api/v1/sessions/\(id)/wait?timeout=20", headers: withKey))
        #expect(settled.json["status"] != "running", "\(settled.text)")
        let events = record(try await api.send("GET", "/api/v1/sessions/\(id)/events", headers: withKey))
        #expect(events.text.contains("All done."))
        _ = record(try await api.send("GET", "/api/v1/api-keys", headers: bearer))
        _ = record(try await api.send("GET", "/api/v1/auth/me", headers: withKey))
        let forged = record(try await api.send("GET", "/api/v1/sessions", headers: [HTTPField("X-API-Key", Self.forgedKey)]))
        #expect(forged.status == 401)
        _ = record(try await api.send("GET", "/api/v1/sessions?api_key=\(Self.forgedKey)", headers: withKey))

        // Seed 004's configured key and seed 002's per-task key.
        _ = record(try await api.send("POST", "/api/config/llm", ["api_key": .string(Self.s4Key)], headers: withKey))
        _ = record(try await api.send("GET", "/api/config", headers: withKey))
        let conversation = record(try await api.send("POST", "/agent/conversations", [:], headers: withKey))
        #expect(conversation.status == 200)
        let task = record(try await cua.send("POST", "/api/tasks", ["task": "Say done", "environment": "none", "api_key": .string(Self.taskKey)],
                                             headers: withKey))
        let taskID = try #require(task.json["data"]?["task_id"]?.stringValue)
        let taskSession = try #require(task.json["data"]?["session_id"]?.stringValue)
        let ended = try await pollUntil(timeout: .seconds(20)) {
            let status = try await cua.send("GET", "/api/status/\(taskSession)/\(taskID)", headers: withKey)
            return status.json["data"]?["status"] != "running"
        }
        #expect(ended)
        _ = record(try await cua.send("GET", "/api/status/\(taskSession)/\(taskID)", headers: withKey))
        _ = record(try await cua.send("GET", "/api/sessions/\(taskSession)/details", headers: withKey))
        _ = record(try await api.send("GET", "/api/v1/sessions/\(taskSession)/events", headers: withKey))
        _ = record(try await api.send("GET", "/metrics", headers: withKey))
        _ = record(try await api.send("GET", "/api/v1/health"))

        let exit = try #require(await daemon.terminate())
        #expect(exit.status == 0)
        let log = exit.stdout + exit.stderr
        #expect(log.contains("/api/v1/sessions"), "the debug log records the requests it served")

        // Everything agentd wrote in its data directory, seed 004's settings file apart (it keeps
        // that key, 0600, by design).
        var stored: [(String, String)] = []
        for name in try FileManager.default.subpathsOfDirectory(atPath: data) {
            let path = data + "/" + name
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue,
                  let bytes = FileManager.default.contents(atPath: path) else { continue }
            stored.append((name, String(decoding: bytes, as: UTF8.self)))
        }
        #expect(stored.contains { $0.0 == "agentd.db" })
        #expect(!stored.contains { $0.0 == "secret_key" }, "a SECRET_KEY from the environment is never written to disk")

        let everywhere: [(String, String)] = [("SECRET_KEY", Self.secretKey), ("model key", Self.modelKey), ("password", Self.password),
                                              ("wrong password", Self.wrongPassword), ("API key", key), ("token", token),
                                              ("task key", Self.taskKey), ("forged key", Self.forgedKey)]
        for (what, secret) in everywhere {
            #expect(!log.contains(secret), "the log shows the \(what)")
            for (index, text) in responses.enumerated() {
                if what == "token", index == 2 { continue }  // the login's own answer
                #expect(!text.contains(secret), "response \(index) shows the \(what): \(text.prefix(300))")
            }
            for (name, text) in stored where !name.hasPrefix("openbrowser-settings") {
                #expect(!text.contains(secret), "\(name) holds the \(what)")
            }
        }
        #expect(!log.contains(Self.s4Key))
        #expect(!responses.contains { $0.contains(Self.s4Key) }, "seed 004's key is only shown masked")
        #expect(!stored.contains { !$0.0.hasPrefix("openbrowser-settings") && $0.1.contains(Self.s4Key) })
        // The key the client was shown appears nowhere else: only its hash and prefix are kept.
        #expect(created.text.contains(key))
    }
}
