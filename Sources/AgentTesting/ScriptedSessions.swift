public import AgentCore
public import AgentStore
import Foundation

/// A session service for tests: a SQLite store in a fresh temporary directory, a scripted model,
/// fixed tools, and no inactivity timeout. `finish()` shuts it down and removes the directory.
public struct ScriptedSessions: Sendable {
    public let directory: String
    public let store: SQLiteSessionStore
    public let service: SessionService

    /// Starts the service.
    /// - Parameters:
    ///   - script: the scripted model's turns (see `ScriptedModelClient`).
    ///   - tools: the tools every session gets.
    ///   - prefix: names the temporary directory.
    public init(script: String = "[]", tools: [any Tool] = [], prefix: String = "agentd-test") async throws {
        directory = NSTemporaryDirectory() + "\(prefix)-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        store = try SQLiteSessionStore(path: directory + "/agentd.db")
        service = SessionService(
            store: store, model: try ScriptedModelClient(script: JSONValue(parsing: script)),
            environments: FixedToolsEnvironment(tools),
            configuration: SessionServiceConfiguration(inactivityTimeout: nil, workingDirectoryRoot: directory + "/work"))
        try await service.start()
    }

    /// Shuts the service down, closes the store and removes the directory.
    public func finish() async {
        await service.shutdown()
        store.close()
        try? FileManager.default.removeItem(atPath: directory)
    }
}
