import AgentCore
import AgentTesting
import Foundation
import Testing

/// The two binaries together, as a user scripts them: agentctl drives a real agentd whose model
/// is the fake Messages API speaking the real wire format.
@Suite(.timeLimit(.minutes(1)))
struct AgentctlAgainstAgentdTests {
    @Test func agentctlCreatesASessionAndStreamsATurn() async throws {
        let directory = try TemporaryDirectory()
        let server = try FakeMessagesServer(apiKey: "sk-ant-test")
        defer { server.stop() }
        server.enqueue(.toolUse(name: "bash", input: ["command": "echo from-the-shell"], text: "Let me check."))
        server.enqueue(.text("The shell said hello."))
        server.enqueue(.text("Second answer."))
        let daemon = try await DaemonProcess.start(
            [], dataDirectory: directory.path,
            environment: ChildProcess.environment(["ANTHROPIC_API_KEY": "sk-ant-test", "ANTHROPIC_BASE_URL": server.baseURL]))
        let agentctl = try #require(BuiltExecutable.path(named: "agentctl", override: "AGENTCTL_BINARY"))
        let environment = ChildProcess.environment(["AGENTD_URL": "http://127.0.0.1:\(daemon.port)"])

        let created = try #require(try await ChildProcess.run(["sessions", "create", "--tools", "bash"], environment: environment, binary: agentctl))
        #expect(created.status == 0, "\(created.stderr)")
        let id = created.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let sent = try #require(try await ChildProcess.run(["sessions", "send", id, "run echo"], environment: environment, binary: agentctl))
        #expect(sent.status == 0, "\(sent.stderr)")
        #expect(sent.stdout.contains("The shell said hello."))
        #expect((sent.stdout + sent.stderr).contains("from-the-shell"))

        let listed = try #require(try await ChildProcess.run(["--json", "sessions", "list"], environment: environment, binary: agentctl))
        #expect(listed.stdout.contains(id))
        let gone = try #require(try await ChildProcess.run(
            ["--server", "http://127.0.0.1:1", "health"], environment: ChildProcess.environment(), binary: agentctl))
        #expect(gone.status == 69)
        #expect(try #require(await daemon.terminate()).status == 0)
    }
}
