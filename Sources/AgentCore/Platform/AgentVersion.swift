/// One uploaded artifact of an agent and its build (seed 003's `AgentVersion`).
public struct AgentVersion: Sendable, Hashable {
    /// seed 003: `"queued" | "building" | "ready" | "failed"`.
    public enum Status: String, Sendable, Hashable, CaseIterable {
        case queued, building, ready, failed
    }

    public var id: Int
    public var agentID: Int
    /// `v1`, `v2`, … in upload order per agent.
    public var version: String
    public var status: Status
    public var buildLog: String?
    /// The artifact, relative to the storage root (`agents/1/artifacts/agent_1_v1.tar.gz`).
    public var tarballPath: String?
    /// `module.path:function` from the manifest, once the build has read it.
    public var entrypoint: String?
    /// The manifest (`anymind.yaml`) as uploaded.
    public var config: String?
    /// The manifest's `framework` (`python`, `computer-use`, …) once built.
    public var framework: String?
    public var createdAt: Double
    public var updatedAt: Double

    public init(id: Int, agentID: Int, version: String, status: Status = .queued, buildLog: String? = nil,
                tarballPath: String? = nil, entrypoint: String? = nil, config: String? = nil, framework: String? = nil,
                createdAt: Double, updatedAt: Double) {
        self.id = id
        self.agentID = agentID
        self.version = version
        self.status = status
        self.buildLog = buildLog
        self.tarballPath = tarballPath
        self.entrypoint = entrypoint
        self.config = config
        self.framework = framework
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}

/// What a finished build writes back to its version.
public struct BuildResult: Sendable, Hashable {
    public var status: AgentVersion.Status
    public var log: String
    public var entrypoint: String?
    public var config: String?
    public var framework: String?

    public init(status: AgentVersion.Status, log: String, entrypoint: String? = nil, config: String? = nil, framework: String? = nil) {
        self.status = status
        self.log = log
        self.entrypoint = entrypoint
        self.config = config
        self.framework = framework
    }
}
