import AgentCore
import AgentTesting
import Foundation
import Testing

/// Seed 001's own client examples ("SDK Examples": Python with aiohttp and websockets, JavaScript
/// with fetch and WebSocket), read from the document at run time and run unchanged against a live
/// agentd, except for the server address (`localhost:8000` becomes the test server's).
///
/// Nothing is skipped: a missing seed document, Python package or Node.js fails the test with what
/// to install (`make deps` installs them).
@Suite(.serialized, .timeLimit(.minutes(2)))
struct S1ClientExamplesTests {
    /// The seed document: `$AGENTD_SEEDS_DIR`, else `shared/seeds` beside the repository, else the
    /// machine's `/work/shared/seeds` (a clean clone for CI may live anywhere).
    static var seedPath: String {
        let name = "001_ec639234b8e3f7d5.txt"
        if let directory = ProcessInfo.processInfo.environment["AGENTD_SEEDS_DIR"] {
            return directory + "/" + name
        }
        let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        let beside = repository.deletingLastPathComponent().appendingPathComponent("shared/seeds/" + name).path
        let candidates = [beside, "/work/shared/seeds/" + name]
        return candidates.first { FileManager.default.fileExists(atPath: $0) } ?? beside
    }

    /// The first fenced block in `language` after `heading`, fences written as ``` or \`\`\`.
    static func example(_ language: String, after heading: String) throws -> String {
        guard let document = try? String(contentsOfFile: seedPath, encoding: .utf8) else {
            throw ClientError("the seed document is missing at \(seedPath) (set AGENTD_SEEDS_DIR)")
        }
        let text = document.replacingOccurrences(of: "\\`", with: "`")
        guard let section = text.range(of: heading),
              let open = text.range(of: "```\(language)\n", range: section.upperBound..<text.endIndex),
              let close = text.range(of: "```", range: open.upperBound..<text.endIndex) else {
            throw ClientError("no \(language) example after '\(heading)' in \(seedPath)")
        }
        return String(text[open.upperBound..<close.lowerBound])
    }

    /// Writes `source` (pointed at `port`) to a file and runs it with `command`.
    static func run(_ command: [String], source: String, fileName: String, port: Int) async throws -> ChildProcess.Snapshot {
        let directory = NSTemporaryDirectory() + "agentd-s1-example-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let file = directory + "/" + fileName
        try source.replacingOccurrences(of: "localhost:8000", with: "127.0.0.1:\(port)").write(
            toFile: file, atomically: true, encoding: .utf8)
        guard let snapshot = try await ChildProcess.run(
            command + [file], environment: ChildProcess.environment(), binary: "/usr/bin/env", timeout: .seconds(60)) else {
            throw ClientError("\(command.joined(separator: " ")) \(fileName) did not finish in 60 s")
        }
        return snapshot
    }

    /// Fails with what to install when `check` does not exit 0.
    static func require(_ check: [String], _ missing: String) async throws {
        let result = try await ChildProcess.run(check, environment: ChildProcess.environment(), binary: "/usr/bin/env")
        guard let result, result.status == 0 else {
            throw ClientError("\(missing) (`make deps` installs it): \(result?.stderr ?? "no answer")")
        }
    }

    @Test func thePythonExampleRunsAgainstAgentd() async throws {
        try await Self.require(["python3", "-c", "import aiohttp, websockets"],
                               "Python 3 with aiohttp and websockets is needed to run seed 001's Python example")
        let source = try Self.example("python", after: "### Python SDK")
        try await CambioServer.run { server in
            let result = try await Self.run(["python3"], source: source, fileName: "cambio_client.py", port: server.port)
            #expect(result.status == 0, "\(result.stderr)")
            let lines = result.stdout.split(separator: "\n").map(String.init)
            #expect(lines.count == 4, "\(result.stdout)")
            #expect(lines.first?.hasPrefix("Created session: ") == true)
            #expect(lines.dropFirst().first == "Agent response: ok")
            #expect(lines.dropFirst(2).first == "Chat history: 2 messages")
            #expect(lines.last == "Session ended")
            // The example ended its session.
            #expect(try await server.request("GET", "/sessions").json["total"] == 0)
        }
    }

    @Test func theJavaScriptExampleRunsAgainstAgentd() async throws {
        // Node.js 20.10+ has the WebSocket the example uses behind --experimental-websocket (22 without).
        try await Self.require(
            ["node", "--experimental-websocket", "-e", "if (typeof WebSocket !== 'function') process.exit(1)"],
            "Node.js 20.10 or later (with a global WebSocket) is needed to run seed 001's JavaScript example")
        let source = try Self.example("javascript", after: "### JavaScript SDK")
        try await CambioServer.run { server in
            let result = try await Self.run(["node", "--experimental-websocket"], source: source, fileName: "cambio_client.js",
                                            port: server.port)
            #expect(result.status == 0, "\(result.stderr)")
            let lines = result.stdout.split(separator: "\n").map(String.init)
            #expect(lines.first?.hasPrefix("Created session: ") == true, "\(result.stdout) \(result.stderr)")
            #expect(lines.contains("Agent: ok"))
            #expect(lines.contains("History: 2 messages"))
            #expect(lines.last == "Session ended")
            #expect(try await server.request("GET", "/sessions").json["total"] == 0)
        }
    }
}
