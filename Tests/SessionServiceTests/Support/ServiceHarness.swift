import AgentCore
import AgentStore
import AgentTesting
import Foundation
import Synchronization
import Testing

/// A session service on a real SQLite file in a fresh directory, with a scripted model.
struct ServiceHarness {
    let directory: String
    let store: SQLiteSessionStore
    let service: SessionService
    let model: any ModelClient
    let environments: FixedToolsEnvironment

    init(model: any ModelClient, tools: [any Tool] = [], directory: String? = nil,
         wrapStore: (SQLiteSessionStore) -> any SessionStore = { $0 },
         configure: (inout SessionServiceConfiguration) -> Void = { _ in }) async throws {
        let dir = directory ?? NSTemporaryDirectory() + "agentd-service-\(UUID().uuidString)"
        self.directory = dir
        store = try SQLiteSessionStore(path: dir + "/agentd.db")
        var configuration = SessionServiceConfiguration(inactivityTimeout: nil, workingDirectoryRoot: dir + "/work")
        configure(&configuration)
        environments = FixedToolsEnvironment(tools)
        self.model = model
        service = SessionService(store: wrapStore(store), model: model, environments: environments,
                                 configuration: configuration, imageStore: store)
        try await service.start()
    }

    /// A second service on the same database: what a restarted daemon sees.
    func restarted(model: any ModelClient, tools: [any Tool] = [],
                   configure: (inout SessionServiceConfiguration) -> Void = { _ in }) async throws -> ServiceHarness {
        await service.shutdown()
        store.close()
        return try await ServiceHarness(model: model, tools: tools, directory: directory, configure: configure)
    }

    func finish() async {
        await service.shutdown()
        store.close()
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// Waits until the session reaches `status`.
    @discardableResult
    func waitFor(_ id: String, _ status: SessionStatus, timeout: Double = 10) async throws -> SessionRecord {
        var last: SessionRecord?
        let reached = try await pollUntil(timeout: .seconds(timeout), every: .milliseconds(5)) {
            last = try await service.session(id)
            return last?.status == status
        }
        if !reached {
            Issue.record("session \(id) did not reach \(status.rawValue); it is \(last?.status.rawValue ?? "?") (\(last?.statusReason ?? ""))")
            throw CancellationError()
        }
        return try #require(last)
    }
}

/// Parses a scripted model.
func scripted(_ json: String) throws -> ScriptedModelClient {
    try ScriptedModelClient(script: JSONValue(parsing: json))
}

/// Stored events' types, in order.
func types(_ events: [SessionEvent]) -> [String] { events.map(\.type) }

/// A thread-safe counter.
final class Counter: Sendable {
    private let state = Mutex(0)
    var value: Int { state.withLock { $0 } }
    func add(_ n: Int) { state.withLock { $0 += n } }
}
