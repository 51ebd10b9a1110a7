import AgentCore
import AgentStore
import CMalloc
import Foundation

/// Memory of idle sessions: resident set size and heap before and after `SessionService.create`
/// makes `count` idle sessions (held live by the service), after a warm-up of `warmUp` sessions so
/// SQLite's page cache and the allocator have settled. Sessions are created by `creators` tasks at once.
struct IdleSessionMemory {
    var count = 1000
    var warmUp = 100
    var creators = 50

    struct Outcome {
        let residentBytes: Int
        let heapBytes: Int
        let liveSessions: Int
        let createdPerSecond: Double
    }

    func run() async throws -> Outcome {
        let temporary = try TemporaryStore("idle")
        defer { temporary.remove() }
        let service = SessionService(
            store: temporary.store, model: AnthropicClient(apiKey: "unused", baseURL: "http://127.0.0.1:9"),
            configuration: SessionServiceConfiguration(inactivityTimeout: nil, workingDirectoryRoot: temporary.path("work")))
        try await service.start()
        try await create(warmUp, prefix: "warm", service: service)
        // Hand freed heap pages back first, so pages the new sessions reuse count as growth.
        malloc_trim(0)
        let rssBefore = ProcessStats.residentBytes(), heapBefore = ProcessStats.heapBytesInUse()
        let start = nowNanoseconds()
        try await create(count, prefix: "idle", service: service)
        let rate = Double(count) / secondsSince(start)
        let rssAfter = ProcessStats.residentBytes(), heapAfter = ProcessStats.heapBytesInUse()
        let live = service.liveSessionCount
        await service.shutdown()
        return Outcome(residentBytes: rssAfter - rssBefore, heapBytes: heapAfter - heapBefore, liveSessions: live,
                       createdPerSecond: rate)
    }

    private func create(_ total: Int, prefix: String, service: SessionService) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            for creator in 0..<creators {
                group.addTask {
                    for index in stride(from: creator, to: total, by: creators) {
                        _ = try await service.create(SessionRequest(name: "\(prefix) \(index)", tags: ["bench"]))
                    }
                }
            }
            try await group.waitForAll()
        }
    }
}
