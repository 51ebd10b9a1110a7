import AgentCore
import AgentTesting
import CommandLineSupport
import Foundation
import Testing
@testable import agentctl

/// `agentctl health` and the `sessions` verbs that do not follow a run, against a real agentd in-process.
@Suite(.timeLimit(.minutes(1)))
struct SessionsCommandTests {
    @Test func healthSaysOKAndItsJSONIsTheAPIAnswer() async throws {
        let agentd = try await AgentdHarness()
        defer { Task { await agentd.finish() } }
        let (code, output) = await agentd.agentctl(["health"])
        #expect(code == .success)
        #expect(output.stderr.isEmpty)
        #expect(output.stdout.hasPrefix("ok: agentd "))
        #expect(output.stdout.hasSuffix("0 live sessions\n"))
        let json = await agentd.agentctl(["--json", "health"])
        #expect(json.code == .success)
        let answer = try JSONValue(parsing: json.output.stdout)
        #expect(answer["status"] == "ok")
        // --server wins over $AGENTD_URL.
        let explicit = await AgentCtl.run(["health", "--server", agentd.url], environment: ["AGENTD_URL": "http://127.0.0.1:1"],
                                          output: MemoryOutput())
        #expect(explicit == .success)
    }

    @Test func createPrintsTheIdAndShowAndListFindIt() async throws {
        let agentd = try await AgentdHarness()
        defer { Task { await agentd.finish() } }
        let id = try await agentd.create(["--name", "first", "--tag", "blue", "--tag", "big", "--tools", "bash,edit",
                                          "--max-steps", "7", "--model", "claude-test-model"])
        #expect(!id.isEmpty && !id.contains(" "))
        let record = try await agentd.service.session(id)
        #expect(record.name == "first")
        #expect(record.tags == ["blue", "big"])
        #expect(record.configuration.tools == ["bash", "edit"])
        #expect(record.configuration.limits.maxSteps == 7)
        #expect(record.configuration.model == "claude-test-model")

        let show = await agentd.agentctl(["sessions", "show", id])
        #expect(show.code == .success)
        #expect(show.output.stdout.lines.contains("id:          \(id)"))
        #expect(show.output.stdout.lines.contains("status:      idle"))
        #expect(show.output.stdout.lines.contains("tags:        blue, big"))
        let showJSON = await agentd.agentctl(["sessions", "show", id, "--json"])
        #expect(try JSONValue(parsing: showJSON.output.stdout)["id"]?.stringValue == id)

        let second = try await agentd.create(["--name", "second"])
        let list = await agentd.agentctl(["sessions", "list"])
        #expect(list.code == .success)
        let lines = list.output.stdout.lines
        #expect(lines.first?.hasPrefix("ID") == true)
        #expect(lines.first?.contains("STATUS") == true && lines.first?.hasSuffix("CREATED") == true)
        #expect(lines.count == 3)
        #expect(lines.contains { $0.hasPrefix(id) && $0.contains("idle") && $0.contains("first") })
        #expect(lines.contains { $0.hasPrefix(second) && $0.contains("second") })
        // The columns line up: each row's status starts where the header's does.
        let statusColumn = try #require(lines[0].range(of: "STATUS")).lowerBound.utf16Offset(in: lines[0])
        for row in lines.dropFirst() {
            #expect(row.dropFirst(statusColumn).hasPrefix("idle"), "misaligned: \(row)")
        }

        let json = await agentd.agentctl(["sessions", "list", "--json"])
        let page = try JSONValue(parsing: json.output.stdout)
        #expect(page["total"] == 2)
        #expect(Set(page["sessions"]?.arrayValue?.compactMap { $0["id"]?.stringValue } ?? []) == [id, second])

        let tagged = await agentd.agentctl(["sessions", "list", "--tag", "blue", "--json"])
        #expect(try JSONValue(parsing: tagged.output.stdout)["sessions"]?.arrayValue?.compactMap { $0["id"]?.stringValue } == [id])
        let limited = await agentd.agentctl(["sessions", "list", "--limit", "1", "--offset", "1"])
        #expect(limited.output.stdout.lines.count == 2)
        let idle = await agentd.agentctl(["sessions", "list", "--status", "completed"])
        #expect(idle.output.stdout.lines.count == 1)
    }

    @Test func createWithJSONPrintsTheSession() async throws {
        let agentd = try await AgentdHarness()
        defer { Task { await agentd.finish() } }
        let (code, output) = await agentd.agentctl(["sessions", "create", "--json", "--name", "n"])
        #expect(code == .success)
        let session = try JSONValue(parsing: output.stdout)
        #expect(session["name"] == "n" && session["status"] == "idle")
    }

    @Test func deleteRemovesTheSession() async throws {
        let agentd = try await AgentdHarness()
        defer { Task { await agentd.finish() } }
        let id = try await agentd.create()
        let delete = await agentd.agentctl(["sessions", "delete", id])
        #expect(delete.code == .success)
        #expect(delete.output.stdout == "deleted \(id)\n")
        let show = await agentd.agentctl(["sessions", "show", id])
        #expect(show.code == .failure)
        #expect(show.output.stderr.contains("HTTP 404"))
    }

    @Test func apiErrorsExitOneWithTheEnvelopesDetail() async throws {
        let agentd = try await AgentdHarness(script: #"[{"text": "Done."}]"#)
        defer { Task { await agentd.finish() } }
        let id = try await agentd.create(["--message", "hi"])
        #expect(try await agentd.settle(id) == .completed)
        for verb in ["stop", "pause"] {
            var detail = ""
            do {
                _ = verb == "stop" ? try await agentd.service.stop(id) : try await agentd.service.pause(id)
            } catch {
                detail = "\(error)"
            }
            try #require(!detail.isEmpty, "\(verb) of a completed session succeeded")
            let (code, output) = await agentd.agentctl(["sessions", verb, id])
            #expect(code == .failure)
            #expect(output.stdout.isEmpty)
            #expect(output.stderr == "agentctl: \(detail) (HTTP 409)\n")
        }
        let approve = await agentd.agentctl(["sessions", "approve", id])
        #expect(approve.code == .failure)
        #expect(approve.output.stderr == "agentctl: session \(id) has no pending approval\n")
        let missing = await agentd.agentctl(["sessions", "show", "no-such-session"])
        #expect(missing.code == .failure)
        #expect(missing.output.stderr.hasPrefix("agentctl: "))
        #expect(missing.output.stderr.hasSuffix("(HTTP 404)\n"))
        let badStatus = await agentd.agentctl(["sessions", "list", "--status", "sleeping"])
        #expect(badStatus.code == .failure)
        #expect(badStatus.output.stderr.contains("unknown status 'sleeping'"))
    }

    @Test func aScreenshotThatDoesNotExistIsAClearFailure() async throws {
        let agentd = try await AgentdHarness()
        defer { Task { await agentd.finish() } }
        let id = try await agentd.create()
        let file = agentd.sessions.directory + "/shot.png"
        let (code, output) = await agentd.agentctl(["sessions", "screenshot", id, "-o", file])
        #expect(code == .failure)
        #expect(output.stderr == "agentctl: the session has no screenshot yet (HTTP 404)\n")
        #expect(!FileManager.default.fileExists(atPath: file))
    }

    @Test(arguments: [["health"], ["sessions", "list"], ["sessions", "show", "x"], ["sessions", "send", "x", "hi"],
                      ["sessions", "events", "x", "--follow"]])
    func anUnreachableServerExitsSixtyNine(arguments: [String]) async throws {
        let url = try await AgentdHarness.closedPortURL()
        let output = MemoryOutput()
        let code = await AgentCtl.run(arguments, environment: ["AGENTD_URL": url], output: output)
        #expect(code == .unavailable)
        #expect(code.rawValue == 69)
        #expect(output.stdout.isEmpty)
        #expect(output.stderr.hasPrefix("agentctl: cannot reach agentd at \(url)"))
    }

    @Test(arguments: [
        (["sessions"], "Missing subcommand", "agentctl sessions"),
        (["sessions", "bogus"], "Unknown subcommand 'bogus'", "agentctl sessions"),
        (["sessions", "show"], "Missing the ID argument", "agentctl sessions show"),
        (["sessions", "show", "a", "b"], "Unexpected argument 'b'", "agentctl sessions show"),
        (["sessions", "send", "a"], "Missing the TEXT argument", "agentctl sessions send"),
        (["sessions", "create", "--environment", "mars"], "The value 'mars' for '--environment' must be none, desktop or browser",
         "agentctl sessions create"),
        (["sessions", "create", "--starting-url", "https://example.com"], "'--starting-url' needs '--environment browser'",
         "agentctl sessions create"),
        (["sessions", "list", "--limit", "0"], "The value '0' for '--limit' must be a whole number from 1 to 1000",
         "agentctl sessions list"),
        (["sessions", "list", "--bogus"], "Unknown option '--bogus'", "agentctl sessions list"),
        (["sessions", "events", "x", "--after", "-1"], "The value '-1' for '--after' must be a whole number from 0 to \(Int.max)",
         "agentctl sessions events"),
        (["sessions", "screenshot", "x"], "Missing '-o FILE'", "agentctl sessions screenshot"),
        (["health", "extra"], "Unexpected argument 'extra'", "agentctl health"),
    ])
    func usageErrorsExitSixtyFour(arguments: [String], message: String, command: String) async throws {
        let (code, output) = await runInProcess(arguments, environment: ["AGENTD_URL": "http://127.0.0.1:1"])
        #expect(code == .usage)
        #expect(output.stdout.isEmpty)
        let lines = output.stderr.lines
        #expect(lines.count == 3)
        #expect(lines.first == "Error: \(message)")
        #expect(lines.dropFirst().first?.hasPrefix("Usage: \(command) ") == true)
        #expect(lines.last == "  See '\(command) --help' for more information.")
    }

    @Test func aServerThatIsNotAURLIsAUsageError() async {
        let (code, output) = await runInProcess(["--server", "localhost:8000", "health"])
        #expect(code == .usage)
        #expect(output.stderr.lines.first == "Error: The server 'localhost:8000' must be an http:// or https:// URL")
        let run = await runInProcess(["--server", "http://x", "run", "task"])
        #expect(run.code == .usage)
    }

    @Test func helpForSessionsAndEachVerb() async {
        let group = await runInProcess(["help", "sessions"])
        #expect(group.code == .success)
        #expect(group.output.stdout.hasPrefix("OVERVIEW: Create, drive and follow sessions on agentd.\n"))
        for verb in ["create", "list", "show", "send", "events", "approve", "deny", "stop", "pause", "resume", "screenshot", "delete"] {
            #expect(group.output.stdout.lines.contains { $0.hasPrefix("  \(verb) ") }, "SUBCOMMANDS lacks \(verb)")
            let long = await runInProcess(["sessions", verb, "--help"])
            let topic = await runInProcess(["help", "sessions", verb])
            let nested = await runInProcess(["sessions", "help", verb])
            #expect(long.code == .success)
            #expect(long.output.stdout.contains("\nUSAGE: agentctl sessions \(verb) "))
            #expect(topic.output.stdout == long.output.stdout)
            #expect(nested.output.stdout == long.output.stdout)
            // A 24-column gutter, as in `agentctl run --help`.
            for row in long.output.stdout.lines.drop(while: { $0 != "OPTIONS:" }).dropFirst() {
                #expect(row.prefix(24).last == " " && row.dropFirst(24).first != " ", "misaligned: \(row)")
            }
        }
        #expect(await runInProcess(["sessions", "-h"]).output.stdout == group.output.stdout)
        #expect(await runInProcess(["help", "health"]).output.stdout == (await runInProcess(["health", "--help"])).output.stdout)
    }
}
