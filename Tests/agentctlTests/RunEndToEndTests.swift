import CommandLineSupport
import AgentCore
import AgentTesting
import Foundation
import Testing

/// `agentctl run` as a user runs it: the built binary in a child process, its stdout, stderr and
/// exit status, against a script or the fake Messages API on loopback.
@Suite(.timeLimit(.minutes(1)))
struct RunEndToEndTests {
    let binary: String
    let directory: TemporaryDirectory

    init() throws {
        binary = try #require(
            BuiltExecutable.path(named: "agentctl", override: "AGENTCTL_BINARY"),
            "agentctl is not built beside the tests (swift build --build-tests)")
        directory = try TemporaryDirectory()
    }

    /// Runs agentctl to completion; records an issue and returns nil when it did not finish in time.
    func agentctl(
        _ arguments: [String], environment: [String: String] = ChildProcess.environment(),
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> ChildProcess.Snapshot {
        let result = try await ChildProcess.run(arguments, environment: environment, binary: binary)
        return try #require(result, "agentctl \(arguments) did not finish", sourceLocation: sourceLocation)
    }

    /// Writes a `--script` file and returns its path.
    func script(_ turns: JSONValue) throws -> String {
        let path = directory.path + "/script-\(UUID().uuidString).json"
        try Data(turns.serializedBytes()).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// A script that creates `notes.txt` with the editor, then prints it with bash (relative to --cwd).
    func noteScript() throws -> (script: String, note: String) {
        let note = directory.path + "/notes.txt"
        let turns: JSONValue = [
            ["text": "I'll write the note.",
             "tool_use": [["name": "str_replace_based_edit_tool",
                           "input": ["command": "create", "path": .string(note), "file_text": "alpha\nbeta\n"]]]],
            ["text": "Now I'll show it.", "tool_use": [["name": "bash", "input": ["command": "cat notes.txt"]]]],
            ["text": "The note has two lines."],
        ]
        return (try script(turns), note)
    }

    // MARK: Scripted runs

    @Test func scriptedRunPrintsTextAndSteps() async throws {
        let (script, note) = try noteScript()
        let result = try await agentctl(["run", "--script", script, "--cwd", directory.path, "Write a note and show it"])
        #expect(result.status == 0)
        #expect(!result.signalled)
        #expect(result.stderr.isEmpty)
        let lines = result.stdout.lines
        #expect(lines.contains("I'll write the note."))
        #expect(lines.contains("▶ str_replace_based_edit_tool create \(note)"))
        #expect(lines.contains("Now I'll show it."))
        #expect(lines.contains("▶ bash cat notes.txt"))
        #expect(lines.contains { $0.hasPrefix("  ✓ ") && $0.hasSuffix(" ms: alpha") })
        #expect(lines.contains("    beta"))
        #expect(lines.last == "The note has two lines.")
        // Steps are printed in order: the call, then its outcome.
        let call = try #require(lines.firstIndex(of: "▶ bash cat notes.txt"))
        #expect(lines[call + 1].hasPrefix("  ✓ "))
        #expect(try String(contentsOfFile: note, encoding: .utf8) == "alpha\nbeta\n")
    }

    @Test func aDesktopRunGivesBashTheDisplayAndTearsTheDesktopDown() async throws {
        // bash starts an xterm on the run's desktop; the computer tool's zoom of that corner shows it.
        let turns: JSONValue = [
            ["tool_use": [["name": "bash", "input": ["command": "echo display=$DISPLAY; (xterm -geometry 40x10+0+0 &)"]]]],
            ["tool_use": [["name": "computer", "input": ["action": "wait", "duration": 1]]]],
            ["tool_use": [["name": "computer", "input": ["action": "zoom", "region": [0, 0, 64, 32]]]]],
            ["tool_use": [["name": "computer", "input": ["action": "cursor_position"]]]],
            ["text": "done"],
        ]
        let result = try await agentctl(
            ["run", "--environment", "desktop", "--width", "1024", "--height", "768", "--json", "--script", try script(turns),
             "--cwd", directory.path, "Open a terminal"])
        #expect(result.status == 0)
        let events = result.stdout.lines.compactMap { try? JSONValue(parsing: $0) }
        let finished = events.filter { $0["type"] == "tool_call_finished" }
        #expect(finished.count == 4)
        let display = try #require(finished.first?["output"]?.stringValue)
        #expect(display.hasPrefix("display=:"))
        #expect(finished[2]["image"]?["media_type"] == "image/png")
        #expect(finished[3]["output"] == "X=0,Y=0" || finished[3]["output"]?.stringValue?.hasPrefix("X=") == true)
        // The desktop is gone with the run: no X server answers on that display any more.
        let number = String(display.dropFirst("display=:".count))
        #expect(!XSocketProbe.isLeftover(display: try #require(Int(number))))
    }

    @Test func jsonPrintsOneEventPerLine() async throws {
        let (script, note) = try noteScript()
        let result = try await agentctl(["run", "--json", "--script", script, "--cwd", directory.path, "Write a note"])
        #expect(result.status == 0)
        #expect(result.stderr.isEmpty)
        let events = try result.stdout.lines.map { line in
            let event = try JSONValue(parsing: line)
            #expect(event["type"]?.stringValue != nil, "no type: \(line)")
            return event
        }
        let types = events.compactMap { $0["type"]?.stringValue }
        #expect(types.prefix(2) == ["user_message", "turn_started"])
        #expect(types.last == "finished")
        #expect(events.last?["reason"]?.stringValue == "end_turn")
        #expect(types.filter { $0 == "turn_started" }.count == 3)
        #expect(types.contains("text_delta"))
        #expect(types.contains("assistant_message"))
        #expect(types.filter { $0 == "tool_call_started" }.count == 2)

        let finished = events.filter { $0["type"]?.stringValue == "tool_call_finished" }
        #expect(finished.count == 2)
        #expect(finished.map { $0["name"]?.stringValue } == ["str_replace_based_edit_tool", "bash"])
        #expect(finished.allSatisfy { $0["is_error"]?.boolValue == false })
        #expect(finished.last?["output"]?.stringValue?.contains("alpha\nbeta") == true)
        #expect(finished.last?["input"]?["command"]?.stringValue == "cat notes.txt")
        #expect(FileManager.default.fileExists(atPath: note))
    }

    @Test func limitWithJSONEndsTheStreamAndExplainsOnStderr() async throws {
        let again: JSONValue = ["tool_use": [["name": "bash", "input": ["command": "echo again"]]]]
        let script = try script([again, again, again, ["text": "never reached"]])
        let result = try await agentctl(["run", "--json", "--max-steps", "2", "--script", script, "--cwd", directory.path, "Loop"])
        #expect(result.status == 1)
        let last = try JSONValue(parsing: try #require(result.stdout.lines.last))
        #expect(last["type"]?.stringValue == "finished")
        #expect(last["reason"]?.stringValue == "max_steps")
        #expect(result.stderr.contains("max_steps"))
        #expect(!result.stdout.contains("never reached"))
    }

    @Test func bashDoesNotSeeTheAPIKey() async throws {
        let script = try script([
            ["tool_use": [["name": "bash", "input": ["command": "echo ${ANTHROPIC_API_KEY:-none}"]]]],
            ["text": "Checked."],
        ])
        let secret = "sk-ant-test-\(UUID().uuidString)"
        let result = try await agentctl(
            ["run", "--script", script, "--cwd", directory.path, "Print the key"],
            environment: ChildProcess.environment(["ANTHROPIC_API_KEY": secret]))
        #expect(result.status == 0)
        #expect(result.stdout.lines.contains { $0.hasPrefix("  ✓ ") && $0.hasSuffix(" ms: none") })
        #expect(!result.stdout.contains(secret))
        #expect(!result.stderr.contains(secret))
    }

    // MARK: Failures

    @Test func noKeyFailsAndNamesTheVariable() async throws {
        let result = try await agentctl(["run", "--cwd", directory.path, "What time is it?"])
        #expect(result.status == 1)
        #expect(!result.signalled)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.contains("ANTHROPIC_API_KEY"))
    }

    @Test func usageErrorThroughTheBinary() async throws {
        let result = try await agentctl(["run", "--max-steps", "none", "task"])
        #expect(result.status == 64)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.lines == [
            "Error: The value 'none' for '--max-steps' must be a whole number from 1 to 100000",
            "Usage: agentctl run [--model M] [--tools bash,edit,computer] [--environment none|desktop|browser|display] [--width W] [--height H] [--starting-url URL] [--max-steps N] [--system TEXT] [--cwd DIR] [--script FILE] [--json] \"TASK\"",
            "  See 'agentctl run --help' for more information.",
        ])
    }

    @Test func helpThroughTheBinary() async throws {
        let long = try await agentctl(["run", "--help"])
        let short = try await agentctl(["run", "-h"])
        let topic = try await agentctl(["help", "run"])
        #expect(long.status == 0)
        #expect(long.stderr.isEmpty)
        #expect(long.stdout.hasPrefix("OVERVIEW: "))
        #expect(long.stdout.contains("\nUSAGE: agentctl run "))
        #expect(long.stdout.contains("\nOPTIONS:\n"))
        #expect(short.stdout == long.stdout)
        #expect(topic.stdout == long.stdout)
        let unknown = try await agentctl(["launch"])
        #expect(unknown.status == 64)
        #expect(unknown.stderr.lines.first == "Error: Unknown subcommand 'launch'")
    }

    // MARK: Against the fake Messages API

    static func environment(for server: FakeMessagesServer, key: String = "test-key") -> [String: String] {
        ChildProcess.environment(["ANTHROPIC_API_KEY": key, "ANTHROPIC_BASE_URL": server.baseURL])
    }

    @Test func toolUseThenEndTurnAgainstTheAPI() async throws {
        let server = try FakeMessagesServer(apiKey: "test-key")
        defer { server.stop() }
        server.enqueue(.toolUse(id: "toolu_ctl_1", name: "bash", input: ["command": "echo from-the-shell"], text: "Running it."))
        server.enqueue(.text("The shell said hello."))

        let result = try await agentctl(
            ["run", "--cwd", directory.path, "Say hello through the shell"], environment: Self.environment(for: server))
        #expect(result.status == 0)
        #expect(result.stderr.isEmpty)
        let lines = result.stdout.lines
        #expect(lines.contains("Running it."))
        #expect(lines.contains("▶ bash echo from-the-shell"))
        #expect(lines.contains { $0.hasPrefix("  ✓ ") && $0.hasSuffix(" ms: from-the-shell") })
        #expect(lines.last == "The shell said hello.")

        let requests = server.requests
        try #require(requests.count == 2)
        #expect(requests[0].header("x-api-key") == "test-key")
        #expect(requests[0].model == ModelCatalog.defaultModel)
        #expect(requests[0].messages.first?.role == .user)
        let reply = try #require(requests[1].messages.last)
        #expect(reply.role == .user)
        let results = reply.content.compactMap { block -> ToolResultBlock? in
            if case .toolResult(let result) = block { result } else { nil }
        }
        try #require(results.count == 1)
        #expect(results[0].toolUseID == "toolu_ctl_1")
        #expect(!results[0].isError)
        let text = results[0].content.compactMap { block -> String? in
            if case .text(let text) = block { text.text } else { nil }
        }.joined()
        #expect(text.contains("from-the-shell"))
    }

    @Test func modelAndSystemOptionsReachTheRequest() async throws {
        let server = try FakeMessagesServer(apiKey: "test-key")
        defer { server.stop() }
        let result = try await agentctl(
            ["run", "--model", "claude-opus-4-1", "--system", "Answer in French.", "--tools", "bash",
             "--cwd", directory.path, "Hello"],
            environment: Self.environment(for: server))
        #expect(result.status == 0)
        #expect(result.stdout == "ok\n")
        let request = try #require(server.requests.first)
        #expect(request.model == "claude-opus-4-1")
        #expect(request.systemText?.contains("Answer in French.") == true)
        #expect(request.tools.compactMap { $0["name"]?.stringValue } == ["bash"])
    }

    @Test func wrongKeyFailsWithTheAPIMessage() async throws {
        let server = try FakeMessagesServer(apiKey: "test-key")
        defer { server.stop() }
        let result = try await agentctl(
            ["run", "--cwd", directory.path, "Hello"], environment: Self.environment(for: server, key: "wrong-key"))
        #expect(result.status == 1)
        #expect(result.stderr.contains("invalid x-api-key"))
        #expect(result.stderr.contains("authentication_error"))
        #expect(server.requestCount == 1)  // a 401 is not retried
    }

    @Test func maxStepsAgainstAModelThatKeepsCallingTools() async throws {
        let server = try FakeMessagesServer(apiKey: "test-key")
        defer { server.stop() }
        server.setResponder { _ in .toolUse(name: "bash", input: ["command": "echo more"]) }
        let result = try await agentctl(
            ["run", "--max-steps", "1", "--cwd", directory.path, "Never stop"], environment: Self.environment(for: server))
        #expect(result.status == 1)
        #expect(result.stderr.contains("max_steps"))
        #expect(result.stdout.contains("▶ bash echo more"))
        #expect(server.requestCount == 1)
    }

    // MARK: Ctrl-C

    @Test func interruptStopsALongCommandAndKillsIt() async throws {
        // The command reports its pid through a FIFO, then becomes `sleep 30` (exec keeps the pid).
        let fifo = directory.path + "/pid.fifo"
        try #require(mkfifo(fifo, 0o600) == 0)
        let reader = try FIFOReader(path: fifo)
        let script = try script([
            ["text": "Waiting.", "tool_use": [["name": "bash", "input": ["command": .string("sh -c 'echo $$ > \(fifo); exec sleep 30'")]]]],
            ["text": "never reached"],
        ])
        let process = try ChildProcess(
            ["run", "--script", script, "--cwd", directory.path, "Wait"], environment: ChildProcess.environment(),
            binary: binary)
        defer { process.killIfRunning() }

        let started = await process.wait(timeout: .seconds(20)) { $0.stdout.contains("▶ bash") || $0.isFinished }
        try #require(started?.stdout.contains("▶ bash") == true, "no step line: \(process.snapshot)")
        let line = try #require(await reader.readLine(timeout: .seconds(20)), "the command did not start")
        let sleepPID = try #require(pid_t(line.trimmingCharacters(in: .whitespaces)))
        let argv = ProcessInfo.commandLine(of: sleepPID)
        #expect(argv == ["sleep", "30"] || argv.first == "sh", "pid \(sleepPID) runs \(argv)")

        let interruptedAt = ContinuousClock.now
        process.send(SIGINT)
        let result = try #require(await process.finished(timeout: .seconds(10)), "agentctl ignored SIGINT")
        #expect(ContinuousClock.now - interruptedAt < .seconds(15))
        #expect(result.status == 1)
        #expect(!result.signalled)
        #expect(result.stderr.contains("stopped") || result.stderr.contains("interrupted"))
        #expect(!result.stdout.contains("never reached"))
        #expect(await ProcessInfo.isGone(sleepPID, commandLine: ["sleep", "30"]), "sleep 30 (pid \(sleepPID)) survived")
    }

    @Test func interruptWhileWaitingForTheModel() async throws {
        let server = try FakeMessagesServer(apiKey: "test-key")
        defer { server.stop() }
        server.enqueue(.stall(afterEvents: 0))  // the response head, then silence
        let process = try ChildProcess(
            ["run", "--cwd", directory.path, "Think hard"], environment: Self.environment(for: server), binary: binary)
        defer { process.killIfRunning() }

        try #require(await server.waitUntil(timeout: .seconds(20)) { $0.requestCount >= 1 }, "no request arrived")
        let interruptedAt = ContinuousClock.now
        process.send(SIGINT)
        let result = try #require(await process.finished(timeout: .seconds(10)), "agentctl ignored SIGINT")
        #expect(ContinuousClock.now - interruptedAt < .seconds(15))
        #expect(result.status == 1)
        #expect(!result.signalled)
        #expect(result.stderr.contains("interrupted"))
        #expect(server.requestCount == 1)
    }
}

/// Reads a line from a FIFO without blocking the cooperative pool, with a time limit.
struct FIFOReader: Sendable {
    private let fd: Int32

    /// Opens the FIFO read-write, so opening never blocks and reads wait for a writer's data.
    init(path: String) throws {
        fd = open(path, O_RDWR | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
    }

    /// The first line written, or nil when none came within `timeout`. Closes the FIFO.
    func readLine(timeout: Duration) async -> String? {
        let fd = self.fd
        return await withCheckedContinuation { continuation in
            Thread {
                defer { close(fd) }
                var text: [UInt8] = []
                let deadline = ContinuousClock.now + timeout
                while !text.contains(UInt8(ascii: "\n")) {
                    let left = (deadline - ContinuousClock.now).components
                    let milliseconds = left.seconds * 1000 + left.attoseconds / 1_000_000_000_000_000
                    guard milliseconds > 0 else { break }
                    var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
                    let ready = poll(&poller, 1, Int32(milliseconds))
                    if ready < 0, errno == EINTR { continue }
                    guard ready > 0 else { break }
                    var chunk = [UInt8](repeating: 0, count: 256)
                    let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
                    if count > 0 { text += chunk[0..<count] }
                }
                let line = text.split(separator: UInt8(ascii: "\n")).first.map { String(decoding: $0, as: UTF8.self) }
                continuation.resume(returning: line)
            }.start()
        }
    }
}

extension ProcessInfo {
    /// The argv of a live process, from /proc; empty when it is gone or a zombie.
    static func commandLine(of pid: pid_t) -> [String] {
        guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") else { return [] }
        return data.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
    }

    /// True when `pid` no longer runs `commandLine` (exited, a zombie, or the pid reused). A process
    /// killed with SIGKILL may take a moment to be torn down, so this allows it up to two seconds.
    static func isGone(_ pid: pid_t, commandLine expected: [String]) async -> Bool {
        let deadline = ContinuousClock.now + .seconds(2)
        while commandLine(of: pid) == expected {
            guard ContinuousClock.now < deadline else { return false }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return true
    }
}
