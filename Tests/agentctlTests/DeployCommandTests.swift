import AgentCore
import AgentTesting
import Foundation
import Testing
@testable import agentctl

/// `agentctl agents deploy`, `agents execute` and `executions …` against a real agentd whose
/// builds and executions run Python in the real sandbox (bubblewrap).
@Suite(.timeLimit(.minutes(3)))
struct DeployCommandTests {
    static let manifest = "name: echo-agent\nentrypoint: agent.main:handle\nframework: python\n"
    static let handler = """
        import time

        def handle(payload):
            print("got", payload.get("input"))
            time.sleep(payload.get("sleep", 0))
            if payload.get("fail"):
                raise ValueError("asked to fail")
            return {"result": "Response to " + payload["input"]}
        """

    /// A user logged in through agentctl, with an API key for reading artifacts back.
    struct User {
        let id: Int
        let key: String
        var principal: Principal { Principal(userID: id, isAdmin: false, credential: .apiKey) }
    }

    static func user(_ agentd: PlatformHarness, _ name: String = "ada") async throws -> User {
        let id = try await agentd.register(name)
        _ = try await agentd.succeed(["login", "--username", name], environment: ["AGENTD_PASSWORD": agentd.password])
        return User(id: id, key: try await agentd.apiKey(of: id))
    }

    /// An agent directory with the clutter a developer's checkout has.
    static func agentDirectory(in directory: TemporaryDirectory, files: [String: String]? = nil) throws -> String {
        let root = directory.file("echo-agent-\(UUID().uuidString)")
        try AgentPackagerTests.write(files ?? [
            "anymind.yaml": manifest,
            "agent/__init__.py": "",
            "agent/main.py": handler,
            "agent/__pycache__/main.cpython-312.pyc": "bytecode",
            "helper.pyc": "bytecode",
            ".git/HEAD": "ref: refs/heads/main\n",
            ".git/config": "[core]\n",
            "venv/pyvenv.cfg": "home = /usr/bin\n",
            "venv/lib/python3/site-packages/pkg.py": "",
            "node_modules/left-pad/index.js": "module.exports = 1\n",
        ], under: root)
        return root
    }

    @Test func deployPacksOnlyTheSourceReachesReadyAndExecutes() async throws {
        let agentd = try await PlatformHarness()
        defer { Task { await agentd.finish() } }
        let ada = try await Self.user(agentd)
        let scratch = try TemporaryDirectory(prefix: "agentctl-deploy")
        let root = try Self.agentDirectory(in: scratch)

        let (code, output) = await agentd.agentctl(["agents", "deploy", root])
        #expect(code == .success, "\(output.stderr)")
        let versionID = try #require(Int(output.stdout.trimmingCharacters(in: .newlines)), "\(output.stdout)")
        let agents = try JSONValue(parsing: try await agentd.succeed(["agents", "list", "--json"]))
        let agentID = try #require(agents[0]?["id"]?.intValue)
        #expect(agents.arrayValue?.count == 1 && agents[0]?["name"] == "echo-agent")
        #expect(agents[0]?["current_version_id"] == .int(versionID) && agents[0]?["status"] == "ready")
        let stderr = output.stderr.lines
        #expect(stderr.contains("agentctl: packed 3 files in 1 directory (\(Self.handler.utf8.count + Self.manifest.utf8.count) bytes); "
                                + "left out .git, agent/__pycache__, helper.pyc, node_modules, venv"))
        #expect(stderr.contains("agentctl: created agent \(agentID) (echo-agent)"))
        // Not a terminal: one plain line per status, ending with ready.
        #expect(stderr.contains("agent \(agentID) v1: queued") || stderr.contains("agent \(agentID) v1: building"))
        #expect(stderr.contains("agent \(agentID) v1: ready"))
        #expect(!output.stderr.contains("\u{1B}["))

        // The stored artifact holds the source and none of the clutter.
        let version = try await agentd.platform.version(for: ada.principal, agentID: agentID, versionID: versionID)
        let entries = try await agentd.artifactEntries(try #require(version.tarballPath), key: ada.key)
        #expect(entries == ["agent/", "agent/__init__.py", "agent/main.py", "anymind.yaml"])

        let inline = await agentd.agentctl(["agents", "execute", String(agentID), "--payload", #"{"input": "hi"}"#])
        #expect(inline.code == .success, "\(inline.output.stderr)")
        #expect(inline.output.stdout == #"{"result":"Response to hi"}"# + "\n")
        let file = scratch.file("payload.json")
        try Data(#"{"input": "a file"}"#.utf8).write(to: URL(fileURLWithPath: file))
        let fromFile = await agentd.agentctl(["agents", "execute", String(agentID), "--payload", "@" + file, "--json"])
        #expect(fromFile.code == .success)
        let execution = try JSONValue(parsing: fromFile.output.stdout)
        #expect(execution["status"] == "completed" && execution["output_data"] == ["result": "Response to a file"])
        #expect(execution["input_data"] == ["input": "a file"])

        let failing = await agentd.agentctl(["agents", "execute", String(agentID), "--payload", #"{"input": "x", "fail": true}"#])
        #expect(failing.code == .failure)
        #expect(failing.output.stdout.isEmpty)
        #expect(failing.output.stderr.hasPrefix("agentctl: execution "))
        #expect(failing.output.stderr.contains("failed: ") && failing.output.stderr.contains("asked to fail"))
        #expect(failing.output.stderr.contains("got x"))  // the agent's own output follows

        // executions list, show and logs.
        let list = await agentd.agentctl(["executions", "list"])
        #expect(list.code == .success)
        #expect(list.output.stdout.lines.count == 4)
        #expect(list.output.stdout.lines.first?.hasPrefix("ID  VERSION  STATUS") == true)
        let listed = try JSONValue(parsing: try await agentd.succeed(["executions", "list", "--agent-version", String(versionID), "--json"]))
        #expect(listed.arrayValue?.count == 3)
        let none = try await agentd.succeed(["executions", "list", "--agent-version", String(versionID + 1000), "--json"])
        #expect(none == "[]")
        let executionID = try #require(execution["id"]?.intValue)
        let show = await agentd.agentctl(["executions", "show", String(executionID)])
        #expect(show.output.stdout.lines.contains("status:      completed"))
        #expect(show.output.stdout.lines.contains(#"output:      {"result":"Response to a file"}"#))
        let logs = await agentd.agentctl(["executions", "logs", String(executionID)])
        #expect(logs.code == .success)
        #expect(logs.output.stdout.contains("  INFO     runtime  got a file"))
        #expect(logs.output.stdout.contains("Execution \(executionID) completed successfully"))
        let agentLogs = await agentd.agentctl(["agents", "logs", String(agentID)])
        #expect(agentLogs.output.stdout.contains("  build  "))
        // A finished execution cannot be cancelled.
        let late = await agentd.agentctl(["executions", "cancel", String(executionID)])
        #expect(late.code == .failure)
        #expect(late.output.stderr == "agentctl: execution \(executionID) had already ended (completed)\n")
    }

    @Test func cancellingARunningExecutionEndsItsExecuteWithExitOne() async throws {
        let agentd = try await PlatformHarness()
        defer { Task { await agentd.finish() } }
        _ = try await Self.user(agentd)
        let scratch = try TemporaryDirectory(prefix: "agentctl-deploy")
        _ = try await agentd.succeed(["agents", "deploy", try Self.agentDirectory(in: scratch)])
        let agentID = try #require(try JSONValue(parsing: try await agentd.succeed(["agents", "list", "--json"]))[0]?["id"]?.intValue)

        let slow = Task { await agentd.agentctl(["agents", "execute", String(agentID), "--payload", #"{"input": "slow", "sleep": 8}"#]) }
        var running: Int?
        let started = try await pollUntil(timeout: .seconds(20)) {
            let list = try JSONValue(parsing: try await agentd.succeed(["executions", "list", "--json"]))
            running = list.arrayValue?.first { $0["status"] == "running" }?["id"]?.intValue
            return running != nil
        }
        try #require(started, "the execution never showed as running")
        let id = try #require(running)
        let cancel = await agentd.agentctl(["executions", "cancel", String(id)])
        #expect(cancel.code == .success, "\(cancel.output.stderr)")
        #expect(cancel.output.stdout == "execution \(id) is cancelled\n")
        let (code, output) = await slow.value
        #expect(code == .failure)
        #expect(output.stdout.isEmpty)
        #expect(output.stderr.hasPrefix("agentctl: execution \(id) cancelled"))
    }

    @Test func deployingAgainMakesTheNextVersionOfTheSameAgentWithALiveProgressLine() async throws {
        let agentd = try await PlatformHarness()
        defer { Task { await agentd.finish() } }
        _ = try await Self.user(agentd)
        let scratch = try TemporaryDirectory(prefix: "agentctl-deploy")
        let root = try Self.agentDirectory(in: scratch)
        let first = try await agentd.succeed(["agents", "deploy", root])
        let agentID = try #require(try JSONValue(parsing: try await agentd.succeed(["agents", "list", "--json"]))[0]?["id"]?.intValue)

        let terminal = ScriptedConsole(errorIsTerminal: true)
        let (code, output) = await agentd.agentctl(["agents", "deploy", root, "--agent", String(agentID)], console: terminal)
        #expect(code == .success, "\(output.stderr)")
        #expect(output.stdout != first + "\n")
        #expect(output.stderr.contains("\r\u{1B}[2K"))
        #expect(output.stderr.contains("agent \(agentID) v2: "))
        #expect(!output.stderr.contains("created agent"))

        let show = await agentd.agentctl(["agents", "show", String(agentID)])
        let versions = show.output.stdout.lines.drop { !$0.hasPrefix("ID") }
        #expect(versions.count == 3)
        #expect(versions.dropFirst().allSatisfy { $0.contains("ready") && $0.contains("agent.main:handle") })
        // By name (the manifest's), the same agent again.
        let json = await agentd.agentctl(["agents", "deploy", root, "--json"])
        #expect(json.code == .success)
        let third = try JSONValue(parsing: json.output.stdout)
        #expect(third["agent_id"] == .int(agentID) && third["version"] == "v3" && third["status"] == "ready")
    }

    @Test func aBrokenAgentFailsWithItsBuildLog() async throws {
        let agentd = try await PlatformHarness()
        defer { Task { await agentd.finish() } }
        _ = try await Self.user(agentd)
        let scratch = try TemporaryDirectory(prefix: "agentctl-deploy")
        let root = try Self.agentDirectory(in: scratch, files: ["anymind.yaml": Self.manifest, "README.md": "no code here\n"])
        let (code, output) = await agentd.agentctl(["agents", "deploy", root, "--name", "broken"])
        #expect(code == .failure)
        #expect(output.stdout.isEmpty)
        #expect(output.stderr.contains("agentctl: created agent "))
        let failed = try #require(output.stderr.range(of: " v1 failed:\n"))
        let log = output.stderr[failed.upperBound...]
        #expect(log.contains("entrypoint agent.main:handle"))
        #expect(log.contains("anymind.yaml: name echo-agent, framework python"))

        let json = await agentd.agentctl(["agents", "deploy", root, "--name", "broken", "--json"])
        #expect(json.code == .failure)
        let version = try JSONValue(parsing: json.output.stdout)
        #expect(version["status"] == "failed" && version["version"] == "v2")
        #expect(version["build_log"]?.stringValue?.contains("agent.main") == true)
        // Nothing ready, so nothing runs.
        let agentID = try #require(version["agent_id"]?.intValue)
        let execute = await agentd.agentctl(["agents", "execute", String(agentID)])
        #expect(execute.code == .failure && execute.output.stderr.hasPrefix("agentctl: "))
    }

    @Test func whatCannotBeDeployedFailsBeforeAnythingIsUploaded() async throws {
        let agentd = try await PlatformHarness()
        defer { Task { await agentd.finish() } }
        _ = try await Self.user(agentd)
        let scratch = try TemporaryDirectory(prefix: "agentctl-deploy")

        let missing = await agentd.agentctl(["agents", "deploy", scratch.path])
        #expect(missing.code == .failure)
        #expect(missing.output.stderr == "agentctl: \(scratch.path) has no anymind.yaml\n")
        let invalid = try Self.agentDirectory(in: scratch, files: ["anymind.yaml": "name: x\nframework: python\nentrypoint: nope\n"])
        let refused = await agentd.agentctl(["agents", "deploy", invalid])
        #expect(refused.code == .failure)
        #expect(refused.output.stderr.hasPrefix("agentctl: cannot deploy \(invalid): anymind.yaml field \"entrypoint\""))

        let escaping = try Self.agentDirectory(in: scratch)
        try FileManager.default.createSymbolicLink(atPath: escaping + "/passwd", withDestinationPath: "/etc/passwd")
        let link = await agentd.agentctl(["agents", "deploy", escaping])
        #expect(link.code == .failure)
        #expect(link.output.stderr == "agentctl: cannot pack \(escaping): refusing passwd: it is a symbolic link to /etc/passwd, outside the directory\n")
        #expect(try await agentd.succeed(["agents", "list", "--json"]) == "[]")
    }
}
