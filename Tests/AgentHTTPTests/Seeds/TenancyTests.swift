import AgentCore
import AgentHTTP
import AgentTesting
import Foundation
import Testing

/// Two users on one agentd with `--auth required`: every session one makes, through any of the
/// APIs (native, seeds 000, 001, 002 and 004), is invisible to the other — 404 for each of its
/// routes, streams included, and absent from every list — while an admin sees everything.
/// (Seed 003's agents, executions, logs and artifacts are covered in ``S3ConformanceTests``.)
@Suite(.timeLimit(.minutes(3)))
struct TenancyTests {
    /// agentd's stack with accounts, plus seed 002's listener guarded the same way (the daemon
    /// serves it on its own port).
    struct Servers {
        let main: S3Server
        let cua: SeedServer
        let cuaServer: HTTPServer

        static func start() async throws -> Servers {
            // Seed 001's per-client limits would refuse this test's many requests from one address.
            var cambio = CambioConfiguration()
            cambio.requestsPerWindow = 10_000
            cambio.sessionCreationsPerWindow = 10_000
            cambio.webSocketConnectionsPerWindow = 10_000
            let main = try await S3Server.start(mode: .required, cambio: cambio)
            main.seed.fake.setResponder { _ in .text("ok") }
            var router = Router()
            let baseURL = main.seed.fake.baseURL
            BrowserTasksAPI(service: main.seed.service) {
                AnthropicClient(apiKey: $0, baseURL: baseURL, retryPolicy: RetryPolicy(maxRetries: 0))
            }.register(on: &router)
            let access = AgentdAccess(accounts: main.accounts, platform: main.platform, mode: .required)
            let server = HTTPServer(configuration: HTTPServerConfiguration(host: "127.0.0.1", port: 0),
                                    handler: access.guarding(BrowserTasksAPI.enveloped(router)))
            let port = try server.start()
            let seed = main.seed
            let cua = SeedServer(fake: seed.fake, directory: seed.directory, store: seed.store, service: seed.service,
                                 server: server, port: port)
            return Servers(main: main, cua: cua, cuaServer: server)
        }

        func stop() async {
            await cuaServer.shutdown(gracePeriod: .milliseconds(100))
            await main.stop()
        }

        /// A request to the main port with `key` in `X-API-Key`.
        func onMain(_ method: String, _ path: String, _ key: String, json: JSONValue? = nil,
                    headers: [(String, String)] = []) async throws -> SeedResponse {
            try await main.request(method, path, json: json, key: key, headers: headers)
        }

        /// A request to seed 002's port with `key` in `X-API-Key`.
        func onCUA(_ method: String, _ path: String, _ key: String, json: JSONValue? = nil) async throws -> SeedResponse {
            try await cua.request(method, path, json: json, headers: [("X-API-Key", key)])
        }

        /// The status of a WebSocket handshake at `path` on the main port.
        func webSocketStatus(_ path: String, _ key: String) async throws -> Int {
            let socket = try await main.seed.webSocket(path, headers: [("X-API-Key", key)])
            return socket.status
        }
    }

    /// One session made through each API by `key`'s user: (API, id).
    static func sessionsThroughEveryAPI(_ servers: Servers, key: String) async throws -> [(api: String, id: String)] {
        let native = try await servers.onMain("POST", "/api/v1/sessions", key, json: ["name": "native", "configuration": ["environment": "none"]])
        let s0 = try await servers.onMain("POST", "/api/sessions", key, json: ["name": "s0"])
        let s1 = try await servers.onMain("POST", "/sessions", key, json: ["name": "s1"])
        let s4 = try await servers.onMain("POST", "/agent/conversations", key, json: [:])
        let s2 = try await servers.onCUA("POST", "/api/tasks", key, json: ["task": "hello", "environment": "none"])
        for (response, status) in [(native, 201), (s0, 201), (s1, 200), (s4, 200), (s2, 200)] {
            #expect(response.status == status, "\(response.text)")
        }
        return [
            ("native", try #require(native.json["id"]?.stringValue)),
            ("S0", try #require(s0.json["id"]?.stringValue)),
            ("S1", try #require((s1.json["session_id"] ?? s1.json["id"])?.stringValue)),
            ("S4", try #require(s4.json["conversation_id"]?.stringValue)),
            ("S2", try #require(s2.json["data"]?["session_id"]?.stringValue)),
        ]
    }

    /// Every list of sessions each API has, as `key`'s user reads it (the raw bodies).
    static func lists(_ servers: Servers, key: String) async throws -> [String: SeedResponse] {
        [
            "native": try await servers.onMain("GET", "/api/v1/sessions?limit=200", key),
            "S0": try await servers.onMain("GET", "/api/sessions", key),
            "S1": try await servers.onMain("GET", "/sessions?limit=100", key),
            "S4": try await servers.onMain("GET", "/agent/conversations", key),
            "S2": try await servers.onCUA("GET", "/api/sessions", key),
            "S2 active": try await servers.onCUA("GET", "/api/sessions/active", key),
            "S2 batch": try await servers.onCUA("POST", "/api/sessions/batch", key, json: [:]),
        ]
    }

    @Test func anotherUsersSessionsAreNotFoundInEveryAPIAndAbsentFromEveryList() async throws {
        let servers = try await Servers.start()
        defer { Task { await servers.stop() } }
        let alice = try await servers.main.account("alice")
        let bob = try await servers.main.account("bob")
        let alices = try await Self.sessionsThroughEveryAPI(servers, key: alice.key)
        let bobs = try await Self.sessionsThroughEveryAPI(servers, key: bob.key)

        // Each session belongs to whoever made it, whichever API made it.
        for (api, id) in alices {
            #expect(try await servers.main.seed.service.session(id).owner == String(alice.id), "\(api)")
        }

        for (api, id) in alices {
            let asBob: [(String, SeedResponse)] = [
                ("native get", try await servers.onMain("GET", "/api/v1/sessions/\(id)", bob.key)),
                ("native patch", try await servers.onMain("PATCH", "/api/v1/sessions/\(id)", bob.key, json: ["name": "mine now"])),
                ("native message", try await servers.onMain("POST", "/api/v1/sessions/\(id)/messages", bob.key, json: ["content": "hi"])),
                ("native events", try await servers.onMain("GET", "/api/v1/sessions/\(id)/events", bob.key)),
                ("native SSE", try await servers.onMain("GET", "/api/v1/sessions/\(id)/events", bob.key,
                                                      headers: [("Accept", "text/event-stream")])),
                ("native messages", try await servers.onMain("GET", "/api/v1/sessions/\(id)/messages", bob.key)),
                ("native tool executions", try await servers.onMain("GET", "/api/v1/sessions/\(id)/tool-executions", bob.key)),
                ("native screenshot", try await servers.onMain("GET", "/api/v1/sessions/\(id)/screenshots/latest", bob.key)),
                ("native approvals", try await servers.onMain("GET", "/api/v1/sessions/\(id)/approvals", bob.key)),
                ("native wait", try await servers.onMain("GET", "/api/v1/sessions/\(id)/wait?timeout=0", bob.key)),
                ("native stop", try await servers.onMain("POST", "/api/v1/sessions/\(id)/stop", bob.key)),
                ("native pause", try await servers.onMain("POST", "/api/v1/sessions/\(id)/pause", bob.key)),
                ("native resume", try await servers.onMain("POST", "/api/v1/sessions/\(id)/resume", bob.key)),
                ("native clear", try await servers.onMain("DELETE", "/api/v1/sessions/\(id)/messages", bob.key)),
                ("native delete", try await servers.onMain("DELETE", "/api/v1/sessions/\(id)", bob.key)),
                ("S0 get", try await servers.onMain("GET", "/api/sessions/\(id)", bob.key)),
                ("S0 messages", try await servers.onMain("GET", "/api/sessions/\(id)/messages", bob.key)),
                ("S0 send", try await servers.onMain("POST", "/api/sessions/\(id)/messages", bob.key, json: ["content": "hi"])),
                ("S0 delete", try await servers.onMain("DELETE", "/api/sessions/\(id)", bob.key)),
                ("S1 get", try await servers.onMain("GET", "/sessions/\(id)", bob.key)),
                ("S1 history", try await servers.onMain("GET", "/sessions/\(id)/history", bob.key)),
                ("S1 clear history", try await servers.onMain("DELETE", "/sessions/\(id)/history", bob.key)),
                ("S1 delete", try await servers.onMain("DELETE", "/sessions/\(id)", bob.key)),
                ("S4 get", try await servers.onMain("GET", "/agent/conversations/\(id)", bob.key)),
                ("S4 messages", try await servers.onMain("GET", "/agent/conversations/\(id)/messages", bob.key)),
                ("S4 stream", try await servers.onMain("GET", "/agent/conversations/\(id)/messages", bob.key,
                                                     headers: [("Accept", "text/event-stream")])),
                ("S4 send", try await servers.onMain("POST", "/agent/conversations/\(id)/messages", bob.key, json: ["text": "hi"])),
                ("S4 events", try await servers.onMain("GET", "/agent/conversations/\(id)/events", bob.key)),
                ("S4 replay", try await servers.onMain("GET", "/agent/conversations/\(id)/replay", bob.key)),
                ("S4 delete", try await servers.onMain("DELETE", "/agent/conversations/\(id)", bob.key)),
                ("S2 details", try await servers.onCUA("GET", "/api/sessions/\(id)/details", bob.key)),
                ("S2 update", try await servers.onCUA("PUT", "/api/sessions/\(id)", bob.key, json: ["name": "mine"])),
                ("S2 stop", try await servers.onCUA("POST", "/api/sessions/\(id)/stop", bob.key, json: ["task_id": "guess"])),
                ("S2 cleanup", try await servers.onCUA("POST", "/api/cleanup_session/\(id)", bob.key, json: ["task_id": "guess"])),
            ]
            for (route, response) in asBob {
                #expect(response.status == 404, "\(route) of alice's \(api) session answered bob \(response.status): \(response.text)")
            }
            for path in ["/api/v1/sessions/\(id)/ws", "/ws/\(id)", "/vnc/\(id)"] {
                let status = try await servers.webSocketStatus(path, bob.key)
                #expect(status == 404, "WebSocket \(path) of alice's \(api) session answered bob \(status)")
            }
            // Seed 000's socket answers its documented error after the upgrade.
            let s0 = try await servers.main.seed.webSocket("/api/ws/\(id)", headers: [("X-API-Key", bob.key)])
            let first = try await s0.message()
            #expect(first?["type"] == "error" && first?["data"]?["error_code"] == "SESSION_NOT_FOUND", "\(String(describing: first))")
        }

        // Lists: each user sees exactly their own five sessions.
        for (user, own, other) in [(alice, alices, bobs), (bob, bobs, alices)] {
            for (api, response) in try await Self.lists(servers, key: user.key) {
                #expect(response.status == 200, "\(api) list: \(response.text)")
                for (_, id) in other { #expect(!response.text.contains(id), "\(api) list shows another user's session \(id)") }
                if !api.hasPrefix("S2 active") {
                    for (_, id) in own { #expect(response.text.contains(id), "\(api) list lacks the user's own session \(id)") }
                }
            }
        }
        let native = try await servers.onMain("GET", "/api/v1/sessions", bob.key)
        #expect(native.json["total"]?.intValue == 5)
        let filtered = try await servers.onMain("GET", "/api/v1/sessions?owner=\(alice.id)", bob.key)
        #expect(filtered.json["total"]?.intValue == 0, "an owner filter naming another user finds nothing")

        // Nothing bob tried changed or removed alice's sessions.
        for (api, id) in alices {
            let record = try await servers.main.seed.service.session(id)
            #expect(record.owner == String(alice.id) && record.name != "mine now" && record.name != "mine", "\(api)")
        }

        // An admin sees both users' sessions.
        _ = try await servers.main.accounts.addUser(
            RegistrationRequest(email: "root@example.com", username: "root", password: "a long password"), isAdmin: true)
        let login = try await servers.main.request("POST", "/api/v1/auth/login", json: ["username": "root", "password": "a long password"])
        let token = try #require(login.json["access_token"]?.stringValue)
        let all = try await servers.main.request("GET", "/api/v1/sessions?limit=200", token: token)
        #expect(all.json["total"]?.intValue == 10)
        let alicesAsAdmin = try await servers.main.request("GET", "/api/v1/sessions/\(alices[0].id)", token: token)
        #expect(alicesAsAdmin.status == 200)
    }

    @Test func onlyAnAdminMayGiveASessionToSomeoneElse() async throws {
        let servers = try await Servers.start()
        defer { Task { await servers.stop() } }
        let alice = try await servers.main.account("alice")
        let bob = try await servers.main.account("bob")
        // Seed 002's `user_id` names the owner: one's own id is accepted, another's refused.
        let own = try await servers.onCUA("POST", "/api/tasks", alice.key,
                                        json: ["task": "t", "environment": "none", "user_id": .string(String(alice.id))])
        #expect(own.status == 200, "\(own.text)")
        let other = try await servers.onCUA("POST", "/api/tasks", alice.key,
                                          json: ["task": "t", "environment": "none", "user_id": .string(String(bob.id))])
        #expect(other.status == 403, "\(other.text)")
        let id = try #require(own.json["data"]?["session_id"]?.stringValue)
        let give = try await servers.onCUA("PUT", "/api/sessions/\(id)", alice.key, json: ["user_id": .string(String(bob.id))])
        #expect(give.status == 403, "\(give.text)")
        #expect(try await servers.main.seed.service.session(id).owner == String(alice.id))
        let bobs = try await servers.onMain("GET", "/api/v1/sessions", bob.key)
        #expect(bobs.json["total"]?.intValue == 0)
    }

    @Test func seed004SettingsAreEachUsersOwn() async throws {
        let servers = try await Servers.start()
        defer { Task { await servers.stop() } }
        let alice = try await servers.main.account("alice")
        let bob = try await servers.main.account("bob")
        let set = try await servers.onMain("POST", "/api/config/llm", alice.key,
                                         json: ["api_key": "sk-ant-alices-own-key", "model": "claude-opus-4-1"])
        #expect(set.status == 200 && set.json["config"]?["has_api_key"] == true)
        let alices = try await servers.onMain("GET", "/api/config/llm", alice.key)
        #expect(alices.json["config"]?["has_api_key"] == true && alices.json["config"]?["model"] == "claude-opus-4-1")
        let bobs = try await servers.onMain("GET", "/api/config/llm", bob.key)
        #expect(bobs.json["config"]?["has_api_key"] == false, "bob must not spend alice's key")
        #expect(bobs.json["config"]?["model"] != "claude-opus-4-1")
        #expect(!alices.text.contains("sk-ant-alices-own-key"), "the key is shown only masked")
        // Kept 0600 beside the local settings file.
        let local = servers.main.directory.file(SeedServer.settingsFileName)
        let file = String(local.dropLast(".json".count)) + "-user-\(alice.id).json"
        let attributes = try FileManager.default.attributesOfItem(atPath: file)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
    }
}
