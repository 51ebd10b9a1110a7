import AgentCore
import AgentHTTP
import AgentTesting
import CommandLineSupport
import Foundation
import Testing
@testable import agentd

/// Who may use agentd, as an operator sets it: `--auth` and its defaults by address, the token
/// settings, the generated secret key, and admins made only on the host with `agentd users add`.
@Suite(.timeLimit(.minutes(2)))
struct DaemonAccessTests {
    func parse(_ arguments: [String], _ environment: [String: String] = [:]) throws -> DaemonConfiguration {
        var cursor = ArgumentCursor(arguments)
        return try DaemonConfiguration(parsing: &cursor, environment: environment, currentDirectory: "/srv/app")
    }

    @Test func authIsNoneOnLoopbackRequiredElsewhereAndNoneElsewhereOnlyWhenInsecureIsSaid() throws {
        #expect(try parse([]).access.mode == .none)
        #expect(try parse(["--host", "::1"]).access.mode == .none)
        #expect(try parse(["--host", "0.0.0.0"]).access.mode == .required)
        #expect(try parse(["--auth", "required"]).access.mode == .required)
        #expect(try parse([], ["AGENTD_AUTH": "required"]).access.mode == .required)
        #expect(try parse(["--auth", "none"], ["AGENTD_AUTH": "required"]).access.mode == .none, "a flag beats the environment")
        #expect(throws: DaemonError.self) { try parse(["--host", "0.0.0.0", "--auth", "none"]) }
        #expect(try parse(["--host", "0.0.0.0", "--auth", "none", "--insecure-no-auth"]).access.mode == .none)
        #expect(throws: UsageError.self) { try parse(["--auth", "maybe"]) }
        #expect(throws: DaemonError.self) { try parse([], ["AGENTD_AUTH": "maybe"]) }
        #expect(try parse(["--no-registration"]).access.registrationOpen == false)
        #expect(try parse([]).access.registrationOpen == true)
    }

    @Test func tokenAndPlatformSettingsFollowTheDocumentAndRefuseWhatTheyCannotHonour() throws {
        let defaults = try parse([], [:]).access
        #expect(defaults.tokenLifetimeMinutes == 30 && defaults.uploadMaxSize == 104_857_600)
        #expect(defaults.workerConcurrency == 4 && defaults.executionTimeout == 30 && defaults.secretKey == nil)
        #expect(defaults.storagePath.hasSuffix("/storage"))
        let set = try parse([], ["ACCESS_TOKEN_EXPIRE_MINUTES": "5", "UPLOAD_MAX_SIZE": "1000", "WORKER_CONCURRENCY": "2",
                                 "EXECUTION_TIMEOUT": "9", "STORAGE_PATH": "files", "ALGORITHM": "HS256",
                                 "SECRET_KEY": String(repeating: "k", count: 32)]).access
        #expect(set.tokenLifetimeMinutes == 5 && set.uploadMaxSize == 1000 && set.workerConcurrency == 2 && set.executionTimeout == 9)
        #expect(set.storagePath == "/srv/app/files")
        for algorithm in ["HS512", "RS256", "none"] {
            #expect(throws: DaemonError.self, "ALGORITHM=\(algorithm)") { try parse([], ["ALGORITHM": algorithm]) }
        }
        #expect(throws: DaemonError.self) { try parse([], ["SECRET_KEY": "too-short"]) }
        #expect(throws: DaemonError.self) { try parse([], ["WORKER_CONCURRENCY": "0"]) }
    }

    @Test func aGeneratedSecretKeyIsKept0600AndReusedAndAGivenOneIsNeverWritten() throws {
        let directory = try TemporaryDirectory()
        let given = try SecretKeyFile.load(given: String(repeating: "g", count: 40), dataDirectory: directory.path)
        #expect(given == Array(String(repeating: "g", count: 40).utf8))
        #expect(!FileManager.default.fileExists(atPath: SecretKeyFile.path(in: directory.path)))

        let first = try SecretKeyFile.load(given: nil, dataDirectory: directory.path)
        #expect(first.count == 32)
        let attributes = try FileManager.default.attributesOfItem(atPath: SecretKeyFile.path(in: directory.path))
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        #expect(try SecretKeyFile.load(given: nil, dataDirectory: directory.path) == first, "tokens survive a restart")

        chmod(SecretKeyFile.path(in: directory.path), 0o644)
        #expect(throws: DaemonError.self, "a key others can read is refused") {
            try SecretKeyFile.load(given: nil, dataDirectory: directory.path)
        }
    }

    /// The real binaries: an admin made on the host sees another user's sessions through the API;
    /// `--no-registration` closes the API's registration; a token survives a restart.
    @Test func adminsAreMadeOnTheHostAndSeeEverything() async throws {
        let directory = try TemporaryDirectory()
        let data = directory.path + "/data"
        let script = try writeScript([["text": "ok"]], in: directory.path)
        let binary = try DaemonProcess.binary()
        let add = try #require(try await ChildProcess.run(
            ["users", "add", "--admin", "--data-dir", data, "root"],
            environment: ChildProcess.environment(["AGENTD_PASSWORD": "the admin's long password"]), binary: binary))
        #expect(add.status == 0, "\(add.stderr)")
        let listed = try #require(try await ChildProcess.run(["users", "list", "--data-dir", data], environment: ChildProcess.environment(),
                                                              binary: binary))
        #expect(listed.stdout.contains("root") && listed.stdout.contains("admin"), "\(listed.stdout)")
        #expect(!listed.stdout.contains("long password"))

        let daemon = try await DaemonProcess.start(["--script", script, "--auth", "required"], dataDirectory: data)
        let api = daemon.api
        #expect(try await api.post("/api/v1/auth/register", ["username": "ada", "email": "ada@example.com", "password": "ada's long password"])
            .status == 201)
        // The API never makes an admin, whatever the body says.
        let sneaky = try await api.post("/api/v1/auth/register",
                                        ["username": "eve", "email": "eve@example.com", "password": "eve's long password", "is_admin": true])
        #expect(sneaky.status == 201 && sneaky.json["is_admin"] == nil)
        let ada = try #require(try await api.post("/api/v1/auth/login", ["username": "ada", "password": "ada's long password"])
            .json["access_token"]?.stringValue)
        let eve = try #require(try await api.post("/api/v1/auth/login", ["username": "eve", "password": "eve's long password"])
            .json["access_token"]?.stringValue)
        let root = try #require(try await api.post("/api/v1/auth/login", ["username": "root", "password": "the admin's long password"])
            .json["access_token"]?.stringValue)
        let created = try await api.send("POST", "/api/v1/sessions", ["name": "ada's"], headers: [HTTPField("Authorization", "Bearer \(ada)")])
        let id = try #require(created.json["id"]?.stringValue)
        #expect(try await api.send("GET", "/api/v1/sessions/\(id)", headers: [HTTPField("Authorization", "Bearer \(eve)")]).status == 404)
        #expect(try await api.send("GET", "/api/v1/sessions/\(id)", headers: [HTTPField("Authorization", "Bearer \(root)")]).status == 200)
        #expect(try await api.get("/api/v1/sessions").status == 401)
        #expect(await daemon.terminate()?.status == 0)

        // Restarted with registration closed: the old token still works, new accounts are refused.
        let again = try await DaemonProcess.start(["--script", script, "--auth", "required", "--no-registration"], dataDirectory: data)
        #expect(try await again.api.send("GET", "/api/v1/sessions/\(id)", headers: [HTTPField("Authorization", "Bearer \(ada)")]).status == 200)
        let closed = try await again.api.post("/api/v1/auth/register", ["username": "mal", "email": "mal@example.com", "password": "mal's long password"])
        #expect(closed.status == 403, "\(closed.text)")
        #expect(await again.terminate()?.status == 0)
    }
}
