import AgentCore
import Foundation
import Synchronization

/// What `/api/v1/health` reports about the store: sessions by status from a real query, made at
/// most once per `maxAge` seconds so a busy health check does not become database load.
final class HealthProbe: Sendable {
    private let service: SessionService
    private let maxAge: Double
    private let cached = Mutex<(time: Double, counts: [SessionStatus: Int])?>(nil)

    init(service: SessionService, maxAge: Double = 1) {
        self.service = service
        self.maxAge = maxAge
    }

    /// Sessions by status from a query made less than `maxAge` ago; nil when none is that recent.
    /// Never waits, so the health route can answer from it on the event loop.
    var recentStatusCounts: [SessionStatus: Int]? {
        let now = Date().timeIntervalSince1970
        guard let recent = cached.withLock({ $0 }), now - recent.time < maxAge else { return nil }
        return recent.counts
    }

    /// Sessions by status, or nil when the store cannot answer.
    func statusCounts() async -> [SessionStatus: Int]? {
        if let recent = recentStatusCounts { return recent }
        let now = Date().timeIntervalSince1970
        guard let counts = try? await service.statusCounts() else {
            cached.withLock { $0 = nil }
            return nil
        }
        cached.withLock { $0 = (now, counts) }
        return counts
    }
}
