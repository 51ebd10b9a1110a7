import Foundation
import Testing
@testable import AgentCore
import AgentTesting

/// End-to-end tests of `BashTool`: real `/bin/bash` processes, checked the way a user would check them.
@Suite(.timeLimit(.minutes(2)))
struct BashToolTests {
    // MARK: - Definition and input

    @Test(arguments: BashVersion.allCases)
    func definitionNamesTheVersion(version: BashVersion) {
        let tool = BashTool(version: version)
        #expect(tool.name == "bash")
        #expect(tool.definition == ["type": .string(version.rawValue), "name": "bash"])
        #expect(tool.definition.serialized() == #"{"name":"bash","type":"\#(version.rawValue)"}"#)
    }

    @Test func defaultsMatchTheReference() {
        let tool = BashTool()
        #expect(tool.version == .v20250124)
        #expect(tool.timeout == 120)
        #expect(tool.maxOutputCharacters == 16000)
        #expect(tool.scrubbedEnvironmentNames == BashTool.defaultSecretNames)
    }

    @Test func missingCommandIsAToolError() async throws {
        try await withShell { shell async throws in
            for input: JSONValue in [[:], ["restart": false], ["command": 42], ["command": .null]] {
                await #expect(throws: ToolError("no command provided.")) {
                    try await shell.tool.run(input, context: shell.context)
                }
            }
            #expect(await shell.tool.shellProcessID == nil, "no shell is started for a rejected call")
        }
    }

    // MARK: - Running commands

    @Test func stdoutAndStderrAreSeparatedAndStripped() async throws {
        try await withShell { shell async throws in
            let result = try await shell.run("echo out; echo err >&2")
            #expect(result == ToolOutput(output: "out", error: "err"))
            // Only one trailing newline is removed; a missing one is not invented.
            #expect(try await shell.run(#"printf 'a\n\n'"#).output == "a\n")
            #expect(try await shell.run("printf x").output == "x")
            #expect(try await shell.run(#"printf 'crlf\r\n'"#).output == "crlf\r")
            #expect(try await shell.run("true") == ToolOutput())
        }
    }

    @Test func nonZeroStatusIsReported() async throws {
        try await withShell { shell async throws in
            #expect(try await shell.run("false") == ToolOutput(system: "exit status 1"))
            let missing = try await shell.run("ls /definitely/not/here")
            #expect(missing.system == "exit status 2")
            #expect(missing.error?.contains("No such file or directory") == true)
            #expect(try await shell.run("(exit 7)").system == "exit status 7")
        }
    }

    @Test func environmentAndDirectoryPersist() async throws {
        try await withShell { shell async throws in
            _ = try await shell.run("cd /tmp")
            #expect(try await shell.run("pwd").output == "/tmp")
            _ = try await shell.run("export BASH_TOOL_X=1; counter=41")
            #expect(try await shell.run("echo $BASH_TOOL_X $((counter + 1))").output == "1 42")
            _ = try await shell.run("greet() { echo \"hi $1\"; }")
            #expect(try await shell.run("greet you").output == "hi you")
        }
    }

    @Test func startsInTheSessionDirectoryCreatingIt() async throws {
        try await withShell(subdirectory: "nested/work dir") { shell async throws in
            #expect(!FileManager.default.fileExists(atPath: shell.context.workingDirectory))
            #expect(try await shell.run("pwd").output == shell.context.workingDirectory)
            #expect(FileManager.default.fileExists(atPath: shell.context.workingDirectory))
            #expect(try await shell.run("echo ${OLDPWD:-unset}").output == "unset")
        }
    }

    @Test func contextEnvironmentIsAdded() async throws {
        try await withShell(environment: ["DISPLAY": ":42", "BASH_TOOL_EXTRA": "a b"]) { shell async throws in
            #expect(try await shell.run(#"echo "$DISPLAY|$BASH_TOOL_EXTRA""#).output == ":42|a b")
        }
    }

    @Test func multiLineCommandsAndHereDocuments() async throws {
        try await withShell { shell async throws in
            let script = """
                cat > notes.txt <<'EOF'
                it's "quoted" $HOME
                EOF
                for i in 1 2; do
                  echo "line $i"
                done
                cat notes.txt
                """
            #expect(try await shell.run(script).output == "line 1\nline 2\nit's \"quoted\" $HOME")
        }
    }

    @Test func commandsCannotFakeTheEndOfOutput() async throws {
        try await withShell { shell async throws in
            // The demo's own marker, and lookalikes of ours, are just output.
            let result = try await shell.run(#"echo '<<exit>>'; printf '\n<<agentd:x:exit:0>>\n'; echo after"#)
            #expect(result.output == "<<exit>>\n\n<<agentd:x:exit:0>>\nafter")
        }
    }

    @Test func syntaxErrorsDoNotKillTheShell() async throws {
        try await withShell { shell async throws in
            let broken = try await shell.run("if then fi; echo 'unclosed")
            #expect(broken.error?.contains("syntax error") == true || broken.error?.contains("unexpected") == true)
            #expect(broken.system == "exit status 2")
            #expect(try await shell.run("echo alive").output == "alive")
        }
    }

    @Test func commandsReadingStdinGetEndOfFile() async throws {
        try await withShell(timeout: 10) { shell async throws in
            let result = try await shell.run("cat; read -r line; echo \"done:${line:-eof}\"")
            #expect(result.output == "done:eof")
            #expect(result.system == nil)
        }
    }

    @Test func invalidUTF8BecomesReplacementCharacters() async throws {
        try await withShell { shell async throws in
            #expect(try await shell.run(#"printf 'a\377b'"#).output == "a\u{FFFD}b")
        }
    }

    @Test func largeCommandTextIsWrittenWithoutBlocking() async throws {
        try await withShell { shell async throws in
            let payload = String(repeating: "x", count: 300_000)
            #expect(try await shell.run("printf '%s' '\(payload)' | wc -c").output?.trimmingCharacters(in: .whitespaces) == "300000")
        }
    }

    @Test func backgroundJobsDoNotHoldTheCommand() async throws {
        try await withShell(timeout: 10) { shell async throws in
            let result = try await shell.run("sleep 300 & echo started")
            #expect(result.output == "started")
            await shell.tool.shutdown()
        }
    }

    @Test func redirectedShellStderrOnlyCostsTheGracePeriod() async throws {
        try await withShell(timeout: 10) { shell async throws in
            _ = try await shell.run("exec 2>/dev/null")
            #expect(try await shell.run("echo still here; echo hidden >&2") == ToolOutput(output: "still here"))
        }
    }

    // MARK: - Output cap

    @Test func outputIsClippedAtTheCharacterCap() async throws {
        try await withShell(maxOutputCharacters: 100) { shell async throws in
            let notice = "<response clipped><NOTE>To save on context only part of this file has been shown to you. "
                + "You should retry this tool after you have searched inside the file with `grep -n` in order to "
                + "find the line numbers of what you are looking for.</NOTE>"
            let long = try await shell.run("head -c 250 /dev/zero | tr '\\0' a; head -c 150 /dev/zero | tr '\\0' e >&2")
            #expect(long.output == String(repeating: "a", count: 100) + notice)
            #expect(long.error == String(repeating: "e", count: 100) + notice)
            let exact = try await shell.run("head -c 100 /dev/zero | tr '\\0' b")
            #expect(exact.output == String(repeating: "b", count: 100))
            // Characters, not bytes: 100 "é" (200 bytes) fit.
            #expect(try await shell.run("for i in $(seq 100); do printf 'é'; done").output == String(repeating: "é", count: 100))
        }
    }

    @Test func floodsAreBoundedAndTheShellStaysUsable() async throws {
        try await withShell(timeout: 60) { shell async throws in
            // 6 MiB, past the 4 MiB read buffer.
            let flood = try await shell.run("head -c 6291456 /dev/zero | tr '\\0' y")
            #expect(flood.output?.hasPrefix(String(repeating: "y", count: 16000) + "<response clipped>") == true)
            #expect(flood.output?.unicodeScalars.count == 16000 + BashMessages.clipped.unicodeScalars.count)
            #expect(try await shell.run("echo next").output == "next")
        }
    }

    // MARK: - Timeout, exit, restart

    @Test func timeoutReturnsPartialOutputUntilRestarted() async throws {
        try await withShell(timeout: 1) { shell async throws in
            let message = "timed out: bash has not returned in 1.0 seconds and must be restarted"
            let started = ContinuousClock.now
            let result = try await shell.run("echo partial; sleep 5")
            #expect(ContinuousClock.now - started < .seconds(45))
            #expect(result == ToolOutput(output: "partial", error: message, system: "tool must be restarted"))

            await #expect(throws: ToolError(message)) { try await shell.run("echo again") }
            await #expect(throws: ToolError(message)) { try await shell.run("echo and again") }

            let restarted = try await shell.tool.run(["restart": true], context: shell.context)
            #expect(restarted == ToolOutput(output: "tool has been restarted.", system: "tool has been restarted."))
            #expect(try await shell.run("echo ok").output == "ok")
        }
    }

    @Test func timeoutKeepsPartialStderrBeforeTheMessage() async throws {
        try await withShell(timeout: 1) { shell async throws in
            let result = try await shell.run("echo out; echo 'compiling…' >&2; sleep 5")
            #expect(result.output == "out")
            #expect(result.error == "compiling…\ntimed out: bash has not returned in 1.0 seconds and must be restarted")
        }
    }

    @Test func endlessFloodTimesOutWithClippedOutput() async throws {
        try await withShell(timeout: 0.5) { shell async throws in
            let started = ContinuousClock.now
            let result = try await shell.run("yes")
            #expect(ContinuousClock.now - started < .seconds(45))
            #expect(result.output?.hasPrefix("y\ny\n") == true)
            #expect(result.output?.hasSuffix(BashMessages.clipped) == true)
            #expect(result.output?.unicodeScalars.count == 16000 + BashMessages.clipped.unicodeScalars.count)
            #expect(result.error == "timed out: bash has not returned in 0.5 seconds and must be restarted")
        }
    }

    @Test func timeoutFormatsTheNumberLikeTheDemo() async throws {
        try await withShell(timeout: 0.5) { shell async throws in
            let result = try await shell.run("sleep 5")
            #expect(result.error == "timed out: bash has not returned in 0.5 seconds and must be restarted")
            #expect(result.output == nil)
        }
    }

    @Test func timedOutCommandIsKilled() async throws {
        try await withShell(timeout: 1) { shell async throws in
            let result = try await shell.run("echo $$; sleep 30")
            let pid = try #require(result.output.flatMap { Int32($0) })
            #expect(ProcessProbe.isGone(pid), "the timed-out shell is killed and reaped")
        }
    }

    @Test func stoppedShellIsStillTornDownCleanly() async throws {
        try await withShell(timeout: 1) { shell async throws in
            let result = try await shell.run("sleep 300 & echo $$ $! > pids; kill -STOP $$")
            #expect(result.error == "timed out: bash has not returned in 1.0 seconds and must be restarted")
            let text = try String(contentsOfFile: shell.context.workingDirectory + "/pids", encoding: .utf8)
            let pids = text.split(whereSeparator: \.isWhitespace).compactMap { Int32($0) }
            try #require(pids.count == 2)
            for pid in pids { #expect(ProcessProbe.isGone(pid), "pid \(pid): \(ProcessProbe.state(pid) ?? "-")") }
        }
    }

    @Test func exitIsReportedUntilRestarted() async throws {
        try await withShell { shell async throws in
            let first = try await shell.run("echo $$; echo bye; echo 'why it ended' >&2; exit 3")
            let lines = try #require(first.output?.split(separator: "\n"))
            #expect(lines.last == "bye")
            #expect(first.error == "why it ended\nbash has exited with returncode 3")
            #expect(first.system == "tool must be restarted")
            #expect(ProcessProbe.isGone(try #require(Int32(lines[0]))))

            let later = try await shell.run("echo hello")
            #expect(later == ToolOutput(error: "bash has exited with returncode 3", system: "tool must be restarted"))

            _ = try await shell.tool.run(["restart": true], context: shell.context)
            #expect(try await shell.run("echo hello").output == "hello")
        }
    }

    @Test func shellKilledBySignalReportsNegativeReturnCode() async throws {
        try await withShell { shell async throws in
            let result = try await shell.run("kill -9 $$")
            #expect(result.error == "bash has exited with returncode -9")
        }
    }

    @Test func restartStartsAFreshShell() async throws {
        try await withShell { shell async throws in
            // Restart before any command also starts the shell.
            _ = try await shell.tool.run(["restart": true, "command": "ignored"], context: shell.context)
            let firstPID = try #require(await shell.tool.shellProcessID)
            _ = try await shell.run("export KEEP=1; cd /")
            _ = try await shell.tool.run(["restart": true], context: shell.context)
            let result = try await shell.run("echo \"$$ ${KEEP:-gone}\"; pwd")
            #expect(result.output == "\(try #require(await shell.tool.shellProcessID)) gone\n\(shell.context.workingDirectory)")
            #expect(await shell.tool.shellProcessID != firstPID)
            #expect(ProcessProbe.isGone(firstPID))
        }
    }

    // MARK: - Environment scrubbing

    @Test func secretsFromAgentdsEnvironmentAreNotVisible() async throws {
        try await withShell(scrubbing: BashTool.defaultSecretNames.union(["BASH_TOOL_CUSTOM_SECRET_NAME"])) { shell async throws in
            let canaries = [
                "ANTHROPIC_API_KEY": "sk-ant-CANARY",
                "BASH_TOOL_CANARY_API_KEY": "c1", "BASH_TOOL_CANARY_TOKEN": "c2",
                "bash_tool_canary_secret": "c3", "BASH_TOOL_CANARY_PASSWORD": "c4",
                "BASH_TOOL_CUSTOM_SECRET_NAME": "c5", "BASH_TOOL_VISIBLE": "shown",
            ]
            // The shell copies the environment when it starts: set the canaries just for that moment, so
            // other suites in this process do not see a fake API key. An existing value is left alone.
            var added: [String] = []
            for (name, value) in canaries where getenv(name) == nil {
                setenv(name, value, 1)
                added.append(name)
            }
            let result: ToolOutput
            do {
                defer { for name in added { unsetenv(name) } }
                result = try await shell.run(#"echo "${ANTHROPIC_API_KEY:-none}""#)
            }
            #expect(result.output == "none")
            let listing = try await shell.run("env")
            let names = Set((listing.output ?? "").split(separator: "\n").compactMap { $0.split(separator: "=").first.map(String.init) })
            for name in canaries.keys where name != "BASH_TOOL_VISIBLE" {
                #expect(!names.contains(name), "\(name) leaked into the shell")
            }
            if added.contains("BASH_TOOL_VISIBLE") { #expect(names.contains("BASH_TOOL_VISIBLE")) }
            #expect(!(listing.output ?? "").contains("sk-ant-CANARY"))
        }
    }

    // MARK: - Process lifetime

    @Test func shellRunsInItsOwnSessionAndProcessGroup() async throws {
        try await withShell { shell async throws in
            let result = try await shell.run("echo $$; cut -d' ' -f5,6 /proc/$$/stat")
            let lines = try #require(result.output?.split(separator: "\n").map(String.init))
            #expect(lines.count == 2)
            #expect(lines[1] == "\(lines[0]) \(lines[0])", "process group and session are the shell's own pid")
            #expect(Int32(lines[0]) == (await shell.tool.shellProcessID))
        }
    }

    @Test func shutdownKillsTheWholeGroupAndReapsIt() async throws {
        try await withShell { shell async throws in
            let started = try await shell.run("""
                sleep 300 &
                echo $! > job.pid
                (sleep 301 & echo $! > grandchild.pid; wait) &
                echo $$
                until [ -s grandchild.pid ]; do sleep 0.01; done
                cat job.pid grandchild.pid
                """)
            let pids = try #require(started.output?.split(separator: "\n").compactMap { Int32($0) })
            try #require(pids.count == 3)
            for pid in pids { #expect(ProcessProbe.isRunning(pid)) }

            await shell.tool.shutdown()

            for pid in pids {
                #expect(ProcessProbe.isGone(pid), "pid \(pid) is still in the process table (state \(ProcessProbe.state(pid) ?? "-"))")
            }
            #expect(await shell.tool.shellProcessID == nil)
            // A later call starts a new shell.
            #expect(try await shell.run("echo back").output == "back")
        }
    }

    @Test func releasingTheToolKillsTheShell() async throws {
        try await withShell { shell async throws in
            var pids: [Int32] = []
            do {
                let tool = BashTool(timeout: 10)
                let output = try await tool.run(["command": "sleep 300 & echo $$ $!"], context: shell.context).output
                pids = (output ?? "").split(separator: " ").compactMap { Int32($0) }
            }
            try #require(pids.count == 2)
            let gone = await ProcessProbe.waitUntil { pids.allSatisfy(ProcessProbe.isGone) }
            #expect(gone, "bash and its job are gone after the last reference is dropped")
        }
    }

    @Test func cancellationKillsTheShellAndTheNextCallStartsFresh() async throws {
        try await withShell(timeout: 60) { shell async throws in
            let pidFile = shell.context.workingDirectory + "/running.pid"
            let task = Task {
                try await shell.run("echo $$ > running.pid; sleep 300")
            }
            let wrote = await ProcessProbe.waitUntil {
                ((try? String(contentsOfFile: pidFile, encoding: .utf8)) ?? "").hasSuffix("\n")
            }
            try #require(wrote)
            let pid = try #require(Int32(try String(contentsOfFile: pidFile, encoding: .utf8).trimmingCharacters(in: .newlines)))
            let started = ContinuousClock.now
            task.cancel()
            await #expect(throws: CancellationError.self) { try await task.value }
            #expect(ContinuousClock.now - started < .seconds(20))
            #expect(ProcessProbe.isGone(pid))

            let next = try await shell.run("echo $$")
            #expect(next.output != nil && next.output != "\(pid)")
        }
    }

    @Test func secondCommandWhileOneRunsIsRejected() async throws {
        try await withShell(timeout: 60) { shell async throws in
            let startedFile = shell.context.workingDirectory + "/started"
            let task = Task { try await shell.run("touch started; sleep 300") }
            try #require(await ProcessProbe.waitUntil { FileManager.default.fileExists(atPath: startedFile) })
            await #expect(throws: ToolError(BashMessages.busy)) { try await shell.run("echo hi") }
            task.cancel()
            await #expect(throws: CancellationError.self) { try await task.value }
            #expect(try await shell.run("echo hi").output == "hi")
        }
    }

    @Test func alreadyCancelledTaskStartsNothing() async throws {
        try await withShell { shell async throws in
            let task = Task {
                withUnsafeCurrentTask { $0?.cancel() }
                return try await shell.run("echo hi")
            }
            await #expect(throws: CancellationError.self) { try await task.value }
            #expect(await shell.tool.shellProcessID == nil)
        }
    }

    @Test func toolsHaveSeparateShells() async throws {
        try await withShell { first async throws in
            try await withShell { second async throws in
                async let a = first.run("export WHO=first; echo $$")
                async let b = second.run("export WHO=second; echo $$")
                let (pidA, pidB) = try await (a.output, b.output)
                #expect(pidA != pidB)
                #expect(try await first.run("echo $WHO").output == "first")
                #expect(try await second.run("echo $WHO").output == "second")
            }
        }
    }

    /// Two hundred commands in a row on one shell each answer with their own output (the round-trip time is
    /// printed for reference; it is a benchmark figure, not a test condition).
    @Test func manyCommandsInARowEachGetTheirOwnOutput() async throws {
        try await withShell { shell async throws in
            _ = try await shell.run("true")  // start the shell
            let count = 200
            var answered = 0
            let elapsed = try await ContinuousClock().measure {
                for index in 0..<count where try await shell.run("echo \(index)").output == "\(index)" {
                    answered += 1
                }
            }
            print("bash round trip: \(elapsed / count) on average over \(count) commands")
            #expect(answered == count)
        }
    }
}

// MARK: - Helpers

/// A `BashTool` with its own temporary working directory.
private struct Shell {
    let tool: BashTool
    let context: ToolContext
    private let root: String

    init(
        timeout: Double = 20, maxOutputCharacters: Int = 16000, subdirectory: String? = nil,
        environment: [String: String] = [:], scrubbing: Set<String> = BashTool.defaultSecretNames
    ) throws {
        let root = FileManager.default.temporaryDirectory.path + "/bash-tool-tests/" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        self.root = root
        let directory = subdirectory.map { root + "/" + $0 } ?? root
        tool = BashTool(timeout: timeout, maxOutputCharacters: maxOutputCharacters, scrubbedEnvironmentNames: scrubbing)
        context = ToolContext(sessionID: "test", workingDirectory: directory, environment: environment)
    }

    func run(_ command: String) async throws -> ToolOutput {
        try await tool.run(["command": .string(command)], context: context)
    }

    /// Shuts the shell down (reaping it before the test process can exit) and removes the directory.
    func finish() async {
        await tool.shutdown()
        try? FileManager.default.removeItem(atPath: root)
    }
}

/// Runs `body` with a fresh `Shell` and always finishes it.
private func withShell(
    timeout: Double = 20, maxOutputCharacters: Int = 16000, subdirectory: String? = nil,
    environment: [String: String] = [:], scrubbing: Set<String> = BashTool.defaultSecretNames,
    _ body: (Shell) async throws -> Void
) async throws {
    let shell = try Shell(
        timeout: timeout, maxOutputCharacters: maxOutputCharacters, subdirectory: subdirectory,
        environment: environment, scrubbing: scrubbing
    )
    do {
        try await body(shell)
    } catch {
        await shell.finish()
        throw error
    }
    await shell.finish()
}

/// Looks processes up in `/proc`, as a user would with `ps`.
private enum ProcessProbe {
    /// The state letter from `/proc/<pid>/stat` (`S`, `R`, `Z`, …), or nil when the pid is not in the table.
    static func state(_ pid: Int32) -> String? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return nil }
        return stat[stat.index(after: close)...].split(separator: " ").first.map(String.init)
    }

    /// Gone means reaped: not even a zombie is left.
    static func isGone(_ pid: Int32) -> Bool { state(pid) == nil }

    static func isRunning(_ pid: Int32) -> Bool {
        guard let state = state(pid) else { return false }
        return state != "Z" && state != "X"
    }

    /// Polls `condition` until it holds or `timeout` passes.
    static func waitUntil(timeout: Duration = .seconds(30), _ condition: () -> Bool) async -> Bool {
        await pollUntil(timeout: timeout, every: .milliseconds(5), condition)
    }
}
