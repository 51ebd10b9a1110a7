import AgentCore
import AgentStore
import Foundation

/// Fan-out: `subscribers` subscriptions (`SessionService.subscribe`) to one session while
/// `events` events are produced at `rate` per second through the service's real path (an
/// `update` is stored, then published). Latency per delivery is the receipt time minus the event's
/// own `time`, stamped just before its commit: storage, publishing and wake-up all count.
struct FanOutRun {
    var subscribers = 1000
    var events = 2000
    var rate = 200.0

    struct Outcome {
        let latencies: [Double]
        let delivered: Int
        let expected: Int
        let closedEarly: Int
        let commits: [Double]
        let producedPerSecond: Double
    }

    func run() async throws -> Outcome {
        let temporary = try TemporaryStore("fanout")
        defer { temporary.remove() }
        let timing = TimingSessionStore(temporary.store)
        // The model is never called: the session only has its record updated.
        let service = SessionService(
            store: timing, model: AnthropicClient(apiKey: "unused", baseURL: "http://127.0.0.1:9"),
            configuration: SessionServiceConfiguration(inactivityTimeout: nil, workingDirectoryRoot: temporary.path("work")),
            imageStore: temporary.store)
        try await service.start()
        let session = try await service.create(SessionRequest(name: "fan-out"))
        let expected = events
        var subscriptions: [EventSubscription] = []
        for _ in 0..<subscribers { subscriptions.append(try await service.subscribe(session.id, after: session.lastSeq)) }

        let outcome = try await withThrowingTaskGroup(of: (latencies: [Double], closed: Bool).self) { group in
            for subscription in subscriptions {
                group.addTask {
                    var latencies: [Double] = []
                    latencies.reserveCapacity(expected)
                    for await item in subscription {
                        guard case .event(let event) = item else { return (latencies, true) }
                        latencies.append((Date().timeIntervalSince1970 - event.time) * 1000)
                        if latencies.count == expected { break }
                    }
                    return (latencies, false)
                }
            }
            // Each update starts on schedule in its own task, so a slow commit does not lower the rate.
            let start = ContinuousClock.now
            try await withThrowingTaskGroup(of: Void.self) { producers in
                for index in 0..<events {
                    try await Task.sleep(until: start + .seconds(Double(index) / rate), clock: .continuous)
                    producers.addTask { _ = try await service.update(session.id, SessionUpdate(name: "fan-out \(index)")) }
                }
                try await producers.waitForAll()
            }
            let produced = Double(events) / (ContinuousClock.now - start).inSeconds
            // Give stragglers a moment, then end every subscription still open.
            let watchdog = Task {
                try await Task.sleep(for: .seconds(5))
                await service.shutdown()
            }
            var latencies: [Double] = [], closed = 0
            latencies.reserveCapacity(subscribers * events)
            for try await result in group {
                latencies += result.latencies
                if result.closed { closed += 1 }
            }
            watchdog.cancel()
            return Outcome(latencies: latencies, delivered: latencies.count, expected: subscribers * events,
                           closedEarly: closed, commits: timing.commitLatency.all, producedPerSecond: produced)
        }
        await service.shutdown()
        return outcome
    }
}

extension Duration {
    /// The duration in seconds.
    var inSeconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
