import AgentCore
import Foundation
import Testing
@testable import agentctl

/// `agentctl agents create | list | show | update | delete | logs` against a real agentd.
@Suite(.timeLimit(.minutes(1)))
struct AgentsCommandTests {
    @Test func createListShowUpdateAndDelete() async throws {
        let agentd = try await PlatformHarness()
        defer { Task { await agentd.finish() } }
        try await agentd.loggedIn("ada")

        let id = try await agentd.succeed(["agents", "create", "summariser", "--description", "Sums things up"])
        #expect(Int(id) != nil)
        let second = try await agentd.succeed(["agents", "create", "translator"])
        let created = try JSONValue(parsing: try await agentd.succeed(["agents", "create", "third", "--json"]))
        #expect(created["status"] == "draft" && created["current_version_id"] == .null)

        let list = await agentd.agentctl(["agents", "list"])
        #expect(list.code == .success)
        let lines = list.output.stdout.lines
        #expect(lines.first?.hasPrefix("ID") == true && lines.first?.contains("NAME") == true && lines.count == 4)
        #expect(lines.contains { $0.hasPrefix(id + " ") && $0.contains("summariser") && $0.contains("draft") })
        let page = await agentd.agentctl(["agents", "list", "--skip", "1", "--limit", "1", "--json"])
        #expect(try JSONValue(parsing: page.output.stdout).arrayValue?.compactMap { $0["name"]?.stringValue } == ["translator"])

        let show = await agentd.agentctl(["agents", "show", id])
        #expect(show.code == .success)
        #expect(show.output.stdout.lines.contains("name:        summariser"))
        #expect(show.output.stdout.lines.contains("description: Sums things up"))
        #expect(show.output.stdout.lines.contains("version:     none ready"))

        let update = await agentd.agentctl(["agents", "update", id, "--name", "summarizer", "--description", "", "--status", "archived", "--json"])
        #expect(update.code == .success, "\(update.output.stderr)")
        let updated = try JSONValue(parsing: update.output.stdout)
        #expect(updated["name"] == "summarizer" && updated["description"] == .null && updated["status"] == "archived")
        let restored = await agentd.agentctl(["agents", "update", id, "--status", "draft"])
        #expect(restored.output.stdout.lines.contains("status:      draft"))
        // Only archiving is the client's to set; agentd says so.
        let refused = await agentd.agentctl(["agents", "update", id, "--status", "ready"])
        #expect(refused.code == .failure)
        #expect(refused.output.stderr == "agentctl: status may only be set to archived (or back from archived) (HTTP 400)\n")

        let logs = await agentd.agentctl(["agents", "logs", id])
        #expect(logs.code == .success && logs.output.stdout.isEmpty)

        let delete = await agentd.agentctl(["agents", "delete", second])
        #expect(delete.output.stdout == "deleted agent \(second)\n")
        let gone = await agentd.agentctl(["agents", "show", second])
        #expect(gone.code == .failure)
        #expect(gone.output.stderr == "agentctl: Agent not found (HTTP 404)\n")
    }

    @Test func anotherUsersAgentIsNotFound() async throws {
        let agentd = try await PlatformHarness()
        defer { Task { await agentd.finish() } }
        let ada = try await agentd.apiKey(of: try await agentd.register("ada"))
        let bob = try await agentd.apiKey(of: try await agentd.register("bob"))
        let id = try await agentd.succeed(["agents", "create", "private"], environment: ["AGENTD_API_KEY": ada])
        let (code, output) = await agentd.agentctl(["agents", "show", id], environment: ["AGENTD_API_KEY": bob])
        #expect(code == .failure)
        #expect(output.stderr == "agentctl: Agent not found (HTTP 404)\n")
        #expect(try await agentd.succeed(["agents", "list", "--json"], environment: ["AGENTD_API_KEY": bob]) == "[]")
    }

    @Test func withoutACredentialThePlatformSaysToLogIn() async throws {
        let agentd = try await PlatformHarness()
        defer { Task { await agentd.finish() } }
        for arguments in [["agents", "list"], ["executions", "list"], ["api-keys", "list"], ["whoami"]] {
            let (code, output) = await agentd.agentctl(arguments)
            #expect(code == .failure)
            #expect(output.stdout.isEmpty)
            #expect(output.stderr.hasPrefix("agentctl: not logged in or token expired: run agentctl login ("), "\(arguments)")
        }
    }
}
