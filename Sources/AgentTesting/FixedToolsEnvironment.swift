public import AgentCore
import Synchronization

/// A session environment provider that gives every session the same tools (no shell, no
/// desktop), and counts the environments that are live: for tests, benches and load writers.
public final class FixedToolsEnvironment: SessionEnvironmentProvider {
    let tools: [any Tool]
    private let live = Mutex(0)

    public init(_ tools: [any Tool]) { self.tools = tools }

    /// Environments prepared and not yet released.
    public var liveCount: Int { live.withLock { $0 } }

    public func prepare(sessionID: String, configuration: SessionConfiguration, versions: ToolVersions) async throws
        -> PreparedEnvironment
    {
        live.withLock { $0 += 1 }
        return PreparedEnvironment(tools: ToolSet(tools)) { [self] in live.withLock { $0 -= 1 } }
    }
}
