import AgentCore
import Foundation
import Testing
@testable import agentctl

/// `agentctl api-keys create | list | revoke` against a real agentd with accounts.
@Suite(.timeLimit(.minutes(1)))
struct APIKeysCommandTests {
    @Test func createShowsTheKeyOnceListShowsPrefixesAndRevokeStopsIt() async throws {
        let agentd = try await PlatformHarness()
        defer { Task { await agentd.finish() } }
        try await agentd.loggedIn("ada")

        let (code, output) = await agentd.agentctl(["api-keys", "create", "CI"])
        #expect(code == .success, "\(output.stderr)")
        let key = output.stdout.trimmingCharacters(in: .newlines)
        #expect(key.hasPrefix("anymind_") && output.stdout.lines.count == 1)
        #expect(output.stderr.contains("it is not shown again"))
        #expect(!output.stderr.contains(key))
        #expect(try await agentd.succeed(["whoami"], environment: ["AGENTD_API_KEY": key]).hasPrefix("ada "))

        let list = await agentd.agentctl(["api-keys", "list"])
        #expect(list.code == .success)
        let lines = list.output.stdout.lines
        #expect(lines.first?.hasPrefix("ID  NAME  PREFIX") == true)
        let row = try #require(lines.first { $0.contains(" CI ") })
        #expect(row.contains(String(key.prefix(12)) + "…") && row.contains("active"))
        #expect(!list.output.stdout.contains(key))
        let json = try JSONValue(parsing: await agentd.agentctl(["api-keys", "list", "--json"]).output.stdout)
        let id = try #require(json[0]?["id"]?.intValue)

        let revoke = await agentd.agentctl(["api-keys", "revoke", String(id)])
        #expect(revoke.code == .success)
        #expect(revoke.output.stdout == "revoked API key \(id)\n")
        let refused = await agentd.agentctl(["agents", "list"], environment: ["AGENTD_API_KEY": key])
        #expect(refused.code == .failure)
        #expect(refused.output.stderr == "agentctl: not logged in or token expired: run agentctl login (Invalid API key; HTTP 401)\n")
        let listed = await agentd.agentctl(["api-keys", "list"])
        #expect(listed.output.stdout.lines.contains { $0.contains(" CI ") && $0.contains("revoked") })
        let missing = await agentd.agentctl(["api-keys", "revoke", "99999"])
        #expect(missing.code == .failure && missing.output.stderr.hasSuffix("(HTTP 404)\n"))
    }

    @Test func keysCannotManageKeys() async throws {
        let agentd = try await PlatformHarness()
        defer { Task { await agentd.finish() } }
        let key = try await agentd.apiKey(of: try await agentd.register("ada"))
        let (code, output) = await agentd.agentctl(["api-keys", "list"], environment: ["AGENTD_API_KEY": key])
        #expect(code == .failure)
        #expect(output.stderr == "agentctl: Managing API keys needs a login token (JWT), not an API key (HTTP 403)\n")
    }

    @Test func createWithJSONPrintsTheAnswerWithTheKey() async throws {
        let agentd = try await PlatformHarness()
        defer { Task { await agentd.finish() } }
        try await agentd.loggedIn("ada")
        let (code, output) = await agentd.agentctl(["api-keys", "create", "scripts", "--json"])
        #expect(code == .success)
        let created = try JSONValue(parsing: output.stdout)
        #expect(created["name"] == "scripts" && created["key"]?.stringValue?.hasPrefix("anymind_") == true)
        #expect(output.stderr.isEmpty)
    }
}
