import AgentCore
import CommandLineSupport
import Foundation

/// `agentctl agents deploy DIR`: packs an agent's directory, uploads it as a new version (seed 003
/// "Artifact Upload") and follows the build until the version is `ready` or `failed`.
///
/// The agent is `--agent ID`, else the one named `--name` or the manifest's `name`, which is
/// created when the caller has no agent of that name yet. Exits 0 with the version's id when the
/// build succeeded, 1 with the build log on standard error when it failed.
struct DeployCommand: RemoteCommand {
    static let spec = CommandSpec(
        name: "deploy",
        help: Help(
            command: "agentctl agents deploy", overview: "Upload a directory as a new version and follow its build.",
            usage: "agentctl agents deploy DIR [--agent ID | --name NAME] [--timeout S] [--json]",
            arguments: [("DIR", "The agent's directory, with anymind.yaml at its top.")],
            options: [
                ("--agent ID", "Deploy to this agent."),
                ("--name NAME", "Deploy to the agent of this name, created if there is none (default: the manifest's name)."),
                ("--timeout S", "Seconds to follow the build before giving up (default: 900)."),
            ] + RemoteOptions.rows),
        parse: { cursor in
            let agentID = try cursor.takeValue("--agent").map { try PlatformText.id($0, argument: "agent id") }
            let name = try cursor.takeValue("--name")
            let timeout = try cursor.takeInt("--timeout", in: 1...86_400) ?? 900
            let directory = try cursor.positionals("DIR")[0]
            if agentID != nil, name != nil { throw UsageError("Give '--agent' or '--name', not both") }
            if name?.isEmpty == true { throw UsageError("The value for '--name' must not be empty") }
            return DeployCommand(directory: directory, agentID: agentID, name: name, timeout: timeout)
        })

    let directory: String
    let agentID: String?
    let name: String?
    /// Seconds to follow the build.
    let timeout: Int

    /// The manifest's file names, in the order agentd looks for them.
    static let manifestNames = ["anymind.yaml", "anymind.yml"]
    /// Agents fetched per page while looking one up by name.
    static let pageSize = PageQuery.maximumLimit

    func run(_ remote: Remote) async throws(RemoteError) -> ExitCode {
        let manifest = try readManifest()
        let archive = NSTemporaryDirectory() + "/agentctl-deploy-\(UUID().uuidString).tar.gz"
        defer { unlink(archive) }
        let summary: AgentPackager.Summary
        do {
            summary = try AgentPackager(directory: directory).pack(to: archive)
        } catch {
            throw .failed("cannot pack \(directory): \(error)")
        }
        let skipped = summary.skipped.isEmpty ? "" : "; left out \(summary.skipped.joined(separator: ", "))"
        remote.output.err("agentctl: packed \(Self.count(summary.files, "file")) in \(Self.count(summary.directories, "directory", "directories")) "
                          + "(\(Self.count(summary.bytes, "byte")))\(skipped)\n")

        let agent = try await resolveAgent(remote, manifest: manifest)
        let agentID = PlatformText.text(agent["id"])
        guard let contents = FileManager.default.contents(atPath: archive) else { throw .failed("cannot read the packed archive \(archive)") }
        let form: MultipartForm
        do {
            form = try MultipartForm(field: "file", filename: manifest.name + ".tar.gz", contentType: "application/gzip",
                                     contents: Array(contents))
        } catch {
            throw .failed("cannot make the upload: \(error)")
        }
        let response = try await remote.client.send("POST", "/api/v1/uploads/agent/\(agentID)", contentType: form.contentType, body: form.body)
        try AgentdClient.check(response)
        guard let version = try? JSONValue(parsing: response.body), version["id"]?.intValue != nil else {
            throw .failed("agentd's upload answer is not a version")
        }
        let label = "agent \(agentID) \(PlatformText.text(version["version"], "?"))"
        let built = try await Interruptible.run({ () async throws(RemoteError) -> JSONValue? in
            try await follow(remote, agentID: agentID, version: version, label: label)
        }, onInterrupt: {
            remote.output.err("\nagentctl: stopped following; the build goes on (agentctl agents show \(agentID))\n")
            return nil
        })
        guard let built else { return .failure }
        if remote.json { remote.printJSON(built) }
        let versionID = PlatformText.text(built["id"])
        guard built["status"] == "ready" else {
            remote.output.err("agentctl: the build of \(label) failed:\n")
            let log = PlatformText.text(built["build_log"], "(no build log)")
            remote.output.err(log.hasSuffix("\n") ? log : log + "\n")
            return .failure
        }
        if !remote.json { remote.output.out(versionID + "\n") }
        remote.output.err("agentctl: \(label) (version \(versionID)) of \(PlatformText.text(agent["name"])) is ready; "
                          + "run it with agentctl agents execute \(agentID) --payload '{...}'\n")
        return .success
    }

    /// `1 file`, `2 files`.
    static func count(_ number: Int, _ singular: String, _ plural: String? = nil) -> String {
        "\(number) \(number == 1 ? singular : plural ?? singular + "s")"
    }

    /// The directory's manifest, parsed and checked as agentd will.
    private func readManifest() throws(RemoteError) -> AgentManifest {
        for name in Self.manifestNames {
            let path = (directory as NSString).appendingPathComponent(name)
            guard let data = FileManager.default.contents(atPath: path) else { continue }
            do {
                return try AgentManifest(yaml: String(decoding: data, as: UTF8.self))
            } catch {
                throw .failed("cannot deploy \(directory): \(error)")
            }
        }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw .failed("\(directory) is not a directory")
        }
        throw .failed("\(directory) has no anymind.yaml")
    }

    /// The agent to deploy to: `--agent`, else the caller's agent of the name, else a new one.
    private func resolveAgent(_ remote: Remote, manifest: AgentManifest) async throws(RemoteError) -> JSONValue {
        let client = remote.client
        if let agentID { return try await client.json("GET", "/api/v1/agents/" + agentID) }
        let name = self.name ?? manifest.name
        var skip = 0
        while true {
            let page = try await client.json("GET", "/api/v1/agents?skip=\(skip)&limit=\(Self.pageSize)").arrayValue ?? []
            if let agent = page.first(where: { $0["name"]?.stringValue == name }) { return agent }
            guard page.count == Self.pageSize else { break }
            skip += page.count
        }
        let agent = try await client.json("POST", "/api/v1/agents", body: ["name": .string(name)])
        remote.output.err("agentctl: created agent \(PlatformText.text(agent["id"])) (\(name))\n")
        return agent
    }

    /// Polls the version until its build ends, showing progress; returns the ended version.
    private func follow(_ remote: Remote, agentID: String, version: JSONValue, label: String) async throws(RemoteError) -> JSONValue {
        let progress = BuildProgress(output: remote.output, label: label, redraws: !remote.json && remote.console.errorIsTerminal)
        defer { progress.end() }
        let path = "/api/v1/agents/\(agentID)/versions/\(PlatformText.text(version["id"]))"
        let start = ContinuousClock.now
        var current = version
        var delay = 0.1
        while true {
            let status = current["status"]?.stringValue ?? "?"
            let elapsed = (ContinuousClock.now - start) / .seconds(1)
            progress.update(status: status, elapsed: elapsed)
            if status == "ready" || status == "failed" { return current }
            guard elapsed < Double(timeout) else {
                throw .failed("the build of \(label) is still \(status) after \(timeout) s; see agentctl agents show \(agentID)")
            }
            do {
                try await Task.sleep(for: .seconds(delay))
            } catch {
                throw .failed("stopped following the build")
            }
            delay = min(delay * 1.5, 2)
            current = try await remote.client.json("GET", path)
        }
    }
}
