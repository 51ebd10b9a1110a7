import AgentCore
import AgentTesting
import Foundation
import Testing

/// Sessions through the running daemon: a scripted run, a run without a key, and a run against
/// the fake Messages API that checks the key never reaches the log.
@Suite(.timeLimit(.minutes(1)))
struct DaemonSessionTests {
    let directory: TemporaryDirectory

    init() throws {
        directory = try TemporaryDirectory()
    }

    @Test func aScriptedSessionCompletes() async throws {
        let script = try writeScript([
            ["text": "Let me check.", "tool_use": [["name": "bash", "input": ["command": "echo from-agentd"]]]],
            ["text": "The shell said from-agentd."],
        ], in: directory.path)
        let daemon = try await DaemonProcess.start(["--script", script], dataDirectory: directory.path)
        let created = try await daemon.api.post("/api/v1/sessions", ["name": "demo", "message": "Say hello", "tools": ["bash"]])
        #expect(created.status == 201)
        let id = try #require(created.json["id"]?.stringValue)
        let settled = try await daemon.api.get("/api/v1/sessions/\(id)/wait?timeout=30")
        #expect(settled.status == 200)
        #expect(settled.json["status"] == "completed")
        let executions = try await daemon.api.get("/api/v1/sessions/\(id)/tool-executions")
        #expect(executions.text.contains("from-agentd"))
        // The default model comes from the daemon's configuration.
        #expect(created.json["configuration"]?["model"]?.stringValue == ModelCatalog.defaultModel)
        #expect(try #require(await daemon.terminate()).status == 0)
    }

    @Test func withoutAKeySessionsEndInErrorSayingSo() async throws {
        let daemon = try await DaemonProcess.start(
            [], dataDirectory: directory.path, environment: ChildProcess.environment(["MODEL_NAME": "claude-opus-4-5"]))
        let created = try await daemon.api.post("/api/v1/sessions", ["message": "What time is it?"])
        #expect(created.status == 201)
        #expect(created.json["configuration"]?["model"] == "claude-opus-4-5")
        let id = try #require(created.json["id"]?.stringValue)
        let settled = try await daemon.api.get("/api/v1/sessions/\(id)/wait?timeout=30")
        #expect(settled.json["status"] == "error")
        let reason = try #require(settled.json["status_reason"]?.stringValue)
        #expect(reason.contains("ANTHROPIC_API_KEY is not set; set it or start agentd with --script FILE"))

        let result = try #require(await daemon.terminate())
        #expect(result.status == 0)
        let warnings = result.stderr.lines.filter { $0.contains(" warning ") && $0.contains("ANTHROPIC_API_KEY is not set") }
        #expect(warnings.count == 1)
        #expect(result.stderr.contains("api_key=unset"))
    }

    @Test func theLogNeverShowsTheAPIKey() async throws {
        let key = "sk-ant-CANARY-1234567890abcd"
        let server = try FakeMessagesServer(apiKey: key)
        defer { server.stop() }
        server.enqueue(.text("Hello from the fake API."))
        let environment = ChildProcess.environment(["ANTHROPIC_API_KEY": key, "ANTHROPIC_BASE_URL": server.baseURL])
        let daemon = try await DaemonProcess.start(
            ["--log-level", "debug"], dataDirectory: directory.path, environment: environment)
        let created = try await daemon.api.post("/api/v1/sessions", ["message": "Say hello", "tools": ["bash"]])
        let id = try #require(created.json["id"]?.stringValue)
        let settled = try await daemon.api.get("/api/v1/sessions/\(id)/wait?timeout=30")
        #expect(settled.json["status"] == "completed")
        #expect(server.requestCount == 1)

        let result = try #require(await daemon.terminate())
        #expect(result.status == 0)
        #expect(!result.stderr.contains("CANARY-1234567890"))
        #expect(!result.stdout.contains("CANARY-1234567890"))
        #expect(result.stderr.contains("api_key=sk-ant-…abcd"))
        #expect(!settled.text.contains("CANARY"))
    }
}

extension DaemonSessionTests {
    @Test func widthAndHeightSizeDesktopsThatGiveNone() async throws {
        let daemon = try await DaemonProcess.start(
            [], dataDirectory: directory.path, environment: ChildProcess.environment(["WIDTH": "1024", "HEIGHT": "768"]))
        // Created without a message, so no desktop starts: only the stored configuration is checked.
        let plain = try await daemon.api.post("/api/v1/sessions", ["environment": "desktop"])
        #expect(plain.status == 201)
        #expect(plain.json["configuration"]?["environment"] == ["kind": "desktop", "width": 1024, "height": 768])
        let sized = try await daemon.api.post("/api/v1/sessions", ["environment": ["kind": "browser", "width": 800, "height": 600]])
        #expect(sized.json["configuration"]?["environment"]?["width"] == 800)
        #expect(try #require(await daemon.terminate()).status == 0)
    }
}
