/// Where a platform object's files live under the storage root. Every path is built from integer
/// ids and version numbers only, never from client text.
struct PlatformPaths: Sendable {
    let root: String

    /// The artifact, relative to the root (seed 003's `tarball_path`).
    static func artifact(agentID: Int, number: Int) -> String {
        "agents/\(agentID)/artifacts/agent_\(agentID)_v\(number).tar.gz"
    }

    func absolute(_ relative: String) -> String { root + "/" + relative }

    /// The folder holding everything of one version but its artifact.
    func versionDirectory(agentID: Int, version: String) -> String { root + "/agents/\(agentID)/versions/\(version)" }
    /// The extracted, read-only code of a version.
    func codeDirectory(agentID: Int, version: String) -> String { versionDirectory(agentID: agentID, version: version) + "/code" }
    /// The version's own virtual environment (only when it has requirements).
    func virtualEnvironment(agentID: Int, version: String) -> String { versionDirectory(agentID: agentID, version: version) + "/venv" }
    /// Uploads being received.
    var incoming: String { root + "/incoming" }
    /// Private temporary directories of executions.
    var scratch: String { root + "/scratch" }
    /// An agent's whole folder (removed with the agent).
    func agentDirectory(_ agentID: Int) -> String { root + "/agents/\(agentID)" }
}
